"""Demo data for running a cohort: dates, training days, enrolments and an open invitation."""

import datetime
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from learning_platform.accounts.models import Organisation, User

from .models import Cohort, CoursePage, Enrolment, Invitation, TrainingDay
from .services.invitations.links import hash_token

COHORT_NAME = "London boards 2026"
VENUE = "SCIE London"
# Days from the date the demo is first loaded: the first block is behind the trainees, the second
# block is still to come, so "next training day" has something to show.
TRAINING_DAYS = [
    (-28, "Day 1: systems thinking"),
    (-27, "Day 2: systems thinking in practice"),
    (14, "Day 3: the analytic tools"),
    (15, "Day 4: the analytic tools in practice"),
]
INVITEE_EMAIL = "nia.jones@example.org"


@transaction.atomic
def seed_cohorts(*, stdout, users: dict[str, User], course: CoursePage) -> Cohort:
    """Safe to run again: finds what exists and adds only what is missing."""
    today = timezone.localdate()
    cohort, created = Cohort.objects.get_or_create(
        name=COHORT_NAME,
        defaults={
            "course": course,
            "funding_strand": "DfE VCS grant",
            "start_date": today + timedelta(days=TRAINING_DAYS[0][0]),
            "end_date": today + timedelta(days=240),
            "capacity": 16,
            "status": Cohort.Status.IN_PROGRESS,
        },
    )
    sam = users["sam"]
    cohort.supervisors.add(sam)
    for offset, title in TRAINING_DAYS:
        TrainingDay.objects.get_or_create(
            cohort=cohort,
            title=title,
            defaults={
                "date": cohort.start_date + timedelta(days=offset - TRAINING_DAYS[0][0]),
                "venue": VENUE,
                "starts_at": datetime.time(9, 30),
                "ends_at": datetime.time(16, 30),
            },
        )
    tess, pat = users["tess"], users["pat"]
    for trainee, partner in ((tess, pat), (pat, tess)):
        Enrolment.objects.update_or_create(
            user=trainee,
            cohort=cohort,
            defaults={
                "status": Enrolment.Status.ACTIVE,
                "supervisor": sam,
                "review_partner": partner,
            },
        )
    if not Invitation.objects.filter(cohort=cohort, email=INVITEE_EMAIL).exists():
        # The raw token is thrown away: the demo invitation is there to be seen, not used.
        Invitation.objects.create(
            cohort=cohort,
            email=INVITEE_EMAIL,
            full_name="Nia Jones",
            organisation=Organisation.objects.filter(name__icontains="Kingsmere").first(),
            job_title="Safeguarding partnership business manager",
            token_hash=hash_token(secrets.token_urlsafe(32)),
            invited_by=users.get("ada"),
            expires_at=timezone.now() + timedelta(days=14),
        )
    stdout.write(f"{'Created' if created else 'Updated'} cohort {cohort.name}")
    return cohort

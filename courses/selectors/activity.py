"""When each trainee last did something, and who has done nothing for a while.

Activity is what the trainee does themselves: starting or completing a module, answering a
reflective question, attempting a knowledge check, adding evidence, moving one of their review's
stages (starting or submitting it), saving or submitting their application, and confirming a
supervision session. A decision on their application counts too: it is news they act on. A
supervisor's sign-off is not the trainee's work.

A trainee whose application waits for the assessor, or who is accredited, has nothing left to do,
so they are never inactive.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from ..models import Enrolment, KnowledgeCheckAttempt, ModuleProgress, ReflectionAnswer


@dataclass(frozen=True)
class InactiveEnrolment:
    enrolment: Enrolment
    # The start of the quiet spell: the trainee's last activity, or the enrolment's start if they
    # have done nothing since it.
    since: datetime


def _latest(queryset, field: str) -> Subquery:
    return Subquery(queryset.order_by(f"-{field}").values(field)[:1])


def _activity_sources(user_ref: OuterRef) -> dict[str, Subquery]:
    from accreditation.models import (
        AccreditationApplication,
        Decision,
        Evidence,
        SignOff,
        SupervisionAttendance,
    )

    return {
        "progress_at": _latest(
            ModuleProgress.objects.filter(enrolment__user=user_ref), "updated_at"
        ),
        "reflection_at": _latest(
            ReflectionAnswer.objects.filter(progress__enrolment__user=user_ref), "updated_at"
        ),
        "attempt_at": _latest(
            KnowledgeCheckAttempt.objects.filter(progress__enrolment__user=user_ref), "created_at"
        ),
        "evidence_at": _latest(Evidence.objects.filter(uploaded_by=user_ref), "created_at"),
        "transition_at": _latest(SignOff.objects.filter(by=user_ref), "created_at"),
        # Saving a draft, submitting, and each decision all touch the application's updated_at;
        # the decisions are read too, should an application be saved some other way.
        "application_at": _latest(
            AccreditationApplication.objects.filter(trainee=user_ref), "updated_at"
        ),
        "decision_at": _latest(
            Decision.objects.filter(application__trainee=user_ref), "created_at"
        ),
        "confirmation_at": _latest(
            SupervisionAttendance.objects.filter(trainee=user_ref, confirmed_at__isnull=False),
            "confirmed_at",
        ),
    }


def _nothing_left_to_do(user_ref: OuterRef) -> Exists:
    """The trainee waits on the assessor (application submitted) or is accredited (application
    approved, or a certificate issued)."""
    from accreditation.models import AccreditationApplication, Certificate

    return Exists(
        AccreditationApplication.objects.filter(
            trainee=user_ref,
            status__in=[
                AccreditationApplication.Status.SUBMITTED,
                AccreditationApplication.Status.APPROVED,
            ],
        )
    ) | Exists(Certificate.objects.issued().filter(holder=user_ref))


def enrolment_start(enrolment: Enrolment) -> datetime:
    """When the trainee could first have done something: the enrolment, or the cohort's first day
    if that is later."""
    cohort_start = timezone.make_aware(datetime.combine(enrolment.cohort.start_date, time.min))
    return max(enrolment.created_at, cohort_start)


def enrolments_inactive(*, idle_since: datetime) -> list[InactiveEnrolment]:
    """Active enrolments whose trainee has done nothing since ``idle_since``, in one query.

    Activity belongs to the trainee, not to one enrolment, so a trainee with several active
    enrolments has one quiet spell: it began at their last activity, or at the start of their
    latest enrolment if that came after. Each of their enrolments is listed with that moment, and
    none if it is after ``idle_since``. Trainees with nothing left to do are left out."""
    sources = _activity_sources(OuterRef("user_id"))
    enrolments = (
        Enrolment.objects.filter(status=Enrolment.Status.ACTIVE, user__is_active=True)
        .exclude(_nothing_left_to_do(OuterRef("user_id")))
        .select_related("user", "cohort")
        .annotate(**sources)
        .order_by("pk")
    )
    by_user: dict[int, list[Enrolment]] = defaultdict(list)
    since_of: dict[int, datetime] = {}
    for enrolment in enrolments:
        moments = [getattr(enrolment, name) for name in sources]
        since = max([enrolment_start(enrolment), *[m for m in moments if m is not None]])
        by_user[enrolment.user_id].append(enrolment)
        since_of[enrolment.user_id] = max(since, since_of.get(enrolment.user_id, since))
    return [
        InactiveEnrolment(enrolment=enrolment, since=since_of[user_id])
        for user_id, user_enrolments in by_user.items()
        if since_of[user_id] < idle_since
        for enrolment in user_enrolments
    ]

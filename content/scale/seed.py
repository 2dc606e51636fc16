"""Building the world, part after part, in one transaction."""

import math
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from accreditation.models import (
    AccreditationApplication,
    Certificate,
    KeyPracticeEpisode,
    ReviewStage,
    SignOff,
    SupervisedReview,
    SupervisionSession,
)
from courses.models import Cohort, Enrolment
from learning_platform import public_cache
from learning_platform.accounts.models import Organisation, User
from learning_platform.accounts.roles import Role
from notifications.models import Notification

from . import analysis, awards, learning, notices, people, reviews, timeline
from .base import DOMAIN, PREFIX, World, in_world, insert
from .handles import ScaleHandles, scale_handles
from .plan import ScalePlan, scale_plan
from .reset import scale_world_exists, scale_world_remove

PRODUCTION_SETTINGS = "learning_platform.settings.production"
# Scales beyond this would take minutes and more memory than a development machine may have.
LARGEST_SCALE = 20


class ScaleRefused(Exception):
    """The world cannot be built here, for the reason given."""


@dataclass(frozen=True)
class Seeded:
    plan: ScalePlan
    counts: dict[str, int]
    handles: ScaleHandles
    seconds: float


def refuse_production() -> None:
    """The world's people share a published password, so it must never reach production: the
    production settings module (or one built on it, which sets HSTS) is refused by name."""
    module = getattr(settings, "SETTINGS_MODULE", "") or ""
    if module == PRODUCTION_SETTINGS or module.endswith(".production"):
        raise ScaleRefused(
            f"seed_scale refuses to run with the production settings ({module}): it creates "
            "thousands of logins with a published password."
        )
    if getattr(settings, "SECURE_HSTS_SECONDS", 0):
        raise ScaleRefused(
            "seed_scale refuses to run with settings that look like production's (HSTS is on): "
            "it creates thousands of logins with a published password."
        )


def scale_seed(*, scale: float, huge_cohort: int = 0, reset: bool = False, stdout=None) -> Seeded:
    """Build the world at ``scale`` (1 is the national programme), with one extra cohort of
    ``huge_cohort`` trainees if asked. Refuses production, and a database that already holds a
    world unless ``reset``, which removes that world first."""
    refuse_production()
    if not (math.isfinite(scale) and 0 < scale <= LARGEST_SCALE):
        raise ScaleRefused(f"The scale must be more than 0 and at most {LARGEST_SCALE}.")
    if huge_cohort < 0:
        raise ScaleRefused("The huge cohort's size cannot be negative.")
    say = stdout.write if stdout is not None else (lambda message: None)
    started = time.monotonic()
    with transaction.atomic():
        if scale_world_exists():
            if not reset:
                raise ScaleRefused(
                    f"This database already holds a scale world (people at @{DOMAIN}). Run "
                    "with --reset to remove it and build a new one."
                )
            say(f"Removed the previous world ({scale_world_remove():,} rows)")
        world = World(plan=scale_plan(scale, huge_cohort=huge_cohort), today=timezone.localdate())
        _build(world, say=say)
        # Rows inserted in bulk send no signal: drop every public page drawn before them.
        public_cache.invalidate(public_cache.PAGES, public_cache.CERTIFICATES)
    return Seeded(
        plan=world.plan,
        counts=scale_counts(),
        handles=scale_handles(),
        seconds=time.monotonic() - started,
    )


def _build(world: World, *, say) -> None:
    plan = world.plan
    say("Site, course and scheme (the demo's, where missing)")
    content = learning.content_ensure(stdout=_Quiet())
    if content.scheme is None:
        raise ScaleRefused("There is no active accreditation scheme for the reviews to follow.")
    organisations = people.organisations_create(world)
    commissioners = [o for o in organisations if o.kind != Organisation.Kind.EMPLOYER]
    review_plans, cohort_plans = timeline.history_plan(
        world, commissioners=commissioners, validity_years=content.scheme.validity_years
    )

    say("People")
    staff_joined = cohort_plans[0].start - timedelta(days=120)
    administrators = people.people_create(
        world,
        role=Role.PROGRAMME_ADMIN,
        people=[people.Person(joined=staff_joined)] * plan.administrators,
        is_staff=True,
    )
    supervisors, assessors = (
        people.people_create(
            world,
            role=role,
            people=[
                people.Person(joined=staff_joined, organisation=world.rng.choice(organisations))
                for _ in range(count)
            ],
        )
        for role, count in ((Role.SUPERVISOR, plan.supervisors), (Role.ASSESSOR, plan.assessors))
    )

    say("Cohorts, enrolments, registers and module progress")
    cohorts = learning.cohorts_create(
        world, plans=cohort_plans, course=content.course, admin=administrators[0]
    )
    learning.trainees_create(
        world,
        cohorts=cohorts,
        plans=cohort_plans,
        organisations=organisations,
        supervisors=supervisors,
    )
    Supervision = Cohort.supervisors.through
    insert(
        Supervision,
        (
            Supervision(cohort_id=cohort.pk, user_id=supervisors[cohort_plan.supervisor].pk)
            for cohort, cohort_plan in zip(cohorts, cohort_plans, strict=True)
            if cohort_plan.supervisor is not None
        ),
    )
    enrolments = world.made["enrolments"]
    learning.registers_take(world, enrolments=enrolments)
    learning.progress_create(world, enrolments=enrolments, modules=content.modules)

    say("Supervised reviews, sign-offs, supervision and analysis")
    reviewed = reviews.reviews_create(world, plans=review_plans, scheme=content.scheme)
    analysis.conduct_create(world, plans=review_plans)
    analysis.episodes_create(world, plans=review_plans)
    analysis.findings_create(world, plans=review_plans)

    say("Applications, decisions, certificates and renewals")
    awarded = awards.awards_create(
        world, plans=review_plans, scheme=content.scheme, assessors=assessors
    )
    # No Open Badges credentials: signing each certificate's costs more than the rest of the
    # awards together, and every page that shows one issues it on the first request.

    say("Notifications")
    notices.notifications_create(
        world, reviewed=reviewed, awarded=awarded, supervisors=supervisors, assessors=assessors
    )

    if plan.huge_cohort:
        say(f"A cohort of {plan.huge_cohort:,} trainees")
        learning.huge_cohort_create(
            world,
            size=plan.huge_cohort,
            course=content.course,
            modules=content.modules,
            organisations=organisations,
        )


class _Quiet:
    def write(self, message: str) -> None:
        pass


def scale_counts() -> dict[str, int]:
    """How many of each thing the world in the database holds."""
    cohorts = Cohort.objects.filter(name__startswith=PREFIX)
    people = User.objects.filter(in_world())
    reviews = SupervisedReview.objects.filter(in_world("trainee"))
    return {
        "cohorts": cohorts.count(),
        "largest cohort": max(
            cohorts.annotate(size=Count("enrolments")).values_list("size", flat=True), default=0
        ),
        "trainees": people.filter(groups__name=Role.TRAINEE.value).count(),
        "supervisors": people.filter(groups__name=Role.SUPERVISOR.value).count(),
        "assessors": people.filter(groups__name=Role.ASSESSOR.value).count(),
        "administrators": people.filter(groups__name=Role.PROGRAMME_ADMIN.value).count(),
        "enrolments": Enrolment.objects.filter(in_world("user")).count(),
        "reviews": reviews.count(),
        "stages": ReviewStage.objects.filter(review__in=reviews).count(),
        "sign-offs": SignOff.objects.filter(stage__review__in=reviews).count(),
        "key practice episodes": KeyPracticeEpisode.objects.filter(review__in=reviews).count(),
        "supervision sessions": SupervisionSession.objects.filter(in_world("supervisor")).count(),
        "applications": AccreditationApplication.objects.filter(in_world("trainee")).count(),
        "certificates": Certificate.objects.filter(in_world("holder")).count(),
        "notifications": Notification.objects.filter(in_world("recipient")).count(),
    }

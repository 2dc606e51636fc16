"""When each trainee last did something, and who has done nothing for a while.

Activity is what the trainee does themselves: starting or completing a module, answering a
reflective question, attempting a knowledge check, adding evidence, or moving one of their
review's stages (starting or submitting it). A supervisor's sign-off is not the trainee's work.
"""

from dataclasses import dataclass
from datetime import datetime, time

from django.db.models import OuterRef, Subquery
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
    from accreditation.models import Evidence, SignOff

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
    }


def enrolment_start(enrolment: Enrolment) -> datetime:
    """When the trainee could first have done something: the enrolment, or the cohort's first day
    if that is later."""
    cohort_start = timezone.make_aware(datetime.combine(enrolment.cohort.start_date, time.min))
    return max(enrolment.created_at, cohort_start)


def enrolments_inactive(*, idle_since: datetime) -> list[InactiveEnrolment]:
    """Active enrolments whose trainee has done nothing since ``idle_since`` (nor since the
    enrolment started), in one query."""
    sources = _activity_sources(OuterRef("user_id"))
    enrolments = (
        Enrolment.objects.filter(status=Enrolment.Status.ACTIVE, user__is_active=True)
        .select_related("user", "cohort")
        .annotate(**sources)
        .order_by("pk")
    )
    inactive = []
    for enrolment in enrolments:
        moments = [getattr(enrolment, name) for name in sources]
        since = max([enrolment_start(enrolment), *[m for m in moments if m is not None]])
        if since < idle_since:
            inactive.append(InactiveEnrolment(enrolment=enrolment, since=since))
    return inactive

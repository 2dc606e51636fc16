"""When each trainee last did something, and who has done nothing for a while.

Activity is what the trainee does themselves. Courses counts starting or completing a module,
answering a reflective question and attempting a knowledge check. Apps built on courses add
their own kinds of activity, and the conditions under which a trainee has nothing left to do
(and so is never inactive), with ``register_activity``: accreditation adds evidence, review
stages, applications, decisions and supervision, for instance.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time
from typing import Protocol

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from ..models import Enrolment, KnowledgeCheckAttempt, ModuleProgress, ReflectionAnswer


@dataclass(frozen=True)
class InactiveEnrolment:
    enrolment: Enrolment
    # The start of the quiet spell: the trainee's last activity, or the enrolment's start if they
    # have done nothing since it.
    since: datetime


def latest(*, queryset, field: str) -> Subquery:
    return Subquery(queryset.order_by(f"-{field}").values(field)[:1])


class ActivitySources(Protocol):
    """Given the trainee (an OuterRef to the user's id), the latest moment of each kind of
    activity."""

    def __call__(self, *, user_ref: OuterRef) -> dict[str, Subquery]: ...


class NothingLeftToDo(Protocol):
    """Given the trainee, whether they have nothing left to do."""

    def __call__(self, *, user_ref: OuterRef) -> Exists | Q: ...


_extra_sources: list[ActivitySources] = []
_nothing_left_to_do_conditions: list[NothingLeftToDo] = []


def register_activity(
    *, sources: ActivitySources, nothing_left_to_do: NothingLeftToDo | None = None
) -> None:
    """Count another app's activity toward a trainee's last activity, and (optionally) a
    condition under which the trainee has nothing left to do. Registering twice is harmless."""
    if sources not in _extra_sources:
        _extra_sources.append(sources)
    if nothing_left_to_do is not None and nothing_left_to_do not in _nothing_left_to_do_conditions:
        _nothing_left_to_do_conditions.append(nothing_left_to_do)


def _activity_sources(user_ref: OuterRef) -> dict[str, Subquery]:
    sources = {
        "progress_at": latest(
            queryset=ModuleProgress.objects.filter(enrolment__user=user_ref), field="updated_at"
        ),
        "reflection_at": latest(
            queryset=ReflectionAnswer.objects.filter(progress__enrolment__user=user_ref),
            field="updated_at",
        ),
        "attempt_at": latest(
            queryset=KnowledgeCheckAttempt.objects.filter(progress__enrolment__user=user_ref),
            field="created_at",
        ),
    }
    for extra in _extra_sources:
        sources.update(extra(user_ref=user_ref))
    return sources


def _nothing_left_to_do(user_ref: OuterRef) -> Q:
    condition = Q()
    for nothing_left_to_do in _nothing_left_to_do_conditions:
        condition |= nothing_left_to_do(user_ref=user_ref)
    return condition


def enrolment_start(*, enrolment: Enrolment) -> datetime:
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
        since = max([enrolment_start(enrolment=enrolment), *[m for m in moments if m is not None]])
        by_user[enrolment.user_id].append(enrolment)
        since_of[enrolment.user_id] = max(since, since_of.get(enrolment.user_id, since))
    return [
        InactiveEnrolment(enrolment=enrolment, since=since_of[user_id])
        for user_id, user_enrolments in by_user.items()
        if since_of[user_id] < idle_since
        for enrolment in user_enrolments
    ]

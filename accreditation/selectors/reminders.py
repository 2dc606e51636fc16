"""Reads for the reminder jobs: stages left waiting, each supervisor's weekly digest, and
certificates nearing their end."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import OuterRef, Q, QuerySet, Subquery

from courses.selectors.activity import enrolments_inactive

from ..models import (
    Certificate,
    ReviewStage,
    SignOff,
    SupervisedReview,
    SupervisionAttendance,
)
from .clock import reviews_at_risk


def _submission_id() -> Subquery:
    # The sign-off that put the stage in its current submission; a resubmission makes a new one.
    return Subquery(
        SignOff.objects.filter(stage=OuterRef("pk"), decision=SignOff.Decision.SUBMITTED)
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )


def stages_waiting_since(*, submitted_before: datetime) -> QuerySet[ReviewStage]:
    """Stages still waiting for sign-off that were submitted before the given moment, each
    annotated with ``submission_id``, its submission's sign-off."""
    return (
        ReviewStage.objects.filter(
            status=ReviewStage.Status.SUBMITTED, submitted_at__lt=submitted_before
        )
        .select_related("review__supervisor", "definition")
        .annotate(submission_id=_submission_id())
        .order_by("submitted_at", "pk")
    )


@dataclass
class Digest:
    stage_ids: list[int] = field(default_factory=list)
    session_ids: list[int] = field(default_factory=list)
    trainee_ids: list[int] = field(default_factory=list)
    at_risk_review_ids: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(
            self.stage_ids or self.session_ids or self.trainee_ids or self.at_risk_review_ids
        )


def supervisor_digests(*, idle_since: datetime, today: date | None = None) -> dict[int, Digest]:
    """What waits for each supervisor, keyed by supervisor id; only supervisors with something.

    - stages submitted for their sign-off;
    - supervision sessions they recorded that an attendee has not confirmed yet;
    - their trainees (on an enrolment they supervise, or on a review they supervise) who have
      done nothing since ``idle_since``;
    - given ``today``, their reviews near or past the target publication date whose Report
      stage is not approved (``selectors.clock.reviews_at_risk``), most urgent first.
    """
    digests: dict[int, Digest] = defaultdict(Digest)
    if today is not None:
        for review_id, supervisor_id in reviews_at_risk(
            reviews=SupervisedReview.objects.all(), today=today
        ).values_list("pk", "supervisor_id"):
            digests[supervisor_id].at_risk_review_ids.append(review_id)
    for stage_id, supervisor_id in (
        ReviewStage.objects.filter(status=ReviewStage.Status.SUBMITTED)
        .order_by("submitted_at", "pk")
        .values_list("pk", "review__supervisor_id")
    ):
        digests[supervisor_id].stage_ids.append(stage_id)

    seen_sessions = set()
    for session_id, supervisor_id in (
        # An erased or deactivated trainee will never confirm: their sessions are no one's work.
        SupervisionAttendance.objects.filter(
            confirmed_at__isnull=True, trainee__is_active=True, trainee__erased_at__isnull=True
        )
        .order_by("-session__date", "session_id")
        .values_list("session_id", "session__supervisor_id")
    ):
        if session_id not in seen_sessions:
            seen_sessions.add(session_id)
            digests[supervisor_id].session_ids.append(session_id)

    inactive = enrolments_inactive(idle_since=idle_since)
    trainee_ids = {item.enrolment.user_id for item in inactive}
    supervisors_of: dict[int, set[int]] = defaultdict(set)
    for item in inactive:
        if item.enrolment.supervisor_id:
            supervisors_of[item.enrolment.user_id].add(item.enrolment.supervisor_id)
    for trainee_id, supervisor_id in _current_review_supervisors(trainee_ids).items():
        supervisors_of[trainee_id].add(supervisor_id)
    for trainee_id in sorted(trainee_ids):
        for supervisor_id in supervisors_of[trainee_id]:
            digests[supervisor_id].trainee_ids.append(trainee_id)

    return {pk: digest for pk, digest in digests.items() if digest}


def _current_review_supervisors(trainee_ids: set[int]) -> dict[int, int]:
    """The supervisor of each trainee's current review (as review_for_trainee picks it: the
    latest started, as lead or as a partner who is not accredited), in one query."""
    current: dict[int, int] = {}
    for trainee_id, partner_id, partner_is_accredited, supervisor_id in (
        SupervisedReview.objects.filter(
            Q(trainee_id__in=trainee_ids)
            | Q(partner_id__in=trainee_ids, partner_is_accredited=False)
        )
        .order_by("-start_date", "-pk")
        .values_list("trainee_id", "partner_id", "partner_is_accredited", "supervisor_id")
    ):
        people = [trainee_id] + ([partner_id] if not partner_is_accredited else [])
        for person in people:
            if person in trainee_ids:
                current.setdefault(person, supervisor_id)
    return current


def certificates_expiring(*, today: date, within_days: int) -> QuerySet[Certificate]:
    """Issued certificates, not superseded by a renewal, whose validity ends within the given
    number of days (and has not ended yet). Suspended and revoked ones are left out: their
    holders cannot renew them as they stand; so are those whose holder has a renewal open."""
    return (
        Certificate.objects.valid(on=today)
        .filter(valid_until__lte=today + timedelta(days=within_days), superseded_by__isnull=True)
        .exclude(renewals__status__in=("submitted", "referred"))
        .select_related("holder")
        .order_by("valid_until", "pk")
    )

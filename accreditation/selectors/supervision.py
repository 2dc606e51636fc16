"""Reads about supervision: the sessions and who attended them, and the supervisor's sign-off
queue (the stages waiting for them and the reviews they supervise)."""

from dataclasses import dataclass

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet

from learning_platform.accounts.models import User

from ..models import (
    AccreditationScheme,
    ReviewStage,
    SupervisedReview,
    SupervisionAttendance,
    SupervisionSession,
)


def supervision_counts_for_trainee(*, user: User, scheme: AccreditationScheme) -> dict[str, int]:
    """Sessions that count towards the scheme's minimums: confirmed attendance only.

    "group" counts group sessions; "individual_report_writing" counts individual sessions held
    during report writing, which is what the scheme's individual minimum asks for. The scheme is
    taken so that scheme-specific rules can apply without changing callers.
    """
    counts = SupervisionAttendance.objects.filter(
        trainee=user, confirmed_at__isnull=False
    ).aggregate(
        group=Count("pk", filter=Q(session__kind=SupervisionSession.Kind.GROUP)),
        individual_report_writing=Count(
            "pk",
            filter=Q(
                session__kind=SupervisionSession.Kind.INDIVIDUAL,
                session__during_report_writing=True,
            ),
        ),
    )
    return {
        "group": counts["group"] or 0,
        "individual_report_writing": counts["individual_report_writing"] or 0,
    }


def supervisor_trainees(*, supervisor: User) -> QuerySet[User]:
    """Trainees on the reviews this person supervises: each lead trainee, and each partner who is
    a trainee rather than an accredited co-reviewer."""
    if not supervisor.is_authenticated:
        return User.objects.none()
    reviews = SupervisedReview.objects.filter(supervisor=supervisor)
    return (
        User.objects.filter(
            Q(pk__in=reviews.values("trainee_id"))
            | Q(pk__in=reviews.filter(partner_is_accredited=False).values("partner_id"))
        )
        .filter(is_active=True)
        .order_by("full_name", "email")
    )


class LogShows(models.TextChoices):
    """Which of the supervisor's sessions the log shows, by their attendees' confirmations."""

    ALL = "", "Every session"
    UNCONFIRMED = "unconfirmed", "Waiting for a trainee to confirm"
    CONFIRMED = "confirmed", "Confirmed by everyone"


def sessions_for_supervisor(
    *, supervisor: User, name: str = "", kind: str = "", shows: str = LogShows.ALL
) -> QuerySet[SupervisionSession]:
    """The supervisor's log, newest first, with attendees and their confirmations. ``name``
    keeps the sessions a trainee whose name holds it attended; ``kind`` keeps group or
    individual sessions; ``shows`` keeps those still waiting for a confirmation, or those
    confirmed by everyone."""
    sessions = SupervisionSession.objects.filter(supervisor=supervisor).prefetch_related(
        Prefetch(
            "attendees",
            queryset=SupervisionAttendance.objects.select_related("trainee").order_by(
                "trainee__full_name"
            ),
        )
    )
    if name.strip():
        sessions = sessions.filter(
            Exists(
                SupervisionAttendance.objects.filter(
                    session=OuterRef("pk"), trainee__full_name__icontains=name.strip()
                )
            )
        )
    if kind:
        sessions = sessions.filter(kind=kind)
    unconfirmed = Exists(
        SupervisionAttendance.objects.filter(session=OuterRef("pk"), confirmed_at__isnull=True)
    )
    if shows == LogShows.UNCONFIRMED:
        sessions = sessions.filter(unconfirmed)
    elif shows == LogShows.CONFIRMED:
        sessions = sessions.filter(~unconfirmed)
    return sessions


def attendance_for_trainee(*, trainee: User) -> QuerySet[SupervisionAttendance]:
    """Sessions a trainee is recorded at, newest first, with the session and supervisor."""
    return (
        SupervisionAttendance.objects.filter(trainee=trainee)
        .select_related("session__supervisor")
        .order_by("-session__date", "-session__pk")
    )


# The sign-off queue --------------------------------------------------------------------------


def _carried_out_by_name(name: str, *, through: str = "") -> Q:
    """Rows whose review's lead trainee or partner has a name holding ``name``."""
    prefix = f"{through}__" if through else ""
    return Q(**{f"{prefix}trainee__full_name__icontains": name}) | Q(
        **{f"{prefix}partner__full_name__icontains": name}
    )


@dataclass(frozen=True)
class WaitingStages:
    stages: list[ReviewStage]  # the first ``limit``, oldest first
    total: int


def stages_waiting_for_sign_off(
    *, supervisor: User, name: str = "", limit: int = 25
) -> WaitingStages:
    """Stages submitted for sign-off on reviews this person supervises, the ``limit`` submitted
    longest ago, and how many there are in all; ``name`` keeps those whose lead trainee or
    partner has a name holding it. One query, two when there are more than ``limit``."""
    waiting = (
        ReviewStage.objects.filter(
            review__supervisor=supervisor, status=ReviewStage.Status.SUBMITTED
        )
        .select_related("definition", "review__trainee", "review__partner")
        .order_by("submitted_at", "pk")
    )
    if name.strip():
        waiting = waiting.filter(_carried_out_by_name(name.strip(), through="review"))
    shown = list(waiting[:limit])
    return WaitingStages(stages=shown, total=len(shown) if len(shown) < limit else waiting.count())


class ReviewsShown(models.TextChoices):
    """Which of the reviews a supervisor supervises their queue lists, by their stages."""

    ALL = "", "Every review"
    WAITING = "waiting", "With a stage waiting for you"
    UNDER_WAY = "under_way", "Not yet signed off"
    SIGNED_OFF = "signed_off", "Every stage signed off"


def reviews_for_supervisor(
    *, supervisor: User, name: str = "", shows: str = ReviewsShown.ALL
) -> QuerySet[SupervisedReview]:
    """The supervisor's reviews, latest started first, each with how many stages are approved
    and waiting; ``name`` keeps those whose lead trainee or partner has a name holding it, and
    ``shows`` those with a stage waiting, those not yet signed off, or those signed off."""
    Status = ReviewStage.Status
    reviews = (
        SupervisedReview.objects.filter(supervisor=supervisor)
        .select_related("review_type", "trainee", "partner", "commissioning_organisation")
        .annotate(
            stage_count=Count("stages"),
            approved_count=Count("stages", filter=Q(stages__status=Status.APPROVED)),
            waiting_count=Count("stages", filter=Q(stages__status=Status.SUBMITTED)),
        )
        .order_by("-start_date", "-pk")
    )
    if name.strip():
        reviews = reviews.filter(_carried_out_by_name(name.strip()))
    if shows == ReviewsShown.WAITING:
        reviews = reviews.filter(waiting_count__gt=0)
    elif shows == ReviewsShown.UNDER_WAY:
        reviews = reviews.filter(approved_count__lt=F("stage_count"))
    elif shows == ReviewsShown.SIGNED_OFF:
        reviews = reviews.filter(stage_count__gt=0, approved_count=F("stage_count"))
    return reviews

"""Reads about supervision sessions and who attended them."""

from django.db.models import Count, Prefetch, Q, QuerySet

from learning_platform.accounts.models import User

from ..models import (
    AccreditationScheme,
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


def sessions_for_supervisor(*, supervisor: User) -> QuerySet[SupervisionSession]:
    """The supervisor's log, newest first, with attendees and their confirmations."""
    return SupervisionSession.objects.filter(supervisor=supervisor).prefetch_related(
        Prefetch(
            "attendees",
            queryset=SupervisionAttendance.objects.select_related("trainee").order_by(
                "trainee__full_name"
            ),
        )
    )


def attendance_for_trainee(*, trainee: User) -> QuerySet[SupervisionAttendance]:
    """Sessions a trainee is recorded at, newest first, with the session and supervisor."""
    return (
        SupervisionAttendance.objects.filter(trainee=trainee)
        .select_related("session__supervisor")
        .order_by("-session__date", "-session__pk")
    )

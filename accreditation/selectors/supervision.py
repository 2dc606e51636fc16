"""Reads about supervision sessions and who attended them."""

from django.db.models import Count, Q

from learning_platform.accounts.models import User

from ..models import AccreditationScheme, SupervisionAttendance, SupervisionSession


def supervision_counts_for_trainee(user: User, scheme: AccreditationScheme) -> dict[str, int]:
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

"""Reads about supervised reviews and their stages."""

from django.db.models import Q, QuerySet

from learning_platform.accounts.models import User

from ..models import ReviewStage, SupervisedReview


def reviews_as_reviewer(user: User) -> QuerySet[SupervisedReview]:
    """Reviews this user carries out: as the lead trainee, or as the trainee partner."""
    if not user.is_authenticated:
        return SupervisedReview.objects.none()
    return SupervisedReview.objects.filter(Q(trainee=user) | Q(partner=user))


def review_for_trainee(user: User) -> SupervisedReview | None:
    """The trainee's current supervised review (as lead or partner trainee), or None.

    An accredited co-reviewer is a partner too, but the review is not theirs to be assessed on.
    """
    if not user.is_authenticated:
        return None
    return (
        SupervisedReview.objects.filter(
            Q(trainee=user) | Q(partner=user, partner_is_accredited=False)
        )
        .select_related("scheme", "trainee", "partner", "supervisor", "commissioning_organisation")
        .order_by("-start_date", "-pk")
        .first()
    )


def stages_all_approved(review: SupervisedReview) -> bool:
    """True when the review has stages and every one of them is approved."""
    statuses = list(ReviewStage.objects.filter(review=review).values_list("status", flat=True))
    return bool(statuses) and all(s == ReviewStage.Status.APPROVED for s in statuses)

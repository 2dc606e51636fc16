"""Reads about the supervisor's recommendation: whom it is for on a review, whether it can be
made yet, and the history per trainee (newest first; the latest counts)."""

from dataclasses import dataclass, field

from learning_platform.accounts.models import User

from ..models import ReviewStage, SupervisedReview, SupervisorRecommendation

# A recommendation looks at the review as a whole, so it waits for the last stage's work.
FINISHED = (ReviewStage.Status.SUBMITTED, ReviewStage.Status.APPROVED)


def recommendation_trainees(*, review: SupervisedReview) -> list[User]:
    """The trainees a supervisor recommends on this review: the lead trainee, and the partner
    unless the partner is already an accredited reviewer."""
    trainees = [review.trainee]
    if review.partner_id and not review.partner_is_accredited:
        trainees.append(review.partner)
    return trainees


def recommendation_refusal(*, review: SupervisedReview) -> str:
    """Why no recommendation can be made on the review yet, or "" when one can."""
    last = ReviewStage.objects.filter(review=review).order_by("-sort_order", "-pk").first()
    if last is None:
        return "The review has no stages yet, so there is nothing to recommend on."
    if last.status not in FINISHED:
        return (
            "You can make a recommendation once the last stage of the review has been "
            f"submitted or approved (it is {last.get_status_display().lower()})."
        )
    return ""


@dataclass
class TraineeRecommendations:
    trainee: User
    history: list[SupervisorRecommendation] = field(default_factory=list)

    @property
    def latest(self) -> SupervisorRecommendation | None:
        return self.history[0] if self.history else None


def review_recommendations(*, review: SupervisedReview) -> list[TraineeRecommendations]:
    """Each trainee of the review with their recommendations, newest first. One query."""
    rows = [TraineeRecommendations(trainee=t) for t in recommendation_trainees(review=review)]
    by_trainee = {row.trainee.pk: row for row in rows}
    recommendations = (
        SupervisorRecommendation.objects.filter(review=review)
        .select_related("supervisor")
        .order_by("-created_at", "-pk")
    )
    for recommendation in recommendations:
        row = by_trainee.get(recommendation.trainee_id)
        if row is not None:
            row.history.append(recommendation)
    return rows

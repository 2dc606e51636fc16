"""The supervisor's recommendation: at the end of the review, whether each trainee of the pair is
ready to be accredited, with a statement. Append-only; the latest one for a trainee counts."""

from django.db import transaction

from wagtail.log_actions import log

from learning_platform.accounts.models import User
from notifications.services import notify

from ..events import AccreditationEvent
from ..exceptions import TransitionError
from ..models import SupervisedReview, SupervisorRecommendation
from ..selectors.recommendations import recommendation_refusal, recommendation_trainees

STATEMENT_MAX_LENGTH = 10_000


@transaction.atomic
def recommendation_record(
    *, review: SupervisedReview, trainee: User, supervisor: User, ready: bool, statement: str
) -> SupervisorRecommendation:
    statement = (statement or "").strip()
    if not statement:
        raise TransitionError("Write a statement saying why you make this recommendation.")
    if len(statement) > STATEMENT_MAX_LENGTH:
        raise TransitionError(
            f"Your statement is too long: keep it under {STATEMENT_MAX_LENGTH:,} characters."
        )
    # Locked so the state checked is the state the recommendation is made on (a stage reopened
    # at the same moment waits for this, or this waits for it).
    review = (
        SupervisedReview.objects.select_for_update(of=("self",))
        .select_related("trainee", "partner")
        .get(pk=review.pk)
    )
    if review.supervisor_id != supervisor.pk:
        raise TransitionError("Only the review's supervisor can make a recommendation.")
    if trainee.pk not in {person.pk for person in recommendation_trainees(review=review)}:
        raise TransitionError(
            "A recommendation is for a trainee of this review: its lead trainee or their "
            "trainee partner."
        )
    refusal = recommendation_refusal(review=review)
    if refusal:
        raise TransitionError(refusal)
    recommendation = SupervisorRecommendation.objects.create(
        review=review,
        trainee=trainee,
        supervisor=supervisor,
        ready=bool(ready),
        statement=statement,
    )
    log(
        instance=recommendation,
        action="accreditation.recommendation.record",
        user=supervisor,
        data={"trainee": trainee.pk, "ready": bool(ready)},
    )
    notify(
        recipient=trainee,
        event=AccreditationEvent.RECOMMENDATION_RECORDED,
        actor=supervisor,
        target=recommendation,
        context={"ready": bool(ready)},
    )
    return recommendation

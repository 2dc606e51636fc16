"""The review-stage state machine (DESIGN.md §3). Each transition is one function: it locks the
stage, checks the state and the person, changes the status, and writes an append-only sign-off
and an audit entry, all in one transaction.

    not_started → in_progress → submitted → approved | changes_requested
    changes_requested → submitted;   approved → in_progress (supervisor reopens, with a reason)
"""

from django.db import transaction
from django.utils import timezone

from wagtail.log_actions import log

from learning_platform.accounts.models import User
from notifications.services import notifications_mark_done, notify, notify_many

from ..events import AccreditationEvent
from ..exceptions import TransitionError
from ..models import ReviewStage, SignOff
from ..selectors.reviews import (
    stage_change_refusal,
    stage_held_back_by,
    stage_held_back_message,
    stage_reopen_refusal,
    stage_still_needed,
    stage_still_needed_message,
)

Status = ReviewStage.Status

# What each status reads as in a message: "This stage is already approved."
_ALREADY = {
    Status.NOT_STARTED: "has not been started yet",
    Status.IN_PROGRESS: "is in progress",
    Status.SUBMITTED: "has already been submitted and is waiting for the supervisor",
    Status.CHANGES_REQUESTED: "has been sent back for changes",
    Status.APPROVED: "is already approved",
}


def _lock(stage: ReviewStage) -> ReviewStage:
    # Lock the row so two people acting at once (a double click, the pair both submitting)
    # cannot both pass the state check.
    return (
        ReviewStage.objects.select_for_update()
        .select_related("review", "definition")
        .get(pk=stage.pk)
    )


def _require_reviewer(stage: ReviewStage, user: User, doing: str) -> None:
    review = stage.review
    if user.pk not in (review.trainee_id, review.partner_id):
        raise TransitionError(f"Only the trainee and their review partner can {doing}.")


def _require_supervisor(stage: ReviewStage, user: User, doing: str) -> None:
    if user.pk != stage.review.supervisor_id:
        raise TransitionError(f"Only the review's supervisor can {doing}.")


def _move(
    stage: ReviewStage,
    *,
    to_status: str,
    decision: str,
    user: User,
    comment: str = "",
    verb: str,
) -> SignOff:
    from_status = stage.status
    stage.status = to_status
    fields = ["status", "updated_at"]
    if to_status == Status.SUBMITTED:
        stage.submitted_at = timezone.now()
        fields.append("submitted_at")
    stage.save(update_fields=fields)
    sign_off = SignOff.objects.create(
        stage=stage,
        by=user,
        decision=decision,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
    )
    log(
        instance=stage,
        action=f"accreditation.stage.{verb}",
        user=user,
        data={
            "review_id": stage.review_id,
            "stage": stage.definition.title,
            "from_status": from_status,
            "to_status": to_status,
            "comment": comment,
            "sign_off_id": sign_off.pk,
        },
    )
    _notify(stage, sign_off)
    return sign_off


_EVENTS = {
    SignOff.Decision.SUBMITTED: AccreditationEvent.STAGE_SUBMITTED,
    SignOff.Decision.APPROVED: AccreditationEvent.STAGE_APPROVED,
    SignOff.Decision.CHANGES_REQUESTED: AccreditationEvent.STAGE_CHANGES_REQUESTED,
    SignOff.Decision.REOPENED: AccreditationEvent.STAGE_REOPENED,
}


def _notify(stage: ReviewStage, sign_off: SignOff) -> None:
    event = _EVENTS.get(sign_off.decision)
    if event is None:
        return
    review = stage.review
    if event in (AccreditationEvent.STAGE_APPROVED, AccreditationEvent.STAGE_CHANGES_REQUESTED):
        # The supervisor has decided: what asked them to (the submission, and any reminder
        # that it waits) is done.
        notifications_mark_done(
            recipient=sign_off.by,
            event=[AccreditationEvent.STAGE_SUBMITTED, AccreditationEvent.STAGE_WAITING_REMINDER],
            target=SignOff.objects.filter(stage=stage, decision=SignOff.Decision.SUBMITTED),
        )
    if event == AccreditationEvent.STAGE_SUBMITTED:
        notify(recipient=review.supervisor, event=event, actor=sign_off.by, target=sign_off)
    else:
        notify_many(
            recipients=[review.trainee, review.partner],
            event=event,
            actor=sign_off.by,
            target=sign_off,
        )


def stage_start_locked(*, stage: ReviewStage, user: User) -> SignOff:
    """Start a stage that is already locked in the caller's transaction (adding its first
    evidence or register entry starts it)."""
    return _move(
        stage,
        to_status=Status.IN_PROGRESS,
        decision=SignOff.Decision.STARTED,
        user=user,
        verb="start",
    )


@transaction.atomic
def stage_start(*, stage: ReviewStage, user: User) -> SignOff:
    stage = _lock(stage)
    _require_reviewer(stage, user, "start a stage")
    if stage.status != Status.NOT_STARTED:
        raise TransitionError(f"This stage {_ALREADY[stage.status]}.")
    return stage_start_locked(stage=stage, user=user)


@transaction.atomic
def stage_submit(*, stage: ReviewStage, user: User, comment: str = "") -> SignOff:
    stage = _lock(stage)
    _require_reviewer(stage, user, "submit a stage for sign-off")
    if stage.status not in (Status.IN_PROGRESS, Status.CHANGES_REQUESTED, Status.NOT_STARTED):
        raise TransitionError(f"This stage {_ALREADY[stage.status]}.")
    # What the stage needs is its definition's to say: files or notes, its register, or both.
    missing = stage_still_needed(stage=stage)
    if missing:
        raise TransitionError(stage_still_needed_message(missing=missing))
    if stage.status == Status.NOT_STARTED:
        raise TransitionError("Start this stage before submitting it.")
    return _move(
        stage,
        to_status=Status.SUBMITTED,
        decision=SignOff.Decision.SUBMITTED,
        user=user,
        comment=comment.strip(),
        verb="submit",
    )


@transaction.atomic
def stage_approve(*, stage: ReviewStage, user: User, comment: str = "") -> SignOff:
    stage = _lock(stage)
    _require_supervisor(stage, user, "approve a stage")
    if stage.status != Status.SUBMITTED:
        raise TransitionError(
            f"Only a submitted stage can be approved. This stage {_ALREADY[stage.status]}."
            if stage.status != Status.APPROVED
            else "This stage is already approved."
        )
    # _lock holds the review's row as well as the stage's, and every transition takes it, so
    # no earlier stage can be reopened or sent back while this check is being made.
    blocker = stage_held_back_by(stage=stage)
    if blocker is not None:
        raise TransitionError(stage_held_back_message(blocker=blocker))
    return _move(
        stage,
        to_status=Status.APPROVED,
        decision=SignOff.Decision.APPROVED,
        user=user,
        comment=comment.strip(),
        verb="approve",
    )


@transaction.atomic
def stage_request_changes(*, stage: ReviewStage, user: User, comment: str) -> SignOff:
    stage = _lock(stage)
    _require_supervisor(stage, user, "send a stage back for changes")
    if stage.status != Status.SUBMITTED:
        raise TransitionError(
            f"Only a submitted stage can be sent back. This stage {_ALREADY[stage.status]}."
        )
    if not comment.strip():
        raise TransitionError("Say what needs to change before sending the stage back.")
    return _move(
        stage,
        to_status=Status.CHANGES_REQUESTED,
        decision=SignOff.Decision.CHANGES_REQUESTED,
        user=user,
        comment=comment.strip(),
        verb="request_changes",
    )


@transaction.atomic
def stage_reopen(*, stage: ReviewStage, user: User, reason: str) -> SignOff:
    stage = _lock(stage)
    _require_supervisor(stage, user, "reopen a stage")
    if stage.status != Status.APPROVED:
        raise TransitionError(
            f"Only an approved stage can be reopened. This stage {_ALREADY[stage.status]}."
        )
    refusal = stage_reopen_refusal(review=stage.review, lock=True)
    if refusal:
        raise TransitionError(refusal)
    if not reason.strip():
        raise TransitionError("Give a reason for reopening this stage.")
    return _move(
        stage,
        to_status=Status.IN_PROGRESS,
        decision=SignOff.Decision.REOPENED,
        user=user,
        comment=reason.strip(),
        verb="reopen",
    )


def lock_editable_stage(*, stage: ReviewStage, user: User, doing: str) -> ReviewStage:
    """Lock a stage for a change to its evidence or register, inside the caller's transaction.

    Refuses unless the user is the trainee or partner and the stage is editable; a stage not yet
    started is started by the change.
    """
    stage = _lock(stage)
    refusal = stage_change_refusal(stage=stage, user=user, doing=doing)
    if refusal:
        raise TransitionError(refusal)
    if stage.status == Status.NOT_STARTED:
        stage_start_locked(stage=stage, user=user)
    return stage

"""The accreditation application's state machine, one service per transition.

draft → submitted → approved | referred | declined; referred → submitted; the trainee may
withdraw a draft, submitted or referred application (→ withdrawn, final), and then start a new one.

Each transition locks the application row, re-checks its state inside the lock (so two assessors
deciding at once produce exactly one decision), writes an append-only Decision where an assessor
decides, and an audit entry with who, from, to and why.
"""

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from wagtail.log_actions import log

from courses.models import Enrolment
from learning_platform.accounts.models import User
from learning_platform.accounts.roles import Role, user_is_assessor
from notifications.services import notify, notify_many

from ..events import AccreditationEvent
from ..exceptions import TransitionError
from ..models import (
    AccreditationApplication,
    Appeal,
    AssessmentCriterion,
    Certificate,
    Decision,
    SupervisedReview,
    SupervisorRecommendation,
)
from ..selectors.applications import assessor_supervises_trainee
from ..selectors.readiness import accreditation_readiness
from ..selectors.reviews import review_for_trainee, stages_all_approved
from .certificates import certificate_issue
from .criteria import judgements_for_decision, judgements_record, required_actions_from

Status = AccreditationApplication.Status
Answers = Mapping[int, tuple[bool | None, str]]

STATEMENT_MAX_LENGTH = 20_000
WITHDRAWAL_REASON_MAX_LENGTH = 2_000
WITHDRAWABLE = (Status.DRAFT, Status.SUBMITTED, Status.REFERRED)


def _lock(application: AccreditationApplication) -> AccreditationApplication:
    return (
        AccreditationApplication.objects.select_for_update()
        .select_related("review", "scheme", "trainee")
        .get(pk=application.pk)
    )


def _audit(
    application: AccreditationApplication, *, verb: str, user: User, old: str, reason: str = ""
) -> None:
    log(
        instance=application,
        action=f"accreditation.application.{verb}",
        user=user,
        data={"from": old, "to": application.status, "reason": reason},
    )


def _clean_statement(statement: str) -> str:
    statement = (statement or "").strip()
    if len(statement) > STATEMENT_MAX_LENGTH:
        raise TransitionError(
            f"Your reflective statement is too long: keep it under {STATEMENT_MAX_LENGTH:,} "
            "characters."
        )
    return statement


@transaction.atomic
def application_save_draft(*, trainee: User, reflective_statement: str) -> AccreditationApplication:
    """Save the trainee's statement on their draft (or referred) application, creating the draft
    for their current review if there is none."""
    review = review_for_trainee(user=trainee)
    if review is None:
        raise TransitionError("You need a supervised review before you can apply.")
    # Lock the review so two tabs saving at once do not create two drafts.
    SupervisedReview.objects.select_for_update().filter(pk=review.pk).first()
    application = (
        AccreditationApplication.objects.select_for_update()
        .filter(trainee=trainee, review=review)
        .order_by("-pk")
        .first()
    )
    # A withdrawn application stays as it was, for the record; the trainee starts a new one.
    if application is None or application.status == Status.WITHDRAWN:
        application = AccreditationApplication.objects.create(
            trainee=trainee, review=review, scheme=review.scheme
        )
        log(instance=application, action="accreditation.application.create", user=trainee)
    if application.status not in (Status.DRAFT, Status.REFERRED):
        raise TransitionError(
            f"Your application is {application.get_status_display().lower()}, so the statement "
            "can no longer be changed."
        )
    application.reflective_statement = _clean_statement(reflective_statement)
    application.save(update_fields=["reflective_statement", "updated_at"])
    return application


def _check_ready(application: AccreditationApplication) -> None:
    readiness = accreditation_readiness(user=application.trainee, application=application)
    if readiness.review is None or readiness.review.pk != application.review_id:
        raise TransitionError("This application is not for your current supervised review.")
    if not readiness.all_met:
        missing = " ".join(f"{item.label}: {item.detail}" for item in readiness.missing)
        raise TransitionError(f"You cannot submit your application yet. {missing}")


# What each way of sending the application to the assessors requires: the status it starts
# from, and the words of its refusals.
_SUBMISSIONS = {
    "submit": (Status.DRAFT, "Only a draft application can be submitted"),
    "resubmit": (Status.REFERRED, "Only an application that was referred back can be resubmitted"),
}


def application_submit(
    *,
    application: AccreditationApplication,
    trainee: User,
    reflective_statement: str | None = None,
) -> AccreditationApplication:
    """Send a draft to the assessors."""
    return _submit(application, trainee, reflective_statement, verb="submit")


def application_resubmit(
    *,
    application: AccreditationApplication,
    trainee: User,
    reflective_statement: str | None = None,
) -> AccreditationApplication:
    """Send an application that was referred back to the assessors again."""
    return _submit(application, trainee, reflective_statement, verb="resubmit")


@transaction.atomic
def _submit(
    application: AccreditationApplication, trainee: User, statement: str | None, *, verb: str
) -> AccreditationApplication:
    required_status, refusal = _SUBMISSIONS[verb]
    application = _lock(application)
    if application.trainee_id != trainee.pk:
        raise TransitionError(f"Only the trainee can {verb} their own application.")
    if application.status != required_status:
        raise TransitionError(
            f"{refusal} (this one is {application.get_status_display().lower()})."
        )
    if statement is not None:
        application.reflective_statement = _clean_statement(statement)
    _check_ready(application)
    old = application.status
    application.status = Status.SUBMITTED
    application.submitted_at = timezone.now()
    application.save(update_fields=["status", "submitted_at", "reflective_statement", "updated_at"])
    _audit(application, verb=verb, user=trainee, old=old)
    notify_many(
        recipients=_assessors_for(application),
        event=AccreditationEvent.APPLICATION_SUBMITTED,
        actor=trainee,
        target=application,
        context={"resubmitted": verb == "resubmit"},
    )
    return application


@transaction.atomic
def application_withdraw(
    *, application: AccreditationApplication, trainee: User, reason: str
) -> AccreditationApplication:
    """The trainee withdraws their application, giving a reason. A submitted one leaves the
    assessors' queue; an assessor who opens it finds it can no longer be decided."""
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError("Say why you are withdrawing your application.")
    if len(reason) > WITHDRAWAL_REASON_MAX_LENGTH:
        raise TransitionError(
            f"Your reason is too long: keep it under {WITHDRAWAL_REASON_MAX_LENGTH:,} characters."
        )
    application = _lock(application)
    if application.trainee_id != trainee.pk:
        raise TransitionError("Only the trainee can withdraw their own application.")
    if application.status not in WITHDRAWABLE:
        raise TransitionError(
            "Only a draft, submitted or referred application can be withdrawn (this one is "
            f"{application.get_status_display().lower()}); it may just have been decided."
        )
    old = application.status
    application.status = Status.WITHDRAWN
    application.withdrawn_at = timezone.now()
    application.withdrawal_reason = reason
    application.save(update_fields=["status", "withdrawn_at", "withdrawal_reason", "updated_at"])
    _audit(application, verb="withdraw", user=trainee, old=old, reason=reason)
    return application


def _assessors_for(application: AccreditationApplication) -> list[User]:
    # Not the trainee's own supervisors: they may not decide on it, nor read the portfolio.
    supervisors = Enrolment.objects.filter(user_id=application.trainee_id).values("supervisor_id")
    return list(
        User.objects.filter(is_active=True, groups__name=Role.ASSESSOR.value)
        .exclude(pk=application.trainee_id)
        .exclude(pk=application.review.supervisor_id)
        .exclude(pk__in=supervisors.exclude(supervisor_id=None))
        .distinct()
    )


def _check_assessor(application: AccreditationApplication, assessor: User) -> None:
    if not user_is_assessor(assessor):
        raise TransitionError("Only an assessor can decide on an application.")
    if assessor.pk == application.trainee_id:
        raise TransitionError("You cannot decide on your own application.")
    if assessor_supervises_trainee(assessor=assessor, application=application):
        raise TransitionError(
            "You supervise this trainee, so another assessor must decide on their application."
        )
    if Decision.objects.filter(
        application=application, assessor=assessor, appeal__status=Appeal.Status.OVERTURNED
    ).exists():
        raise TransitionError(
            "Your decline of this application was overturned on appeal, so another assessor "
            "must decide on it."
        )


def _recommended(application: AccreditationApplication) -> bool:
    """The supervisor's latest recommendation for this trainee on this review says ready."""
    latest = (
        SupervisorRecommendation.objects.filter(
            review_id=application.review_id, trainee_id=application.trainee_id
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    return latest is not None and latest.ready


def _decide(
    *,
    application: AccreditationApplication,
    assessor: User,
    outcome: str,
    reasons: str,
    answers: Answers,
    required_actions: str = "",
) -> Decision:
    reasons = (reasons or "").strip()
    extra_actions = (required_actions or "").strip()
    if not reasons:
        raise TransitionError("Give the reasons for your decision.")
    application = _lock(application)
    _check_assessor(application, assessor)
    # Re-checked inside the lock: a second assessor who opened the same application finds it
    # already decided and changes nothing.
    if application.status != Status.SUBMITTED:
        raise TransitionError(
            "Only a submitted application can be decided (this one is "
            f"{application.get_status_display().lower()}); it may just have been decided by "
            "another assessor."
        )
    if outcome == Decision.Outcome.APPROVED and not stages_all_approved(review=application.review):
        raise TransitionError(
            "A stage of this review is no longer approved (it was reopened), so the application "
            "cannot be approved until the supervisor signs that stage off again. You can refer "
            "it back instead."
        )
    if outcome == Decision.Outcome.APPROVED and not _recommended(application):
        raise TransitionError(
            "The supervisor's latest recommendation does not say this trainee is ready, so the "
            "application cannot be approved. You can refer it back instead."
        )
    judgements = judgements_for_decision(
        scheme=application.scheme,
        purpose=AssessmentCriterion.Purpose.ACCREDITATION,
        answers=answers,
        outcome=outcome,
    )
    required_actions = "\n".join(
        part for part in (required_actions_from(judgements), extra_actions) if part
    )
    if outcome == Decision.Outcome.REFERRED and not required_actions:
        raise TransitionError("Say what the trainee must do before they resubmit.")
    old = application.status
    application.status = outcome
    application.save(update_fields=["status", "updated_at"])
    decision = Decision.objects.create(
        application=application,
        assessor=assessor,
        outcome=outcome,
        reasons=reasons,
        required_actions=required_actions,
    )
    judgements_record(judgements=judgements, decision=decision)
    _audit(application, verb=_VERBS[outcome], user=assessor, old=old, reason=reasons)
    notify(
        recipient=application.trainee,
        event=AccreditationEvent.APPLICATION_DECIDED,
        actor=assessor,
        target=decision,
        context={"outcome": outcome},
    )
    return decision


_VERBS = {
    Decision.Outcome.APPROVED: "approve",
    Decision.Outcome.REFERRED: "refer",
    Decision.Outcome.DECLINED: "decline",
}


@transaction.atomic
def application_approve(
    *, application: AccreditationApplication, assessor: User, reasons: str, answers: Answers
) -> Certificate:
    """Approve and issue the certificate in the same transaction; the PDF follows on commit.
    Every criterion of the scheme must be judged met."""
    decision = _decide(
        application=application,
        assessor=assessor,
        outcome=Decision.Outcome.APPROVED,
        reasons=reasons,
        answers=answers,
    )
    return certificate_issue(application=decision.application, by=assessor)


@transaction.atomic
def application_refer(
    *,
    application: AccreditationApplication,
    assessor: User,
    reasons: str,
    answers: Answers,
    required_actions: str = "",
) -> Decision:
    """Refer back: the required actions are those written against each criterion not yet met,
    then any the assessor adds."""
    return _decide(
        application=application,
        assessor=assessor,
        outcome=Decision.Outcome.REFERRED,
        reasons=reasons,
        answers=answers,
        required_actions=required_actions,
    )


@transaction.atomic
def application_decline(
    *, application: AccreditationApplication, assessor: User, reasons: str, answers: Answers
) -> Decision:
    """Decline: every criterion is still judged, so the trainee knows where they stood."""
    return _decide(
        application=application,
        assessor=assessor,
        outcome=Decision.Outcome.DECLINED,
        reasons=reasons,
        answers=answers,
    )

"""The review-stage state machine: every legal and illegal transition, its sign-off and its audit
entry."""

from wagtail.log_actions import registry
from wagtail.models import ModelLogEntry

import pytest

from accreditation.exceptions import TransitionError
from accreditation.models import ReviewStage, SignOff
from accreditation.services.evidence import evidence_add_note
from accreditation.services.stages import (
    stage_approve,
    stage_reopen,
    stage_request_changes,
    stage_start,
    stage_submit,
)

from .factories import stage
from .stage_helpers import stage_state

Status = ReviewStage.Status
pytestmark = pytest.mark.django_db


def _with_evidence(review, user, number=1):
    first = stage(review, number)
    evidence_add_note(stage=first, user=user, title="Scope", note="Research questions agreed.")
    return stage(review, number)


def _submitted(review, tess):
    s = _with_evidence(review, tess)
    stage_submit(stage=s, user=tess)
    return stage(review, 1)


def _approved(review, tess, sam):
    s = _submitted(review, tess)
    stage_approve(stage=s, user=sam, comment="Clear scope.")
    return stage(review, 1)


# Legal transitions ---------------------------------------------------------------------------


def test_it_starts_a_stage_explicitly(review, tess):
    s = stage(review, 1)
    sign_off = stage_start(stage=s, user=tess)
    assert stage(review, 1).status == Status.IN_PROGRESS
    assert (sign_off.from_status, sign_off.to_status) == (Status.NOT_STARTED, Status.IN_PROGRESS)
    assert sign_off.decision == SignOff.Decision.STARTED
    assert sign_off.by == tess


def test_it_starts_a_stage_when_the_first_evidence_is_added(review, pat):
    s = _with_evidence(review, pat)
    assert s.status == Status.IN_PROGRESS
    assert list(SignOff.objects.filter(stage=s).values_list("decision", flat=True)) == ["started"]


def test_it_lets_the_partner_submit_a_stage_with_evidence(review, tess, pat):
    s = _with_evidence(review, tess)
    sign_off = stage_submit(stage=s, user=pat, comment="Ready for you.")
    s.refresh_from_db()
    assert s.status == Status.SUBMITTED
    assert s.submitted_at is not None
    assert (sign_off.from_status, sign_off.to_status, sign_off.comment) == (
        Status.IN_PROGRESS,
        Status.SUBMITTED,
        "Ready for you.",
    )


def test_it_lets_the_supervisor_approve_a_submitted_stage(review, tess, sam):
    s = _approved(review, tess, sam)
    assert s.status == Status.APPROVED
    last = SignOff.objects.filter(stage=s).last()
    assert (last.by, last.decision, last.comment) == (sam, "approved", "Clear scope.")


def test_it_sends_a_stage_back_and_takes_a_resubmission(review, tess, sam):
    s = _submitted(review, tess)
    stage_request_changes(stage=s, user=sam, comment="Name the agencies in the scope.")
    assert stage(review, 1).status == Status.CHANGES_REQUESTED
    stage_submit(stage=stage(review, 1), user=tess, comment="Agencies named.")
    s = stage(review, 1)
    assert s.status == Status.SUBMITTED
    decisions = list(SignOff.objects.filter(stage=s).values_list("decision", "to_status"))
    assert decisions == [
        ("started", "in_progress"),
        ("submitted", "submitted"),
        ("changes_requested", "changes_requested"),
        ("submitted", "submitted"),
    ]


def test_it_lets_the_supervisor_reopen_an_approved_stage_with_a_reason(review, tess, sam):
    s = _approved(review, tess, sam)
    sign_off = stage_reopen(stage=s, user=sam, reason="The board changed the scope.")
    assert stage(review, 1).status == Status.IN_PROGRESS
    assert (sign_off.decision, sign_off.from_status, sign_off.comment) == (
        "reopened",
        "approved",
        "The board changed the scope.",
    )


# Illegal transitions: a message, and nothing changes -----------------------------------------


def test_it_refuses_to_approve_an_already_approved_stage(review, tess, sam):
    s = _approved(review, tess, sam)
    before = stage_state(s)
    with pytest.raises(TransitionError, match="This stage is already approved."):
        stage_approve(stage=s, user=sam)
    assert stage_state(s) == before


def test_it_refuses_to_submit_a_stage_with_no_evidence(review, tess):
    s = stage(review, 2)
    stage_start(stage=s, user=tess)
    before = stage_state(s)
    with pytest.raises(
        TransitionError,
        match="^Before submitting this stage, add a file or a written note.$",
    ):
        stage_submit(stage=stage(review, 2), user=tess)
    assert stage_state(s) == before


def test_it_refuses_to_submit_a_stage_not_started(review, tess):
    s = stage(review, 3)
    with pytest.raises(TransitionError, match="^Before submitting this stage, add "):
        stage_submit(stage=s, user=tess)
    assert stage_state(s) == (Status.NOT_STARTED, 0)


def test_it_refuses_to_submit_twice(review, tess, pat):
    s = _submitted(review, tess)
    before = stage_state(s)
    with pytest.raises(TransitionError, match="already been submitted"):
        stage_submit(stage=s, user=pat)
    assert stage_state(s) == before


def test_it_refuses_to_start_a_started_stage(review, tess):
    s = _with_evidence(review, tess)
    with pytest.raises(TransitionError, match="in progress"):
        stage_start(stage=s, user=tess)
    assert stage_state(s) == (Status.IN_PROGRESS, 1)


@pytest.mark.parametrize("service", ["approve", "request_changes"])
def test_it_refuses_a_decision_on_a_stage_not_submitted(review, tess, sam, service):
    s = _with_evidence(review, tess)
    before = stage_state(s)
    call = {"approve": stage_approve, "request_changes": stage_request_changes}[service]
    with pytest.raises(TransitionError, match="Only a submitted stage"):
        call(stage=s, user=sam, comment="Looks fine")
    assert stage_state(s) == before


def test_it_refuses_to_reopen_a_stage_that_is_not_approved(review, tess, sam):
    s = _submitted(review, tess)
    before = stage_state(s)
    with pytest.raises(TransitionError, match="Only an approved stage can be reopened"):
        stage_reopen(stage=s, user=sam, reason="Because")
    assert stage_state(s) == before


def test_it_requires_a_reason_to_reopen(review, tess, sam):
    s = _approved(review, tess, sam)
    before = stage_state(s)
    with pytest.raises(TransitionError, match="Give a reason"):
        stage_reopen(stage=s, user=sam, reason="   ")
    assert stage_state(s) == before


def test_it_requires_feedback_to_send_a_stage_back(review, tess, sam):
    s = _submitted(review, tess)
    before = stage_state(s)
    with pytest.raises(TransitionError, match="Say what needs to change"):
        stage_request_changes(stage=s, user=sam, comment="")
    assert stage_state(s) == before


@pytest.mark.parametrize("who", ["tess", "pat", "uma", "ali", "ada", "sid"])
def test_it_lets_only_the_reviews_supervisor_reopen(review, tess, sam, who, request):
    s = _approved(review, tess, sam)
    before = stage_state(s)
    with pytest.raises(TransitionError, match="Only the review's supervisor"):
        stage_reopen(stage=s, user=request.getfixturevalue(who), reason="A reason")
    assert stage_state(s) == before


@pytest.mark.parametrize("who", ["tess", "pat", "sid", "ada"])
def test_it_lets_only_the_reviews_supervisor_approve(review, tess, who, request):
    s = _submitted(review, tess)
    before = stage_state(s)
    with pytest.raises(TransitionError, match="Only the review's supervisor"):
        stage_approve(stage=s, user=request.getfixturevalue(who))
    assert stage_state(s) == before


@pytest.mark.parametrize("who", ["sam", "uma", "ada"])
def test_it_lets_only_the_trainee_pair_submit(review, tess, who, request):
    s = _with_evidence(review, tess)
    before = stage_state(s)
    with pytest.raises(TransitionError, match="Only the trainee and their review partner"):
        stage_submit(stage=s, user=request.getfixturevalue(who))
    assert stage_state(s) == before


# Sign-offs and the audit log ------------------------------------------------------------------


def test_it_keeps_sign_offs_append_only(review, tess):
    s = _with_evidence(review, tess)
    sign_off = SignOff.objects.get(stage=s)
    sign_off.comment = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        sign_off.save()
    assert SignOff.objects.get(pk=sign_off.pk).comment == ""


def test_it_writes_an_audit_entry_for_every_transition(review, tess, sam):
    s = _approved(review, tess, sam)
    stage_reopen(stage=s, user=sam, reason="Scope changed.")
    entries = ModelLogEntry.objects.filter(
        content_type__model="reviewstage",
        object_id=str(s.pk),
        action__startswith="accreditation.stage.",
    ).order_by("timestamp", "pk")
    assert [(e.action, e.user_id) for e in entries] == [
        ("accreditation.stage.start", tess.pk),
        ("accreditation.stage.submit", tess.pk),
        ("accreditation.stage.approve", sam.pk),
        ("accreditation.stage.reopen", sam.pk),
    ]
    reopen = entries.last()
    assert reopen.data["from_status"] == "approved"
    assert reopen.data["to_status"] == "in_progress"
    assert reopen.data["comment"] == "Scope changed."
    assert registry.get_action_label("accreditation.stage.reopen") == "Stage: reopen"


def test_it_writes_no_audit_entry_for_a_refused_transition(review, tess, sam):
    s = _approved(review, tess, sam)
    count = ModelLogEntry.objects.filter(object_id=str(s.pk)).count()
    with pytest.raises(TransitionError):
        stage_approve(stage=s, user=sam)
    assert ModelLogEntry.objects.filter(object_id=str(s.pk)).count() == count


# What the supervisor was asked to do is done --------------------------------------------------


def _unread(user, event):
    from notifications.models import Notification

    return Notification.objects.filter(recipient=user, event=event, read_at__isnull=True)


@pytest.mark.parametrize("decide", ["approve", "request_changes"])
def test_it_marks_the_supervisors_submitted_notice_read_when_they_decide(
    decide, review, tess, pat, sam
):
    from accreditation.events import AccreditationEvent

    submitted = _submitted(review, tess)
    # Another stage waiting for Sam stays unread: only the decided one is done.
    other = _with_evidence(review, tess, 2)
    stage_submit(stage=other, user=tess)
    assert _unread(sam, AccreditationEvent.STAGE_SUBMITTED).count() == 2

    if decide == "approve":
        stage_approve(stage=submitted, user=sam, comment="Clear scope.")
    else:
        stage_request_changes(stage=submitted, user=sam, comment="Name the questions.")

    (left,) = _unread(sam, AccreditationEvent.STAGE_SUBMITTED)
    assert left.target.stage_id == other.pk
    # The trainees' news of the decision is new to them, so it stays unread.
    decided = (
        AccreditationEvent.STAGE_APPROVED
        if decide == "approve"
        else AccreditationEvent.STAGE_CHANGES_REQUESTED
    )
    assert _unread(tess, decided).count() == 1
    assert _unread(pat, decided).count() == 1


def test_it_leaves_the_notice_unread_when_the_decision_is_refused(review, tess, pat, sam):
    from accreditation.events import AccreditationEvent

    submitted = _submitted(review, tess)
    with pytest.raises(TransitionError):
        stage_request_changes(stage=submitted, user=sam, comment="  ")
    assert _unread(sam, AccreditationEvent.STAGE_SUBMITTED).count() == 1

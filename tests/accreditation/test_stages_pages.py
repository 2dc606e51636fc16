"""The review page, the stage page and its buttons, and the supervisor's queue: what each shows,
what the buttons do, and a constant number of queries however much there is."""

from django.urls import reverse
from django.utils import timezone

import pytest

from accreditation.models import ReviewStage, SignOff
from accreditation.services.evidence import evidence_add_note
from accreditation.services.stages import stage_approve, stage_submit

from .factories import fill_stage, stage

pytestmark = pytest.mark.django_db
Status = ReviewStage.Status


def _submitted_stage(review, tess):
    evidence_add_note(stage=stage(review, 1), user=tess, title="Scope", note="Agreed scope.")
    stage_submit(stage=stage(review, 1), user=tess, comment="Please look at the scope.")
    return stage(review, 1)


def _post(client, name, s, comment=""):
    return client.post(
        reverse(f"accreditation:{name}", args=[s.pk]), {f"{name[6:]}-comment": comment}
    )


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# Review page --------------------------------------------------------------------------------


def test_it_shows_the_stages_as_a_task_list_with_their_status(client, review, tess, sam):
    _submitted_stage(review, tess)
    client.force_login(tess)
    response = client.get(reverse("accreditation:review_detail", args=[review.pk]))
    content = response.content.decode()
    for title in ("Preparation", "Data collection", "Organising and analysing data", "Findings"):
        assert title in content
    assert "Submitted</strong>" in content
    assert content.count("Not started</strong>") == 4
    assert "Child K" in content
    assert "0 of 5 stages signed off" in content
    assert reverse("accreditation:my_supervision") in content


# Stage page ---------------------------------------------------------------------------------


def test_it_shows_guidance_evidence_and_the_full_history(client, review, tess, sam):
    s = _submitted_stage(review, tess)
    stage_approve(stage=s, user=sam, comment="Good scope.")
    client.force_login(sam)
    response = client.get(reverse("accreditation:stage_detail", args=[s.pk]))
    content = response.content.decode()
    assert "Identify the case and the research questions" in content
    assert "Agreed scope." in content
    # Who, what, from → to and why, for each step.
    assert "Tess Trainee" in content and "Sam Supervisor" in content
    assert "Not started → In progress" in content
    assert "In progress → Submitted" in content
    assert "Submitted → Approved" in content
    assert "Please look at the scope." in content
    assert "Good scope." in content
    assert "Reopen this stage" in content
    assert "Approve this stage" not in content


def test_it_offers_the_trainee_only_their_own_actions(client, review, tess):
    s = stage(review, 1)
    evidence_add_note(stage=s, user=tess, title="Scope", note="Agreed.")
    client.force_login(tess)
    content = client.get(reverse("accreditation:stage_detail", args=[s.pk])).content.decode()
    assert "Submit for sign-off" in content
    assert "Upload file" in content
    assert "Approve this stage" not in content
    assert "Reopen this stage" not in content


def test_it_hides_the_evidence_forms_once_submitted(client, review, tess):
    s = _submitted_stage(review, tess)
    client.force_login(tess)
    content = client.get(reverse("accreditation:stage_detail", args=[s.pk])).content.decode()
    assert "waiting for sign-off" in content
    assert "Upload file" not in content
    assert "Remove" not in content


def test_it_approves_through_the_button(client, review, tess, sam):
    s = _submitted_stage(review, tess)
    client.force_login(sam)
    response = _post(client, "stage_approve", s, "Well done.")
    assert response.status_code == 302
    assert stage(review, 1).status == Status.APPROVED
    assert SignOff.objects.filter(stage=s).last().comment == "Well done."


def test_it_says_so_when_approving_an_approved_stage(client, review, tess, sam):
    s = _submitted_stage(review, tess)
    stage_approve(stage=s, user=sam)
    count = SignOff.objects.filter(stage=s).count()
    client.force_login(sam)
    response = client.post(
        reverse("accreditation:stage_approve", args=[s.pk]), {"approve-comment": ""}, follow=True
    )
    assert response.status_code == 200
    assert "This stage is already approved." in _messages(response)
    assert SignOff.objects.filter(stage=s).count() == count


def test_it_says_so_when_submitting_with_no_evidence(client, review, tess):
    s = stage(review, 2)
    client.force_login(tess)
    client.post(reverse("accreditation:stage_start", args=[s.pk]))
    response = client.post(
        reverse("accreditation:stage_submit", args=[s.pk]), {"submit-comment": ""}, follow=True
    )
    assert "Before submitting this stage, add a file or a written note." in _messages(response)
    assert stage(review, 2).status == Status.IN_PROGRESS


def test_it_asks_for_feedback_before_sending_back(client, review, tess, sam):
    s = _submitted_stage(review, tess)
    client.force_login(sam)
    response = client.post(
        reverse("accreditation:stage_request_changes", args=[s.pk]),
        {"request_changes-comment": "  "},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert "Enter what needs to change." in content
    assert stage(review, 1).status == Status.SUBMITTED


def test_it_asks_for_a_reason_before_reopening(client, review, tess, sam):
    s = _submitted_stage(review, tess)
    stage_approve(stage=s, user=sam)
    client.force_login(sam)
    response = client.post(reverse("accreditation:stage_reopen", args=[s.pk]), {})
    assert "Enter reason for reopening." in response.content.decode()
    assert stage(review, 1).status == Status.APPROVED
    response = client.post(
        reverse("accreditation:stage_reopen", args=[s.pk]),
        {"reopen-comment": "Board asked for a wider scope."},
    )
    assert response.status_code == 302
    assert stage(review, 1).status == Status.IN_PROGRESS


def test_it_shows_the_feedback_to_the_trainee(client, review, tess, sam):
    s = _submitted_stage(review, tess)
    client.force_login(sam)
    _post(client, "stage_request_changes", s, "Add the list of agencies.")
    client.force_login(tess)
    content = client.get(reverse("accreditation:stage_detail", args=[s.pk])).content.decode()
    assert "Changes requested by Sam Supervisor" in content
    assert "Add the list of agencies." in content
    assert "Resubmit for sign-off" in content


# The supervisor's queue ------------------------------------------------------------------------


def test_it_shows_only_my_waiting_stages_in_the_queue(client, review, other_review, tess, sam):
    _submitted_stage(review, tess)
    other = stage(other_review, 1)
    ReviewStage.objects.filter(pk=other.pk).update(
        status=Status.SUBMITTED, submitted_at=timezone.now()
    )
    client.force_login(sam)
    response = client.get(reverse("accreditation:supervisor_queue"))
    assert [s.review_id for s in response.context["waiting"].stages] == [review.pk]
    assert "Family M" not in response.content.decode()


# Stages are approved in order ----------------------------------------------------------------


def _submit(review, user, number):
    fill_stage(review, user, number)
    stage_submit(stage=stage(review, number), user=user)
    return stage(review, number)


def test_it_tells_the_supervisor_which_earlier_stage_holds_an_approval_back(
    client, review, tess, sam
):
    _submit(review, tess, 1)
    findings = _submit(review, tess, 4)
    client.force_login(sam)
    response = client.get(reverse("accreditation:stage_detail", args=[findings.pk]))
    content = response.content.decode()
    assert "You cannot approve this stage yet" in content
    assert "Stage 1, “Preparation”</a>, is submitted, so it must be approved first." in content
    assert reverse("accreditation:stage_approve", args=[findings.pk]) not in content
    # Sending it back is still open to him.
    assert reverse("accreditation:stage_request_changes", args=[findings.pk]) in content
    # The trainee is told the same, in her words.
    client.force_login(tess)
    content = client.get(reverse("accreditation:stage_detail", args=[findings.pk])).content
    assert "This stage cannot be approved yet" in content.decode()


def test_it_says_so_when_approving_out_of_order_through_the_button(client, review, tess, sam):
    _submit(review, tess, 1)
    findings = _submit(review, tess, 4)
    client.force_login(sam)
    response = client.post(
        reverse("accreditation:stage_approve", args=[findings.pk]),
        {"approve-comment": ""},
        follow=True,
    )
    assert any("Stage 1, “Preparation”, is not approved yet" in m for m in _messages(response))
    assert stage(review, 4).status == Status.SUBMITTED


def test_it_offers_the_approve_button_once_earlier_stages_are_approved(client, review, tess, sam):
    stage_approve(stage=_submit(review, tess, 1), user=sam)
    second = _submit(review, tess, 2)
    client.force_login(sam)
    content = client.get(reverse("accreditation:stage_detail", args=[second.pk])).content.decode()
    assert reverse("accreditation:stage_approve", args=[second.pk]) in content
    assert "cannot approve this stage yet" not in content


def test_it_tells_the_supervisor_the_stage_waits_for_him(client, review, tess, sam):
    s = _submitted_stage(review, tess)
    client.force_login(sam)
    content = client.get(reverse("accreditation:stage_detail", args=[s.pk])).content.decode()
    assert "This stage is waiting for sign-off by you." in content
    assert "sign-off by Sam Supervisor" not in content
    client.force_login(tess)
    content = client.get(reverse("accreditation:stage_detail", args=[s.pk])).content.decode()
    assert "This stage is waiting for sign-off by Sam Supervisor." in content


# The reason for reopening ---------------------------------------------------------------------


def _callout(content: str, anchor: str) -> str:
    start = content.index(f'id="{anchor}"')
    return content[start : content.index("</div>", start)]


def test_it_shows_the_reason_for_reopening_at_the_top_of_the_stage(client, review, tess, pat, sam):
    s = _submitted_stage(review, tess)
    stage_approve(stage=s, user=sam)
    client.force_login(sam)
    _post(client, "stage_reopen", stage(review, 1), "The board widened the scope to adults.")
    assert stage(review, 1).status == Status.IN_PROGRESS
    for persona, who in ((tess, "Sam Supervisor"), (pat, "Sam Supervisor"), (sam, "you")):
        client.force_login(persona)
        content = client.get(reverse("accreditation:stage_detail", args=[s.pk])).content.decode()
        callout = _callout(content, "reopened")
        assert f"Reopened by {who} on" in callout
        assert "The board widened the scope to adults." in callout
        # Above the evidence, not only in the history table at the bottom.
        assert content.index('id="reopened"') < content.index('id="evidence"')
    client.force_login(tess)
    content = client.get(reverse("accreditation:stage_detail", args=[s.pk])).content.decode()
    assert "submit the stage again for sign-off" in _callout(content, "reopened")


def test_it_stops_showing_the_reason_once_the_stage_is_submitted_again(client, review, tess, sam):
    s = _submitted_stage(review, tess)
    stage_approve(stage=s, user=sam)
    client.force_login(sam)
    _post(client, "stage_reopen", stage(review, 1), "The board widened the scope to adults.")
    stage_submit(stage=stage(review, 1), user=tess)
    content = client.get(reverse("accreditation:stage_detail", args=[s.pk])).content.decode()
    assert 'id="reopened"' not in content


# What a stage still needs before it is submitted -------------------------------------------


def test_it_says_on_the_stage_page_what_is_still_needed_before_submitting(client, review, tess):
    from accreditation.services.registers import episode_create

    analysis = stage(review, 3)
    client.force_login(tess)
    content = client.get(reverse("accreditation:stage_detail", args=[analysis.pk])).content.decode()
    assert "Needed before it can be submitted: at least 1 key practice episode in its" in content
    assert "at least 1 key practice episode in its register (it has 0)" in content
    assert reverse("accreditation:stage_submit", args=[analysis.pk]) not in content

    episode_create(
        stage=analysis, user=tess, title="Strategy meeting", what_happened="…", assessment="mixed"
    )
    content = client.get(reverse("accreditation:stage_detail", args=[analysis.pk])).content.decode()
    assert 'id="still-needed"' not in content
    response = client.post(
        reverse("accreditation:stage_submit", args=[analysis.pk]),
        {"submit-comment": ""},
        follow=True,
    )
    assert "Stage submitted. Your supervisor can now sign it off." in _messages(response)
    assert stage(review, 3).status == Status.SUBMITTED


def test_it_tells_the_supervisor_what_a_stage_needs_but_not_to_add_it(client, review, sam):
    client.force_login(sam)
    content = client.get(
        reverse("accreditation:stage_detail", args=[stage(review, 1).pk])
    ).content.decode()
    assert "Needed before it can be submitted: at least one file or written note." in content
    assert 'id="still-needed"' not in content

"""What a stage needs first: every earlier stage approved before it, and its evidence, its
register or both before it is submitted."""

from wagtail.models import ModelLogEntry

import pytest

from accreditation.exceptions import TransitionError
from accreditation.models import ReviewStage
from accreditation.services.evidence import evidence_add_note
from accreditation.services.stages import stage_approve, stage_request_changes, stage_submit

from .factories import approve_stages, fill_stage, stage
from .stage_helpers import stage_state

Status = ReviewStage.Status
pytestmark = pytest.mark.django_db


# Stages are approved in order ----------------------------------------------------------------


def _submit(review, user, number):
    fill_stage(review, user, number)
    stage_submit(stage=stage(review, number), user=user)
    return stage(review, number)


def test_it_refuses_to_approve_a_stage_while_an_earlier_one_has_changes_requested(
    review, tess, sam
):
    approve_stages(review, tess, sam, [1, 2])
    stage_request_changes(stage=_submit(review, tess, 3), user=sam, comment="Add the factors.")
    findings = _submit(review, tess, 4)
    before = stage_state(findings)
    with pytest.raises(TransitionError) as refused:
        stage_approve(stage=findings, user=sam, comment="Good patterns.")
    assert str(refused.value) == (
        "Stage 3, “Organising and analysing data”, is not approved yet (changes requested). "
        "Stages are approved in order, so it must be approved before this one."
    )
    assert stage_state(findings) == before
    assert (
        not ModelLogEntry.objects.filter(action="accreditation.stage.approve")
        .exclude(object_id__in=[str(stage(review, 1).pk), str(stage(review, 2).pk)])
        .exists()
    )


def test_it_names_the_first_earlier_stage_that_is_not_approved(review, tess, sam):
    _submit(review, tess, 2)
    report = _submit(review, tess, 5)
    with pytest.raises(TransitionError, match="Stage 1, “Preparation”, is not approved yet"):
        stage_approve(stage=report, user=sam)
    assert stage(review, 5).status == Status.SUBMITTED


def test_it_approves_a_stage_once_every_earlier_stage_is_approved(review, tess, sam):
    approve_stages(review, tess, sam, [1, 2, 3])
    stage_approve(stage=_submit(review, tess, 4), user=sam)
    assert stage(review, 4).status == Status.APPROVED


# What a stage needs before it is submitted ---------------------------------------------------


def _episodes(review, user, n):
    from accreditation.services.registers import episode_create

    for i in range(n):
        episode_create(
            stage=stage(review, 3),
            user=user,
            title=f"Episode {i + 1}",
            what_happened="A strategy meeting.",
            assessment="mixed",
        )


def test_it_submits_a_register_stage_on_its_register_alone(review, tess):
    _episodes(review, tess, 3)
    assert not stage(review, 3).evidence.exists()
    stage_submit(stage=stage(review, 3), user=tess)
    assert stage(review, 3).status == Status.SUBMITTED


def test_it_refuses_a_register_stage_with_too_few_entries(review, tess):
    definition = stage(review, 3).definition
    definition.min_register_entries = 2
    definition.save()
    _episodes(review, tess, 1)
    evidence_add_note(stage=stage(review, 3), user=tess, title="Narrative", note="...")
    before = stage_state(stage(review, 3))
    with pytest.raises(TransitionError) as refused:
        stage_submit(stage=stage(review, 3), user=tess)
    assert str(refused.value) == (
        "Before submitting this stage, add at least 2 key practice episodes in its "
        "register (it has 1)."
    )
    assert stage_state(stage(review, 3)) == before


def test_it_needs_both_when_the_stage_asks_for_both(review, tess):
    definition = stage(review, 4).definition
    definition.needs = definition.Needs.BOTH
    definition.save()
    with pytest.raises(TransitionError) as refused:
        stage_submit(stage=stage(review, 4), user=tess)
    assert str(refused.value) == (
        "Before submitting this stage, add a file or a written note, and at least 1 "
        "finding in its register (it has 0)."
    )
    evidence_add_note(stage=stage(review, 4), user=tess, title="Issues for the board", note="…")
    with pytest.raises(TransitionError, match="^Before submitting this stage, add at "):
        stage_submit(stage=stage(review, 4), user=tess)
    assert stage(review, 4).status == Status.IN_PROGRESS


def test_it_does_not_count_a_register_the_stage_does_not_ask_for(review, tess):
    definition = stage(review, 3).definition
    definition.needs = definition.Needs.EVIDENCE
    definition.save()
    _episodes(review, tess, 3)
    with pytest.raises(TransitionError, match="a file or a written note"):
        stage_submit(stage=stage(review, 3), user=tess)

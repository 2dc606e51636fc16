"""The signed-off portfolio an application rests on stays as the assessor reads it: its stages
cannot be reopened while the application awaits a decision or after it was approved, and an
application whose review has a stage that is no longer approved cannot be approved."""

from django.urls import reverse

import pytest

from accreditation.exceptions import TransitionError
from accreditation.models import AccreditationApplication, Certificate, ReviewStage, SignOff
from accreditation.services.applications import application_refer
from accreditation.services.stages import stage_reopen

from .award_builders import approve, first_not_met, make_ready, submit
from .factories import stage

pytestmark = pytest.mark.django_db

Status = AccreditationApplication.Status


def _sign_offs(review) -> int:
    return SignOff.objects.filter(stage__review=review).count()


def test_it_refuses_to_reopen_a_stage_while_the_application_awaits_a_decision(tess, review, sam):
    make_ready(tess, review)
    submit(tess)
    before = _sign_offs(review)

    with pytest.raises(TransitionError, match="waiting for a decision") as error:
        stage_reopen(stage=stage(review, 1), user=sam, reason="The scope changed.")

    assert "Tess Trainee's application" in str(error.value)
    assert "refer the application back first" in str(error.value)
    assert stage(review, 1).status == ReviewStage.Status.APPROVED
    assert _sign_offs(review) == before


def test_it_refuses_to_reopen_a_stage_of_an_accredited_review(tess, review, sam, ali):
    make_ready(tess, review)
    approve(submit(tess), ali)

    with pytest.raises(TransitionError, match="Tess Trainee has been accredited on this review"):
        stage_reopen(stage=stage(review, 2), user=sam, reason="Tidy up.")

    assert stage(review, 2).status == ReviewStage.Status.APPROVED


def test_it_lets_the_supervisor_reopen_once_the_application_is_referred_back(
    tess, review, sam, ali
):
    make_ready(tess, review)
    application = submit(tess)
    application_refer(
        application=application,
        answers=first_not_met(application),
        assessor=ali,
        reasons="Stage 1 needs the terms of reference.",
        required_actions="Add the terms of reference to stage 1.",
    )

    stage_reopen(stage=stage(review, 1), user=sam, reason="Add the terms of reference.")

    assert stage(review, 1).status == ReviewStage.Status.IN_PROGRESS


def test_it_refuses_to_approve_when_a_stage_is_no_longer_approved(tess, review, ali):
    make_ready(tess, review)
    application = submit(tess)
    # As if a reopen had committed in the instant before the submission did.
    ReviewStage.objects.filter(pk=stage(review, 3).pk).update(status=ReviewStage.Status.IN_PROGRESS)

    with pytest.raises(TransitionError, match="is no longer approved"):
        approve(application, ali)

    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert not Certificate.objects.exists()


def test_it_tells_the_supervisor_why_the_stage_cannot_be_reopened(client, tess, review, sam):
    make_ready(tess, review)
    submit(tess)
    client.force_login(sam)

    page = client.get(reverse("accreditation:stage_detail", args=[stage(review, 1).pk]))

    content = page.content.decode()
    assert "is waiting for a decision, so its stages cannot be reopened now" in content
    assert reverse("accreditation:stage_reopen", args=[stage(review, 1).pk]) not in content


def test_it_offers_the_reopen_form_when_no_application_rests_on_the_review(
    client, tess, review, sam
):
    make_ready(tess, review)
    client.force_login(sam)

    page = client.get(reverse("accreditation:stage_detail", args=[stage(review, 1).pk]))

    assert reverse("accreditation:stage_reopen", args=[stage(review, 1).pk]) in (
        page.content.decode()
    )

"""Deciding on an application against the scheme's assessment criteria: every criterion judged,
approval only when all are met, a referral's actions written against those not yet met, and the
judgements kept, append-only, with the criterion's wording as it was."""

import pytest

from accreditation.exceptions import TransitionError
from accreditation.models import (
    AccreditationApplication,
    AssessmentCriterion,
    Certificate,
    CriterionJudgement,
    Decision,
)
from accreditation.services import applications as services

from .award_builders import all_met, approve, criteria_of, first_not_met, make_ready, submit

pytestmark = pytest.mark.django_db
Status = AccreditationApplication.Status


def _submitted(tess, review):
    make_ready(tess, review)
    return submit(tess)


def test_it_refuses_approval_with_a_criterion_not_met_and_changes_nothing(tess, review, ali):
    application = _submitted(tess, review)
    first = criteria_of(application)[0]

    with pytest.raises(TransitionError) as error:
        services.application_approve(
            application=application,
            assessor=ali,
            reasons="Good.",
            answers=first_not_met(application),
        )

    assert str(error.value).startswith(
        f"Approval needs every criterion met. Not yet met: {first.title}."
    )
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert not Decision.objects.exists()
    assert not CriterionJudgement.objects.exists()
    assert not Certificate.objects.exists()


def test_it_refuses_a_decision_with_a_criterion_not_judged(tess, review, ali):
    application = _submitted(tess, review)
    answers = all_met(application)
    last = criteria_of(application)[-1]
    del answers[last.pk]

    with pytest.raises(TransitionError, match=f"Not judged: {last.title}."):
        services.application_decline(
            application=application, assessor=ali, reasons="No.", answers=answers
        )
    assert not Decision.objects.exists()


def test_it_approves_with_every_criterion_met_and_keeps_each_judgement(tess, review, ali):
    application = _submitted(tess, review)
    criteria = criteria_of(application)

    certificate = approve(application, ali)

    decision = Decision.objects.get(application=application)
    assert certificate.application_id == application.pk
    judgements = list(decision.judgements.order_by("sort_order"))
    assert [j.criterion_id for j in judgements] == [c.pk for c in criteria]
    assert [j.criterion_title for j in judgements] == [c.title for c in criteria]
    assert all(j.met for j in judgements)
    assert len(criteria) == 5


def test_it_writes_a_referrals_actions_against_each_criterion_not_met(tess, review, ali):
    application = _submitted(tess, review)
    first, second, *_ = criteria_of(application)
    answers = all_met(application)
    answers[first.pk] = (False, "Show how the KPEs were appraised.")
    answers[second.pk] = (False, "Add the case group's view.")

    decision = services.application_refer(
        application=application,
        assessor=ali,
        reasons="Nearly there.",
        answers=answers,
        required_actions="Update your statement.",
    )

    assert decision.required_actions == (
        f"{first.title}: Show how the KPEs were appraised.\n"
        f"{second.title}: Add the case group's view.\n"
        "Update your statement."
    )
    assert [j.met for j in decision.judgements.order_by("sort_order")][:3] == [False, False, True]
    application.refresh_from_db()
    assert application.status == Status.REFERRED


def test_it_refuses_a_referral_with_every_criterion_met(tess, review, ali):
    application = _submitted(tess, review)

    with pytest.raises(TransitionError, match="nothing to refer back"):
        services.application_refer(
            application=application,
            assessor=ali,
            reasons="r",
            answers=all_met(application),
            required_actions="Do more.",
        )
    assert not Decision.objects.exists()


def test_it_judges_every_criterion_on_a_decline(tess, review, ali):
    application = _submitted(tess, review)

    decision = services.application_decline(
        application=application, assessor=ali, reasons="Not enough.", answers=all_met(application)
    )

    assert decision.judgements.count() == len(criteria_of(application))
    assert decision.required_actions == ""


def test_it_keeps_the_judgements_append_only_with_the_title_as_it_was(tess, review, ali):
    application = _submitted(tess, review)
    approve(application, ali)
    first = criteria_of(application)[0]
    old_title = first.title

    first.title = "Renamed criterion"
    first.save()

    judgement = CriterionJudgement.objects.get(criterion=first)
    assert judgement.criterion_title == old_title
    judgement.comment = "Changed"
    with pytest.raises(ValueError, match="append-only"):
        judgement.save()


def test_it_decides_as_before_when_the_scheme_has_no_criteria(tess, review, ali):
    application = _submitted(tess, review)
    AssessmentCriterion.objects.filter(scheme=application.scheme).delete()

    with pytest.raises(TransitionError, match="what the trainee must do"):
        services.application_refer(
            application=application, assessor=ali, reasons="r", answers={}, required_actions=""
        )
    decision = services.application_refer(
        application=application, assessor=ali, reasons="r", answers={}, required_actions="Do."
    )

    assert decision.required_actions == "Do."
    assert not decision.judgements.exists()

"""Criterion judgements and the supervisor's recommendations in a person's data export, and
redacted like decisions when a person is erased."""

import pytest

from accreditation.models import CriterionJudgement, SupervisorRecommendation
from accreditation.privacy import erase_user, user_data
from accreditation.services import applications as services

from .award_builders import all_met, criteria_of, make_ready, recommend, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def referred(tess, review, ali):
    make_ready(tess, review)
    SupervisorRecommendation.objects.all().delete()
    recommend(tess, review, ready=True, statement="Tess Trainee is ready.")
    application = submit(tess)
    answers = all_met(application)
    first = criteria_of(application)[0]
    answers[first.pk] = (False, "Tess Trainee must show the appraisal.")
    services.application_refer(application=application, assessor=ali, reasons="r", answers=answers)
    return application


def test_it_exports_the_judgements_with_the_decision(referred, tess, ali):
    first = criteria_of(referred)[0]

    [application] = user_data(tess)["applications"]
    [decision] = application["decisions"]
    assert decision["criteria"][0] == {
        "criterion": first.title,
        "met": False,
        "comment": "Tess Trainee must show the appraisal.",
    }
    assert len(decision["criteria"]) == len(criteria_of(referred))
    [made] = user_data(ali)["decisions_made"]
    assert made["criteria"] == decision["criteria"]


def test_it_exports_recommendations_received_and_made(referred, review, tess, sam, pat):
    [received] = user_data(tess)["supervisor_recommendations_received"]
    assert received["statement"] == "Tess Trainee is ready."
    assert (received["ready"], received["supervisor"]) == (True, "Sam Supervisor")
    assert received["case_reference"] == review.case_reference
    [made] = user_data(sam)["supervisor_recommendations_made"]
    assert made["trainee"] == "Tess Trainee"
    assert user_data(pat)["supervisor_recommendations_received"] == []
    assert user_data(tess)["supervisor_recommendations_made"] == []


def test_it_redacts_judgements_and_recommendations_on_erasure(referred, tess, pat, review):
    recommend(pat, review, statement="Pat Partner is ready.")

    erase_user(tess)

    label = f"Erased user #{tess.pk}"
    comments = set(CriterionJudgement.objects.values_list("comment", flat=True))
    assert f"{label} must show the appraisal." in comments
    assert not any("Tess" in comment for comment in comments)
    assert SupervisorRecommendation.objects.get(trainee=tess).statement == f"{label} is ready."
    # Another trainee's recommendation does not mention Tess, and is left alone.
    assert SupervisorRecommendation.objects.get(trainee=pat).statement == "Pat Partner is ready."

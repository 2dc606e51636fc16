from accreditation.models import ReviewStage, SupervisionAttendance
from accreditation.selectors.readiness import Requirement, accreditation_readiness
from accreditation.services.applications import application_save_draft

from .award_builders import (
    STATEMENT,
    approve_all_stages,
    complete_modules,
    enrol,
    log_supervision,
    make_ready,
)
from .factories import stage


def _item(readiness, key):
    return next(item for item in readiness.items if item.key == key)


def test_it_explains_each_missing_requirement(tess, review):
    enrolment = enrol(tess, supervisor=review.supervisor, modules=2)
    readiness = accreditation_readiness(user=tess)

    assert not readiness.all_met
    course = _item(readiness, Requirement.COURSE)
    assert not course.met
    assert "0 of 2 modules completed" in course.detail
    assert "Module 1" in course.detail and "Module 2" in course.detail

    stages = _item(readiness, Requirement.STAGES)
    assert not stages.met
    assert "Preparation (not started)" in stages.detail
    assert "Report (not started)" in stages.detail

    supervision = _item(readiness, Requirement.SUPERVISION)
    assert not supervision.met
    assert "4 more group sessions (0 of 4 confirmed)" in supervision.detail
    assert "1 more individual session during report writing" in supervision.detail

    statement = _item(readiness, Requirement.STATEMENT)
    assert not statement.met
    assert "not written" in statement.detail
    assert enrolment.pk


def test_it_names_only_what_is_still_missing(tess, review):
    enrolment = enrol(tess, supervisor=review.supervisor, modules=2)
    complete_modules(enrolment)
    approve_all_stages(review)
    ReviewStage.objects.filter(pk=stage(review, 4).pk).update(status=ReviewStage.Status.SUBMITTED)
    log_supervision(tess, review.supervisor, group=3, individual=1)

    readiness = accreditation_readiness(user=tess)

    assert _item(readiness, Requirement.COURSE).met
    stages = _item(readiness, Requirement.STAGES)
    assert not stages.met
    assert stages.detail == "Not yet approved: Findings (submitted)."
    supervision = _item(readiness, Requirement.SUPERVISION)
    assert supervision.detail == "Still needed: 1 more group session (3 of 4 confirmed)."


def test_it_counts_only_confirmed_supervision(tess, review):
    make_ready(tess, review)
    SupervisionAttendance.objects.filter(trainee=tess).update(confirmed_at=None)
    supervision = _item(accreditation_readiness(user=tess), Requirement.SUPERVISION)
    assert not supervision.met
    assert "0 of 4 confirmed" in supervision.detail


def test_it_is_ready_once_the_statement_is_written(tess, review):
    make_ready(tess, review)
    before = accreditation_readiness(user=tess)
    assert before.ready_for_statement and not before.all_met

    application_save_draft(trainee=tess, reflective_statement=STATEMENT)

    after = accreditation_readiness(user=tess)
    assert after.all_met
    # Every requirement is met; the review type's expectations are guidance in this scheme.
    assert [item.met for item in after.items if item.required] == [True] * 6
    assert [item.key for item in after.items if not item.required] == ["conduct"]


def test_it_says_when_there_is_no_review(uma):
    readiness = accreditation_readiness(user=uma)
    stages = _item(readiness, Requirement.STAGES)
    assert not stages.met
    assert stages.detail == "No supervised review is recorded for you yet."
    assert _item(readiness, Requirement.COURSE).detail == (
        "You are not enrolled on the training course."
    )

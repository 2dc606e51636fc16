from django.contrib.auth.models import Group

from wagtail.models import ModelLogEntry

import pytest

from accreditation.exceptions import TransitionError
from accreditation.models import AccreditationApplication, Certificate, Decision
from accreditation.services import applications as services
from learning_platform.accounts.models import User
from learning_platform.accounts.roles import Role

from .award_builders import (
    STATEMENT,
    all_met,
    approve,
    criteria_of,
    first_not_met,
    make_assessor,
    make_ready,
    submit,
)

Status = AccreditationApplication.Status


def _unchanged(application, status):
    application.refresh_from_db()
    assert application.status == status


def test_it_refuses_to_submit_before_the_requirements_are_met(tess, review):
    application = services.application_save_draft(trainee=tess, reflective_statement=STATEMENT)

    with pytest.raises(TransitionError) as error:
        services.application_submit(application=application, trainee=tess)

    assert "You cannot submit your application yet" in str(error.value)
    assert "Still to complete" in str(error.value) or "not enrolled" in str(error.value)
    _unchanged(application, Status.DRAFT)
    assert application.submitted_at is None


def test_it_refuses_to_submit_without_a_statement(tess, review):
    make_ready(tess, review)
    application = services.application_save_draft(trainee=tess, reflective_statement="  ")
    with pytest.raises(TransitionError, match="reflective statement"):
        services.application_submit(application=application, trainee=tess)
    _unchanged(application, Status.DRAFT)


def test_it_submits_with_an_audit_entry(tess, review):
    make_ready(tess, review)
    application = submit(tess)

    assert application.status == Status.SUBMITTED
    assert application.submitted_at is not None
    entry = ModelLogEntry.objects.for_instance(application).get(
        action="accreditation.application.submit"
    )
    assert entry.user_id == tess.pk
    assert entry.data == {"from": "draft", "to": "submitted", "reason": ""}


def test_it_refuses_someone_else_submitting(tess, review, pat):
    make_ready(tess, review)
    application = services.application_save_draft(trainee=tess, reflective_statement="x")
    with pytest.raises(TransitionError, match="Only the trainee"):
        services.application_submit(application=application, trainee=pat)
    _unchanged(application, Status.DRAFT)


def test_it_refuses_illegal_transitions_and_changes_nothing(tess, review, ali):
    make_ready(tess, review)
    application = submit(tess)

    with pytest.raises(TransitionError, match="Only a draft application can be submitted"):
        services.application_submit(application=application, trainee=tess)
    with pytest.raises(TransitionError, match="Only an application that was referred back"):
        services.application_resubmit(application=application, trainee=tess)

    services.application_decline(
        application=application,
        answers=first_not_met(application),
        assessor=ali,
        reasons="Not enough.",
    )
    for attempt in (
        lambda: services.application_approve(
            application=application, answers=all_met(application), assessor=ali, reasons="r"
        ),
        lambda: services.application_refer(
            application=application,
            answers=first_not_met(application),
            assessor=ali,
            reasons="r",
            required_actions="a",
        ),
        lambda: services.application_decline(
            application=application, answers=first_not_met(application), assessor=ali, reasons="r"
        ),
    ):
        with pytest.raises(TransitionError, match="Only a submitted application can be decided"):
            attempt()
    with pytest.raises(TransitionError, match="can no longer be changed"):
        services.application_save_draft(trainee=tess, reflective_statement="new")

    _unchanged(application, Status.DECLINED)
    assert Decision.objects.filter(application=application).count() == 1
    assert not Certificate.objects.exists()
    assert application.reflective_statement == STATEMENT


def test_it_requires_reasons_and_required_actions(tess, review, ali):
    make_ready(tess, review)
    application = submit(tess)

    with pytest.raises(TransitionError, match="Give the reasons"):
        services.application_decline(
            application=application, answers=first_not_met(application), assessor=ali, reasons=" "
        )
    # A criterion not yet met needs its comment: it is the action the trainee must take.
    with pytest.raises(TransitionError, match="say what must be done before resubmitting"):
        services.application_refer(
            application=application,
            answers=first_not_met(application, comment=""),
            assessor=ali,
            reasons="Gaps.",
            required_actions="",
        )

    _unchanged(application, Status.SUBMITTED)
    assert not Decision.objects.exists()


def test_it_refers_back_and_takes_a_resubmission(tess, review, ali):
    make_ready(tess, review)
    application = submit(tess)

    decision = services.application_refer(
        application=application,
        answers=first_not_met(application),
        assessor=ali,
        reasons="The findings stage is thin.",
        required_actions="Expand the underlying patterns.",
    )
    assert decision.outcome == Decision.Outcome.REFERRED
    first = criteria_of(application)[0]
    assert decision.required_actions == (
        f"{first.title}: Show how the findings rest on the KPEs.\nExpand the underlying patterns."
    )
    _unchanged(application, Status.REFERRED)

    revised = STATEMENT + " Revised."
    services.application_save_draft(trainee=tess, reflective_statement=revised)
    services.application_resubmit(application=application, trainee=tess)

    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.reflective_statement == revised
    actions = list(
        ModelLogEntry.objects.for_instance(application)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "accreditation.application.create",
        "accreditation.application.submit",
        "accreditation.application.refer",
        "accreditation.application.resubmit",
    ]


def test_it_keeps_decisions_append_only(tess, review, ali):
    make_ready(tess, review)
    application = submit(tess)
    decision = services.application_decline(
        application=application,
        answers=first_not_met(application),
        assessor=ali,
        reasons="Insufficient.",
    )
    decision.reasons = "Rewritten"
    with pytest.raises(ValueError, match="append-only"):
        decision.save()


def test_it_refuses_a_non_assessor(tess, review, sam, ada):
    make_ready(tess, review)
    application = submit(tess)
    for person in (sam, ada, tess):
        with pytest.raises(TransitionError):
            services.application_decline(
                application=application,
                answers=first_not_met(application),
                assessor=person,
                reasons="r",
            )
    _unchanged(application, Status.SUBMITTED)


def test_it_refuses_an_assessor_who_supervises_the_review(tess, review, sam):
    sam.groups.add(Group.objects.get(name=Role.ASSESSOR))
    sam = User.objects.get(pk=sam.pk)
    make_ready(tess, review)
    application = submit(tess)

    with pytest.raises(TransitionError) as error:
        services.application_approve(
            application=application, answers=all_met(application), assessor=sam, reasons="Fine."
        )

    assert str(error.value) == (
        "You supervise this trainee, so another assessor must decide on their application."
    )
    _unchanged(application, Status.SUBMITTED)
    assert not Decision.objects.exists()
    assert not Certificate.objects.exists()


def test_it_refuses_an_assessor_who_supervises_the_enrolment(tess, review):
    enrolment_supervisor = make_assessor("Eve Enrolment", "eve@example.org", also_supervisor=True)
    enrolment = make_ready(tess, review)
    enrolment.supervisor = enrolment_supervisor
    enrolment.save()
    application = submit(tess)

    with pytest.raises(TransitionError, match="You supervise this trainee"):
        services.application_refer(
            application=application,
            answers=first_not_met(application),
            assessor=enrolment_supervisor,
            reasons="r",
            required_actions="a",
        )
    _unchanged(application, Status.SUBMITTED)


def test_it_approves_and_issues_a_certificate_in_one_go(tess, review, ali):
    make_ready(tess, review)
    application = submit(tess)
    certificate = approve(application, ali)

    _unchanged(application, Status.APPROVED)
    assert certificate.application_id == application.pk
    assert certificate.holder_id == tess.pk
    assert certificate.status == Certificate.Status.ISSUED
    assert Decision.objects.get(application=application).outcome == Decision.Outcome.APPROVED
    assert certificate.events.get().to_status == Certificate.Status.ISSUED

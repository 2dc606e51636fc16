"""Each event reaches exactly the right people, in-app and by email (subject, plain text and HTML),
once the action that caused it commits."""

from datetime import date

from django.core import mail
from django.db import transaction

import pytest

from accreditation.events import AccreditationEvent
from accreditation.services import applications as application_services
from accreditation.services import certificates as certificate_services
from accreditation.services.stages import stage_approve, stage_reopen, stage_request_changes
from accreditation.services.supervision import supervision_session_record
from courses.events import CourseEvent
from courses.services.invitations.lifecycle import invitation_create
from notifications.models import EmailStatus, Notification
from tests.accreditation.award_builders import (
    approve,
    first_not_met,
    make_assessor,
    make_ready,
    submit,
)
from tests.courses.factories import CohortFactory, build_course

from .conftest import submit_stage

pytestmark = pytest.mark.django_db


def _mail(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def _one_mail(address: str):
    messages = _mail(address)
    assert len(messages) == 1, [m.subject for m in mail.outbox]
    message = messages[0]
    html = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    assert len(html) == 1
    return message, html[0]


def _assert_links_to(message, html, notification):
    url = f"http://testserver/notifications/{notification.pk}/open/"
    assert url in message.body
    assert f'href="{url}"' in html


def _notified(event) -> list[str]:
    return sorted(
        Notification.objects.filter(event=event).values_list("recipient__email", flat=True)
    )


def test_it_tells_the_supervisor_a_stage_was_submitted(run_on_commit, review, tess, pat, sam):
    run_on_commit(submit_stage, review, pat)

    assert _notified(AccreditationEvent.STAGE_SUBMITTED) == ["sam@example.org"]
    notification = Notification.objects.get(event=AccreditationEvent.STAGE_SUBMITTED)
    assert notification.actor == pat
    assert notification.email_status == EmailStatus.SENT
    message, html = _one_mail("sam@example.org")
    assert message.subject == (
        "[Learning Together] Pat Partner submitted “Preparation” for your sign-off"
    )
    assert "Pat Partner has submitted the stage “Preparation”" in message.body
    assert "Pat Partner has submitted the stage “Preparation”" in html
    _assert_links_to(message, html, notification)
    assert notification.link == f"/accreditation/stages/{review.stages.get(sort_order=1).pk}/"
    assert _mail("tess@example.org") == [] and _mail("pat@example.org") == []


@pytest.mark.parametrize(
    ("action", "event", "subject", "body"),
    [
        (
            "approve",
            AccreditationEvent.STAGE_APPROVED,
            "Sam Supervisor signed off “Preparation”",
            "has approved the stage “Preparation”",
        ),
        (
            "changes",
            AccreditationEvent.STAGE_CHANGES_REQUESTED,
            "Sam Supervisor asked for changes to “Preparation”",
            "sent it back for changes",
        ),
    ],
)
def test_it_tells_both_trainees_the_supervisors_decision(
    run_on_commit, review, tess, pat, sam, action, event, subject, body
):
    submitted = submit_stage(review, tess)
    mail.outbox.clear()
    if action == "approve":
        run_on_commit(stage_approve, stage=submitted, user=sam, comment="Good.")
    else:
        run_on_commit(stage_request_changes, stage=submitted, user=sam, comment="More detail.")

    assert _notified(event) == ["pat@example.org", "tess@example.org"]
    for address in ("tess@example.org", "pat@example.org"):
        message, html = _one_mail(address)
        assert message.subject == f"[Learning Together] {subject}"
        assert body in message.body and body in html
        _assert_links_to(
            message, html, Notification.objects.get(event=event, recipient__email=address)
        )
    assert _mail("sam@example.org") == []


def test_it_tells_the_trainees_a_stage_was_reopened(run_on_commit, review, tess, pat, sam):
    approved = stage_approve(stage=submit_stage(review, tess), user=sam)
    assert approved
    mail.outbox.clear()
    run_on_commit(
        stage_reopen, stage=review.stages.get(sort_order=1), user=sam, reason="Scope changed."
    )

    assert _notified(AccreditationEvent.STAGE_REOPENED) == ["pat@example.org", "tess@example.org"]
    message, html = _one_mail("tess@example.org")
    assert message.subject == "[Learning Together] Sam Supervisor reopened “Preparation”"
    # The reason is in the email itself, not only on the stage page.
    assert "Their reason for reopening it:\n\nScope changed." in message.body
    assert "<blockquote><p>Scope changed.</p></blockquote>" in html
    # Mandatory: the footer says why it cannot be turned off.
    assert "always sent" in message.body and "always sent" in html


def test_it_asks_each_attendee_to_confirm_a_supervision_session(
    run_on_commit, review, tess, pat, sam
):
    session = run_on_commit(
        supervision_session_record,
        supervisor=sam,
        kind="group",
        date=date(2026, 2, 3),
        duration_minutes=90,
        attendees=[tess, pat],
    )

    assert _notified(AccreditationEvent.SUPERVISION_TO_CONFIRM) == [
        "pat@example.org",
        "tess@example.org",
    ]
    message, html = _one_mail("pat@example.org")
    assert message.subject == (
        "[Learning Together] Confirm your attendance at group supervision on 3 February 2026"
    )
    assert "Sam Supervisor has recorded that you attended group supervision" in html
    assert (
        Notification.objects.filter(
            event=AccreditationEvent.SUPERVISION_TO_CONFIRM,
            link=f"/accreditation/supervision/sessions/{session.pk}/",
        ).count()
        == 2
    )
    assert _mail("sam@example.org") == []


def test_it_tells_assessors_but_not_the_trainees_supervisor_of_an_application(
    run_on_commit, review, tess, sam, ali
):
    ash = make_assessor("Ash Assessor", "ash@example.org")
    sam.groups.add(*ash.groups.all())  # Sam also assesses, but never his own trainee
    make_ready(tess, review)

    application = run_on_commit(submit, tess)

    assert _notified(AccreditationEvent.APPLICATION_SUBMITTED) == [
        "ali@example.org",
        "ash@example.org",
    ]
    message, html = _one_mail("ali@example.org")
    assert message.subject == (
        "[Learning Together] Tess Trainee submitted an application for accreditation"
    )
    assert "ready for an assessor to read" in html
    assert (
        Notification.objects.filter(
            event=AccreditationEvent.APPLICATION_SUBMITTED,
            link=f"/accreditation/assessment/{application.pk}/",
        ).count()
        == 2
    )
    assert _mail("sam@example.org") == [] and _mail("tess@example.org") == []


def test_it_tells_assessors_of_a_resubmission(run_on_commit, review, tess, ali):
    make_ready(tess, review)
    application = submit(tess)
    application_services.application_refer(
        application=application,
        answers=first_not_met(application),
        assessor=ali,
        reasons="Thin.",
        required_actions="Add more.",
    )
    mail.outbox.clear()

    run_on_commit(application_services.application_resubmit, application=application, trainee=tess)

    message, _html = _one_mail("ali@example.org")
    assert message.subject == (
        "[Learning Together] Tess Trainee resubmitted an application for accreditation"
    )


@pytest.mark.parametrize(
    ("outcome", "subject", "body"),
    [
        ("referred", "Your application for accreditation was referred back", "referred it back"),
        ("declined", "Your application for accreditation was declined", "declined it"),
    ],
)
def test_it_tells_the_trainee_of_a_decision(
    run_on_commit, review, tess, ali, outcome, subject, body
):
    make_ready(tess, review)
    application = submit(tess)
    mail.outbox.clear()
    if outcome == "referred":
        run_on_commit(
            application_services.application_refer,
            application=application,
            answers=first_not_met(application),
            assessor=ali,
            reasons="Thin.",
            required_actions="Add more.",
        )
    else:
        run_on_commit(
            application_services.application_decline,
            application=application,
            answers=first_not_met(application),
            assessor=ali,
            reasons="Not enough.",
        )

    assert _notified(AccreditationEvent.APPLICATION_DECIDED) == ["tess@example.org"]
    message, html = _one_mail("tess@example.org")
    assert message.subject == f"[Learning Together] {subject}"
    assert body in message.body and body in html
    # The reasons stay behind the sign-in, not in the mailbox.
    assert "Thin." not in message.body and "Not enough." not in html
    assert len(mail.outbox) == 1


def test_it_tells_the_trainee_of_approval_and_that_the_certificate_is_ready(
    run_on_commit, review, tess, ali
):
    make_ready(tess, review)
    application = submit(tess)
    mail.outbox.clear()

    certificate = run_on_commit(approve, application, ali)

    assert _notified(AccreditationEvent.APPLICATION_DECIDED) == ["tess@example.org"]
    assert _notified(AccreditationEvent.CERTIFICATE_ISSUED) == ["tess@example.org"]
    subjects = sorted(m.subject for m in _mail("tess@example.org"))
    assert subjects == [
        "[Learning Together] Your application for accreditation is approved",
        f"[Learning Together] Your certificate {certificate.number} is ready",
    ]
    issued = next(m for m in mail.outbox if certificate.number in m.subject)
    assert "If the PDF is still being prepared" in issued.body
    assert (
        Notification.objects.get(event=AccreditationEvent.CERTIFICATE_ISSUED).link
        == "/accreditation/certificates/"
    )


def test_it_tells_the_holder_of_each_status_change_with_the_reason(
    run_on_commit, review, tess, ali
):
    make_ready(tess, review)
    certificate = approve(submit(tess), ali)
    steps = [
        (certificate_services.certificate_suspend, "Complaint received", "suspended"),
        (certificate_services.certificate_reinstate, "Complaint not upheld", "reinstated"),
        (certificate_services.certificate_suspend, "Second complaint", "suspended"),
        (certificate_services.certificate_revoke, "Complaint upheld", "revoked"),
    ]
    for service, reason, word in steps:
        mail.outbox.clear()
        run_on_commit(service, certificate=certificate, by=ali, reason=reason)
        message, html = _one_mail("tess@example.org")
        assert message.subject == (
            f"[Learning Together] Your certificate {certificate.number} has been {word}"
        )
        assert f"The reason given: {reason}" in message.body
        assert f"The reason given: {reason}" in html
        assert len(mail.outbox) == 1

    assert (
        Notification.objects.filter(
            recipient=tess, event=AccreditationEvent.CERTIFICATE_SUSPENDED
        ).count()
        == 2
    )
    assert (
        Notification.objects.filter(
            recipient=tess, event=AccreditationEvent.CERTIFICATE_REVOKED
        ).count()
        == 1
    )


def test_it_shows_an_invitation_in_app_to_someone_who_has_an_account(run_on_commit, uma, ada):
    cohort = CohortFactory(course=build_course(modules=1), name="London boards 2026")

    run_on_commit(
        invitation_create, cohort=cohort, email="UMA@example.org", full_name="Uma", invited_by=ada
    )
    run_on_commit(
        invitation_create,
        cohort=cohort,
        email="new.person@example.org",
        full_name="New Person",
        invited_by=ada,
    )

    notification = Notification.objects.get(event=CourseEvent.INVITATION)
    assert notification.recipient == uma
    # The invitation email (with its one-time link) is the only email: none from notifications.
    assert notification.email_status == EmailStatus.SKIPPED
    invitations = _mail("uma@example.org")
    assert len(invitations) == 1
    assert "London boards 2026" in invitations[0].subject
    assert notification.link == "/learning/"
    assert Notification.objects.count() == 1


def test_it_notifies_nobody_when_the_action_rolls_back(
    django_capture_on_commit_callbacks, review, tess, sam
):
    submitted = submit_stage(review, tess)
    before = Notification.objects.count()
    mail.outbox.clear()

    with (
        pytest.raises(RuntimeError),
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        stage_approve(stage=submitted, user=sam)
        raise RuntimeError("something later in the same request failed")

    assert Notification.objects.count() == before
    assert mail.outbox == []


def test_it_gives_inactive_users_nothing(run_on_commit, review, tess, pat, sam):
    pat.is_active = False
    pat.save(update_fields=["is_active"])
    submitted = submit_stage(review, tess)
    mail.outbox.clear()

    run_on_commit(stage_approve, stage=submitted, user=sam)

    assert _notified(AccreditationEvent.STAGE_APPROVED) == ["tess@example.org"]
    assert _mail("pat@example.org") == []

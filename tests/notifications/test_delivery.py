"""Sending: email preferences, sending once per dedupe key, a task that runs twice, a mail server
that is down, and what the sweeper finds to send again."""

from datetime import timedelta

from django.core import mail
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse

import pytest
import time_machine

from accreditation.events import AccreditationEvent
from accreditation.models import ReviewStage
from accreditation.services.stages import stage_request_changes
from courses.events import CourseEvent
from notifications.models import EmailStatus, Notification, NotificationPreference
from notifications.rendering import template_names
from notifications.selectors import notifications_unsent_ids
from notifications.services import (
    MAX_EMAIL_ATTEMPTS,
    TOTAL_EMAIL_ATTEMPTS,
    EmailDeliveryError,
    notification_claim_email,
    notification_preferences_set,
    notification_send_email,
    notify,
)
from notifications.tasks import send_notification_email
from tests.accreditation.factories import stage

from .conftest import submit_stage

pytestmark = pytest.mark.django_db

FAILING_BACKEND = "tests.notifications.failing_backend.EmailBackend"


def _pending_for_sam(review, tess, sam) -> Notification:
    """Tess submits a stage; Sam's notification is written, its email not yet sent (nothing has
    committed)."""
    submit_stage(review, tess)
    notification = Notification.objects.get(recipient=sam, event=AccreditationEvent.STAGE_SUBMITTED)
    assert notification.email_status == EmailStatus.PENDING
    return notification


def test_it_keeps_the_in_app_notification_but_sends_no_email_when_turned_off(
    run_on_commit, review, tess, sam
):
    notification_preferences_set(user=sam, email={AccreditationEvent.STAGE_SUBMITTED: False})

    run_on_commit(submit_stage, review, tess)

    notification = Notification.objects.get(recipient=sam, event=AccreditationEvent.STAGE_SUBMITTED)
    assert notification.email_status == EmailStatus.SKIPPED
    assert notification.read_at is None
    assert [m for m in mail.outbox if m.to == ["sam@example.org"]] == []


def test_it_always_sends_a_mandatory_email(run_on_commit, review, tess, pat, sam):
    with pytest.raises(ValueError, match="cannot be turned off"):
        notification_preferences_set(
            user=tess, email={AccreditationEvent.STAGE_CHANGES_REQUESTED: False}
        )
    # Even a row written some other way does not stop a mandatory email.
    NotificationPreference.objects.create(
        user=tess, event=AccreditationEvent.STAGE_CHANGES_REQUESTED, email=False
    )
    submitted = submit_stage(review, tess)
    mail.outbox.clear()

    run_on_commit(stage_request_changes, stage=submitted, user=sam, comment="More.")

    assert sorted(m.to[0] for m in mail.outbox) == ["pat@example.org", "tess@example.org"]
    assert not Notification.objects.filter(email_status=EmailStatus.SKIPPED).exists()


def test_it_sends_once_per_dedupe_key(run_on_commit, review, sam):
    s = stage(review, 1)
    first = run_on_commit(
        notify,
        recipient=sam,
        event=AccreditationEvent.STAGE_WAITING_REMINDER,
        target=s,
        dedupe_key=f"stage-waiting:{s.pk}",
    )
    second = run_on_commit(
        notify,
        recipient=sam,
        event=AccreditationEvent.STAGE_WAITING_REMINDER,
        target=s,
        dedupe_key=f"stage-waiting:{s.pk}",
    )

    assert first is not None and second is None
    assert Notification.objects.filter(recipient=sam).count() == 1
    # Another key, or the same key for someone else, is a new notification.
    assert notify(
        recipient=sam, event=AccreditationEvent.SUPERVISOR_DIGEST, dedupe_key="digest:2026-W10"
    )
    assert (
        Notification.objects.filter(
            recipient=sam, event=AccreditationEvent.STAGE_WAITING_REMINDER
        ).count()
        == 1
    )


def test_it_sends_one_email_when_the_task_runs_twice(review, tess, sam):
    notification = _pending_for_sam(review, tess, sam)

    send_notification_email.apply(args=[notification.pk])
    send_notification_email.apply(args=[notification.pk])

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sam@example.org"]
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT
    assert notification.emailed_at is not None
    # One attempt: the second run found nothing to claim.
    assert notification.email_attempts == 1


def test_it_gives_up_on_a_send_whose_worker_dies_every_time(review, tess, sam):
    notification = _pending_for_sam(review, tess, sam)
    when = notification.created_at
    claims = []
    for _ in range(MAX_EMAIL_ATTEMPTS + 2):
        # Each claim's worker dies mid-send; its claim goes stale after the timeout.
        when += timedelta(minutes=11)
        with time_machine.travel(when, tick=False):
            claims.append(notification_claim_email(notification_id=notification.pk))
    assert claims == [True] * MAX_EMAIL_ATTEMPTS + [False, False]
    with time_machine.travel(when + timedelta(minutes=11), tick=False):
        assert notification.pk not in notifications_unsent_ids(older_than=timedelta(minutes=10))
    assert mail.outbox == []


def test_it_does_not_claim_a_send_another_worker_started_recently(review, tess, sam):
    notification = _pending_for_sam(review, tess, sam)
    Notification.objects.filter(pk=notification.pk).update(email_status=EmailStatus.SENDING)
    Notification.objects.filter(pk=notification.pk).update(email_claimed_at=notification.created_at)

    assert notification_send_email(notification_id=notification.pk) is False
    assert mail.outbox == []
    # A claim older than the timeout belongs to a worker that died: it is taken over.
    with time_machine.travel(notification.created_at + timedelta(minutes=11)):
        assert notification_send_email(notification_id=notification.pk) is True
    assert len(mail.outbox) == 1


def test_it_fails_neither_the_request_nor_the_row_when_the_mail_server_is_down(
    client, review, tess, pat, sam, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    submitted = submit_stage(review, tess)
    client.force_login(sam)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accreditation:stage_approve", args=[submitted.pk]),
            {"approve-comment": "Well done."},
        )

    assert response.status_code == 302
    assert ReviewStage.objects.get(pk=submitted.pk).status == ReviewStage.Status.APPROVED
    failed = Notification.objects.filter(event=AccreditationEvent.STAGE_APPROVED).order_by("pk")
    assert [n.recipient for n in failed] == [tess, pat]
    for notification in failed:
        assert notification.email_status == EmailStatus.FAILED
        assert notification.email_attempts == 1
        assert notification.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    # The sweeper finds them (failed, attempts left) once their backoff is over, and sends them
    # once the server is back.
    assert notifications_unsent_ids(older_than=timedelta(minutes=10)) == []
    with time_machine.travel(failed[0].email_next_attempt_at + timedelta(seconds=1)):
        ids = notifications_unsent_ids(older_than=timedelta(minutes=10))
        assert ids == [n.pk for n in failed]

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        for pk in ids:
            send_notification_email.apply(args=[pk])
        assert sorted(m.to[0] for m in mail.outbox) == ["pat@example.org", "tess@example.org"]
        assert set(
            Notification.objects.filter(pk__in=ids).values_list("email_status", flat=True)
        ) == {EmailStatus.SENT}
        assert notifications_unsent_ids(older_than=timedelta(minutes=10)) == []


def test_it_stops_retrying_after_the_last_attempt(review, tess, sam, settings):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    notification = _pending_for_sam(review, tess, sam)

    when = notification.created_at
    for attempt in range(1, TOTAL_EMAIL_ATTEMPTS + 1):
        with time_machine.travel(when, tick=False), pytest.raises(EmailDeliveryError):
            notification_send_email(notification_id=notification.pk)
        notification.refresh_from_db()
        assert notification.email_attempts == attempt
        if attempt < TOTAL_EMAIL_ATTEMPTS:
            # Each retry waits for its backoff.
            when = notification.email_next_attempt_at

    assert notification.email_status == EmailStatus.FAILED
    assert notification.email_next_attempt_at is None
    with time_machine.travel(when + timedelta(days=2), tick=False):
        assert notification_send_email(notification_id=notification.pk) is False
        assert notification.pk not in notifications_unsent_ids(older_than=timedelta(0))


def test_it_gives_the_sweeper_pending_and_abandoned_sends_only_once_they_are_old(review, tess, sam):
    pending = _pending_for_sam(review, tess, sam)
    claimed = notify(recipient=tess, event=AccreditationEvent.STAGE_APPROVED, actor=sam)
    Notification.objects.filter(pk=claimed.pk).update(
        email_status=EmailStatus.SENDING, email_claimed_at=claimed.created_at
    )
    notification_preferences_set(user=sam, email={AccreditationEvent.STAGE_APPROVED: False})
    skipped = notify(recipient=sam, event=AccreditationEvent.STAGE_APPROVED)
    sent = notify(recipient=tess, event=AccreditationEvent.STAGE_REOPENED, actor=sam)
    send_notification_email.apply(args=[sent.pk])

    assert notifications_unsent_ids(older_than=timedelta(minutes=10)) == []
    with time_machine.travel(pending.created_at + timedelta(minutes=11)):
        assert notifications_unsent_ids(older_than=timedelta(minutes=10)) == [
            pending.pk,
            claimed.pk,
        ]
    assert skipped.email_status == EmailStatus.SKIPPED


def test_it_fails_clearly_when_a_template_is_missing(review, tess, sam, settings):
    notification = _pending_for_sam(review, tess, sam)
    Notification.objects.filter(pk=notification.pk).update(event="no_such_event")

    with pytest.raises(TemplateDoesNotExist, match="notifications/email/no_such_event"):
        notification_send_email(notification_id=notification.pk)

    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.FAILED
    assert "TemplateDoesNotExist" in notification.last_error
    # A missing template is not a passing fault: no retry repeats it.
    assert notification.pk not in notifications_unsent_ids(older_than=timedelta(0))
    assert mail.outbox == []


@pytest.mark.parametrize(
    "event",
    [
        event
        for event in [*AccreditationEvent, *CourseEvent]
        if event
        not in {
            # Their templates belong to the periodic jobs.
            AccreditationEvent.STAGE_WAITING_REMINDER,
            AccreditationEvent.SUPERVISOR_DIGEST,
            CourseEvent.TRAINEE_INACTIVITY_REMINDER,
            AccreditationEvent.CERTIFICATE_EXPIRY_WARNING,
        }
    ],
)
def test_it_has_three_templates_for_every_event(event):
    for name in template_names(event):
        assert get_template(name)


def test_it_escapes_names_in_html_only(run_on_commit, review, tess, pat, sam):
    pat.full_name = "Pat O'Brien <Partner> & Co"
    pat.save(update_fields=["full_name"])

    run_on_commit(submit_stage, review, pat)

    message = mail.outbox[0]
    html = message.alternatives[0][0]
    assert message.subject.startswith("[Learning Together] Pat O'Brien <Partner> & Co submitted")
    assert "Pat O'Brien <Partner> & Co has submitted" in message.body
    assert "Pat O&#x27;Brien &lt;Partner&gt; &amp; Co has submitted" in html
    assert "<Partner>" not in html


def test_it_gives_the_row_back_when_the_database_fails_while_rendering(
    review, tess, sam, monkeypatch
):
    from django.db import OperationalError

    from notifications import services

    notification = _pending_for_sam(review, tess, sam)

    def locked(notification):
        raise OperationalError("database table is locked")

    with monkeypatch.context() as patched:
        patched.setattr(services, "render_email", locked)
        # Run in-process, the task leaves the retry to the sweeper rather than failing the caller.
        send_notification_email.apply(args=[notification.pk])
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.PENDING
    assert notification.email_attempts == 1
    assert mail.outbox == []

    assert notification_send_email(notification_id=notification.pk) is True
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT
    assert len(mail.outbox) == 1

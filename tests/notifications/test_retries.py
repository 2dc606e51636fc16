"""A mail server that hangs or is down for a while: each failure counts one attempt, the next
try waits for its backoff (the task's and the sweeper's alike), and after the quick tries the
sweeper tries slowly for about a day before giving up."""

import socket
from datetime import timedelta

from django.core import mail
from django.core.mail import get_connection

import pytest
import time_machine

from accreditation.events import AccreditationEvent
from notifications.models import EmailStatus, Notification
from notifications.selectors import notifications_unsent_ids
from notifications.services import (
    MAX_EMAIL_ATTEMPTS,
    SLOW_RETRY_INTERVAL,
    TOTAL_EMAIL_ATTEMPTS,
    EmailDeliveryError,
    notification_claim_email,
    notification_send_email,
    notify,
)
from notifications.tasks import send_notification_email

pytestmark = pytest.mark.django_db

FAILING_BACKEND = "tests.notifications.failing_backend.EmailBackend"
HANGING_BACKEND = "tests.notifications.hanging_backend.EmailBackend"
SWEEP_AGE = timedelta(minutes=10)


def _pending(tess, sam) -> Notification:
    return notify(recipient=tess, event=AccreditationEvent.STAGE_REOPENED, actor=sam)


def _fail_once(notification, when) -> Notification:
    with time_machine.travel(when, tick=False), pytest.raises(EmailDeliveryError):
        notification_send_email(notification_id=notification.pk)
    notification.refresh_from_db()
    return notification


def test_it_counts_a_send_cut_off_by_the_soft_time_limit_as_one_attempt_and_retries_it(
    tess, sam, settings
):
    settings.EMAIL_BACKEND = HANGING_BACKEND
    notification = _pending(tess, sam)

    with pytest.raises(EmailDeliveryError) as raised:
        notification_send_email(notification_id=notification.pk)

    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.FAILED
    assert notification.email_attempts == 1
    assert notification.last_error.startswith("SoftTimeLimitExceeded")
    assert raised.value.retry_after == 60
    assert notification.email_next_attempt_at is not None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(notification.email_next_attempt_at, tick=False):
        assert notifications_unsent_ids(older_than=SWEEP_AGE) == [notification.pk]
        send_notification_email.apply(args=[notification.pk])
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT
    assert notification.email_attempts == 2
    assert [m.to for m in mail.outbox] == [[tess.email]]


def test_it_gives_smtp_connections_a_timeout_by_default():
    assert get_connection("django.core.mail.backends.smtp.EmailBackend").timeout == 30


def test_it_turns_a_mail_server_that_never_answers_into_a_retryable_timeout(tess, sam, settings):
    # A server that accepts the connection and never sends its greeting.
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.getsockname()[1]
        settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, 1
        notification = _pending(tess, sam)
        with pytest.raises(EmailDeliveryError):
            notification_send_email(notification_id=notification.pk)
    finally:
        server.close()
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.FAILED
    assert notification.email_attempts == 1
    assert "timed out" in notification.last_error
    assert notification.email_next_attempt_at is not None


def test_it_claims_a_failed_email_only_once_its_backoff_is_over(tess, sam, settings):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    notification = _pending(tess, sam)
    failed_at = notification.created_at
    notification = _fail_once(notification, failed_at)
    assert notification.email_next_attempt_at == failed_at + timedelta(seconds=60)

    # The sweeper runs every five minutes and may come a moment after the failure.
    with time_machine.travel(failed_at + timedelta(seconds=30), tick=False):
        assert notifications_unsent_ids(older_than=SWEEP_AGE) == []
        assert notification_claim_email(notification_id=notification.pk) is False
    notification = _fail_once(notification, failed_at + timedelta(seconds=61))
    assert notification.email_attempts == 2
    # The second wait is twice the first.
    assert notification.email_next_attempt_at == failed_at + timedelta(seconds=61 + 120)
    with time_machine.travel(failed_at + timedelta(seconds=61 + 100), tick=False):
        assert notification_claim_email(notification_id=notification.pk) is False
    notification.refresh_from_db()
    assert notification.email_attempts == 2


def test_it_survives_a_short_outage_swept_every_five_minutes(tess, sam, settings):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    notification = _pending(tess, sam)
    start = notification.created_at
    notification = _fail_once(notification, start)

    # Twenty minutes of outage, swept every five minutes: the backoff spaces the tries out.
    for minutes in range(5, 25, 5):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            for pk in notifications_unsent_ids(older_than=SWEEP_AGE):
                send_notification_email.apply(args=[pk])
    notification.refresh_from_db()
    assert notification.email_attempts < MAX_EMAIL_ATTEMPTS

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(notification.email_next_attempt_at, tick=False):
        for pk in notifications_unsent_ids(older_than=SWEEP_AGE):
            send_notification_email.apply(args=[pk])
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT
    assert len(mail.outbox) == 1


def test_it_tries_slowly_for_about_a_day_after_the_quick_attempts_then_gives_up(
    tess, sam, settings
):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    notification = _pending(tess, sam)
    start = due = notification.created_at
    for _ in range(MAX_EMAIL_ATTEMPTS):
        notification = _fail_once(notification, due)
        when, due = due, notification.email_next_attempt_at
    # The quick tries are over within the hour.
    assert when - start < timedelta(hours=1)

    slow_tries = []
    while notification.email_next_attempt_at is not None:
        due = notification.email_next_attempt_at
        assert due - when == SLOW_RETRY_INTERVAL
        with time_machine.travel(due - timedelta(minutes=1), tick=False):
            assert notifications_unsent_ids(older_than=SWEEP_AGE) == []
        with time_machine.travel(due, tick=False):
            assert notifications_unsent_ids(older_than=SWEEP_AGE) == [notification.pk]
        notification = _fail_once(notification, due)
        slow_tries.append(due)
        when = due

    assert notification.email_attempts == TOTAL_EMAIL_ATTEMPTS
    assert len(slow_tries) == TOTAL_EMAIL_ATTEMPTS - MAX_EMAIL_ATTEMPTS
    assert timedelta(hours=20) < slow_tries[-1] - start < timedelta(hours=30)
    assert notification.email_status == EmailStatus.FAILED
    with time_machine.travel(when + timedelta(days=7), tick=False):
        assert notifications_unsent_ids(older_than=SWEEP_AGE) == []
        assert notification_claim_email(notification_id=notification.pk) is False

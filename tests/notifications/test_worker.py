"""With a real worker on Redis: a supervisor's approval reaches the trainee's inbox."""

import time

from django.core import mail
from django.db import transaction

import pytest

import notifications.tasks  # noqa: F401 - registers the task with the worker's app
from accreditation.events import AccreditationEvent
from accreditation.services.stages import stage_approve
from notifications.models import EmailStatus, Notification
from notifications.services import notify

from .conftest import submit_stage

pytestmark = pytest.mark.celery


def _wait_until_sent(rows, count: int) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and (
        rows.filter(email_status=EmailStatus.SENT).count() < count
    ):
        time.sleep(0.1)


def test_it_sends_the_approval_email_from_the_worker(celery_worker, review, tess, pat, sam):
    submitted = submit_stage(review, tess)
    # Sam's email about the submission goes first; wait for it so the inbox holds only what the
    # approval sends.
    _wait_until_sent(Notification.objects.filter(recipient=sam), 1)
    mail.outbox.clear()

    stage_approve(stage=submitted, user=sam, comment="Well done.")

    rows = Notification.objects.filter(event=AccreditationEvent.STAGE_APPROVED)
    _wait_until_sent(rows, 2)
    assert sorted(m.to[0] for m in mail.outbox) == ["pat@example.org", "tess@example.org"]
    assert all("signed off “Preparation”" in m.subject for m in mail.outbox)
    assert set(rows.values_list("email_status", flat=True)) == {EmailStatus.SENT}
    assert all(row.emailed_at is not None for row in rows)


def test_it_retries_on_the_worker_an_email_the_server_refused(celery_worker, settings, tess, sam):
    from tests.notifications import flaky_backend

    flaky_backend.refused["count"] = 0
    settings.EMAIL_BACKEND = "tests.notifications.flaky_backend.EmailBackend"
    settings.NOTIFICATION_EMAIL_RETRY_SECONDS = 1
    mail.outbox = []

    with transaction.atomic():
        notification = notify(recipient=tess, event=AccreditationEvent.STAGE_REOPENED, actor=sam)

    _wait_until_sent(Notification.objects.filter(pk=notification.pk), 1)
    notification.refresh_from_db()
    assert flaky_backend.refused["count"] == 1
    assert notification.email_status == EmailStatus.SENT
    # The refused attempt and the retry that went.
    assert notification.email_attempts == 2
    assert [m.to for m in mail.outbox] == [["tess@example.org"]]

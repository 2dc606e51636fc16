"""An enquiry whose worker dies while sending its staff e-mail is not lost: the claim is not the
record of sending, so once it goes stale the sweeper sends the e-mail."""

from datetime import UTC, datetime, timedelta

from django.core import mail

from wagtail.contrib.forms.models import FormSubmission

import pytest
import time_machine

from content.models import EnquiryNotification
from content.services import enquiry_send_notification
from learning_platform.sweeps import stuck_work_requeue

from . import dying_backend
from .enquiries import VALID

RECEIVED_AT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def worker_dies_once(settings):
    dying_backend.died["count"] = 0
    settings.EMAIL_BACKEND = "tests.content.dying_backend.EmailBackend"


def _received(contact_page) -> FormSubmission:
    with time_machine.travel(RECEIVED_AT, tick=False):
        submission = FormSubmission.objects.create(page=contact_page, form_data=VALID)
        EnquiryNotification.objects.create(submission=submission)
    return submission


def _send_and_die(submission, when):
    with time_machine.travel(when, tick=False), pytest.raises(SystemExit):
        enquiry_send_notification(submission_id=submission.pk)


def test_it_sends_from_the_sweeper_an_enquiry_whose_worker_died_mid_send(
    contact_page, worker_dies_once, django_capture_on_commit_callbacks
):
    submission = _received(contact_page)
    _send_and_die(submission, RECEIVED_AT + timedelta(seconds=5))

    row = EnquiryNotification.objects.get(submission=submission)
    assert row.sent_at is None
    assert row.claimed_at == RECEIVED_AT + timedelta(seconds=5)
    assert mail.outbox == []

    # Within the claim timeout the worker might still be sending: nobody takes it over.
    with time_machine.travel(RECEIVED_AT + timedelta(minutes=9), tick=False):
        assert enquiry_send_notification(submission_id=submission.pk) is False
        with django_capture_on_commit_callbacks(execute=True):
            assert stuck_work_requeue().enquiries == 0
    assert mail.outbox == []

    with time_machine.travel(RECEIVED_AT + timedelta(minutes=11), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert stuck_work_requeue().enquiries == 1
        with django_capture_on_commit_callbacks(execute=True):
            assert stuck_work_requeue().enquiries == 0

    assert len(mail.outbox) == 1
    assert VALID["your_enquiry"] in mail.outbox[0].body
    row.refresh_from_db()
    assert row.sent_at == RECEIVED_AT + timedelta(minutes=11)
    assert row.recipients


def test_it_records_sent_only_once_the_email_has_gone(contact_page, settings):
    submission = _received(contact_page)
    dying_backend.seen_while_sending.clear()
    settings.EMAIL_BACKEND = "tests.content.dying_backend.WatchingBackend"

    assert enquiry_send_notification(submission_id=submission.pk) is True

    assert dying_backend.seen_while_sending == [None]
    assert EnquiryNotification.objects.get(submission=submission).sent_at is not None
    assert len(mail.outbox) == 1

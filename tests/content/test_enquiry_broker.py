"""An enquiry survives a broker that is down: the enquirer is thanked, the enquiry is stored as
unsent, and the sweeper sends the staff e-mail later, a bounded number of times."""

from datetime import UTC, datetime, timedelta

from django.core import mail

from wagtail.contrib.forms.models import FormSubmission

import pytest
import time_machine
from kombu.exceptions import OperationalError as BrokerError

from content import tasks
from content.models import EnquiryNotification
from content.services import MAX_AUTOMATIC_RESENDS, enquiries_resend_unsent
from learning_platform.sweeps import stuck_work_requeue

from .enquiries import VALID

SENT_AT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def broker_down(monkeypatch):
    calls = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise BrokerError("[Errno 111] Connection refused")

    monkeypatch.setattr(tasks.send_enquiry_notification, "delay", refuse)
    return calls


def _submit(client, page, capture):
    with time_machine.travel(SENT_AT, tick=False), capture(execute=True):
        return client.post(page.url, VALID)


def test_it_thanks_the_enquirer_and_keeps_the_enquiry_when_the_broker_is_down(
    client, contact_page, broker_down, django_capture_on_commit_callbacks, caplog
):
    with caplog.at_level("ERROR", logger="content.services"):
        response = _submit(client, contact_page, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == contact_page.url + "thank-you/"
    submission = FormSubmission.objects.get(page=contact_page)
    assert submission.form_data["your_enquiry"] == VALID["your_enquiry"]
    notification = EnquiryNotification.objects.get(submission=submission)
    assert notification.sent_at is None
    assert len(broker_down) == 1
    assert f"Could not enqueue the staff e-mail of enquiry {submission.pk}" in caplog.text
    assert mail.outbox == []


def test_it_sends_from_the_sweeper_an_enquiry_whose_message_never_reached_the_broker(
    client, contact_page, broker_down, monkeypatch, django_capture_on_commit_callbacks, settings
):
    settings.ENQUIRY_RECIPIENTS = ["enquiries@scie.example"]
    _submit(client, contact_page, django_capture_on_commit_callbacks)
    monkeypatch.undo()  # the broker is back

    with (
        time_machine.travel(SENT_AT + timedelta(minutes=9), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert stuck_work_requeue().enquiries == 0  # may still be in the queue
    assert mail.outbox == []

    with time_machine.travel(SENT_AT + timedelta(minutes=11), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert stuck_work_requeue().enquiries == 1
        with django_capture_on_commit_callbacks(execute=True):
            assert stuck_work_requeue().enquiries == 0  # sent, so left alone

    # The staff e-mail and the enquirer's acknowledgement, once each.
    assert [message.to for message in mail.outbox] == [
        ["enquiries@scie.example"],
        [VALID["email_address"]],
    ]
    assert VALID["your_enquiry"] in mail.outbox[0].body
    row = EnquiryNotification.objects.get()
    assert row.sent_at is not None and row.acknowledged_at is not None


def test_it_stops_resending_an_enquiry_after_a_few_tries(
    client, contact_page, broker_down, django_capture_on_commit_callbacks
):
    _submit(client, contact_page, django_capture_on_commit_callbacks)

    counts = []
    for minutes in (11, 16, 21, 26, 31):
        with (
            time_machine.travel(SENT_AT + timedelta(minutes=minutes), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            counts.append(enquiries_resend_unsent())

    assert counts == [1] * MAX_AUTOMATIC_RESENDS + [0] * (5 - MAX_AUTOMATIC_RESENDS)
    assert len(broker_down) == 1 + MAX_AUTOMATIC_RESENDS
    notification = EnquiryNotification.objects.get()
    assert notification.automatic_resends == MAX_AUTOMATIC_RESENDS
    assert notification.sent_at is None


def test_it_leaves_an_enquiry_already_sent_to_the_sweeper_alone(
    client, contact_page, django_capture_on_commit_callbacks
):
    _submit(client, contact_page, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2  # the staff e-mail and the acknowledgement

    with (
        time_machine.travel(SENT_AT + timedelta(hours=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert enquiries_resend_unsent() == 0
    assert len(mail.outbox) == 2

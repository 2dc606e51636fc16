"""The enquirer hears that their enquiry arrived: an acknowledgement goes to the address they
gave, once, on the same retried and swept path as the staff e-mail, and says what happens next
without repeating what they wrote."""

from datetime import UTC, datetime, timedelta

from django.core import mail

from wagtail.contrib.forms.models import FormSubmission

import pytest
import time_machine
from celery.exceptions import Retry

from content.models import EnquiryFormField, EnquiryNotification
from content.services import enquiry_send_notification
from learning_platform.sweeps import stuck_work_requeue

from . import failing_backend
from .enquiries import VALID

SENT_AT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
STAFF = "enquiries@scie.example"
ENQUIRER = VALID["email_address"]


@pytest.fixture
def mail_server(settings):
    """A mail server whose refusals each test sets; it delivers to everyone else."""
    settings.ENQUIRY_RECIPIENTS = [STAFF]
    settings.EMAIL_BACKEND = "tests.content.failing_backend.RefusingBackend"
    failing_backend.refused.clear()
    yield failing_backend.refused
    failing_backend.refused.clear()


def _to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def _submit(client, page, capture, data=VALID):
    with time_machine.travel(SENT_AT, tick=False), capture(execute=True):
        return client.post(page.url, data)


def test_it_acknowledges_the_enquiry_to_the_enquirer(
    client, contact_page, mail_server, django_capture_on_commit_callbacks
):
    response = _submit(client, contact_page, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    submission = FormSubmission.objects.get()
    assert len(_to(STAFF)) == 1
    [acknowledgement] = _to(ENQUIRER)
    reference = f"LT-{submission.pk}"
    assert acknowledgement.subject == f"We have received your enquiry ({reference})"
    assert acknowledgement.reply_to == [STAFF]
    body = acknowledgement.body
    assert "We received your enquiry on 2 March 2026 at 10:00" in body
    assert f"Its reference is {reference}." in body
    assert "reply to this email address. We aim to reply within 5 working days." in body
    assert "/legal/privacy/" in body
    # Nothing the enquirer typed comes back: a stranger's address typed into the form gets
    # nothing they could not have known.
    for typed in (VALID["your_name"], VALID["organisation"], VALID["your_enquiry"]):
        assert typed not in body
    html_body, mimetype = acknowledgement.alternatives[0]
    assert mimetype == "text/html"
    assert "<h2>What happens next</h2>" in html_body
    assert VALID["your_enquiry"] not in html_body
    row = EnquiryNotification.objects.get(submission=submission)
    assert row.acknowledged_at == SENT_AT
    assert row.sent_at == SENT_AT


def test_it_says_how_soon_the_page_says_the_team_replies(
    client, contact_page, mail_server, django_capture_on_commit_callbacks
):
    contact_page.reply_within = "10 working days"
    contact_page.save_revision().publish()

    _submit(client, contact_page, django_capture_on_commit_callbacks)

    assert "We aim to reply within 10 working days." in _to(ENQUIRER)[0].body


def test_it_sends_each_email_once_however_often_the_task_runs(
    client, contact_page, mail_server, django_capture_on_commit_callbacks
):
    _submit(client, contact_page, django_capture_on_commit_callbacks)
    submission = FormSubmission.objects.get()

    assert enquiry_send_notification(submission_id=submission.pk) is False
    with (
        time_machine.travel(SENT_AT + timedelta(hours=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert stuck_work_requeue().enquiries == 0

    assert (len(_to(STAFF)), len(_to(ENQUIRER))) == (1, 1)


@pytest.mark.parametrize(
    ("refused", "sent_first"),
    [(ENQUIRER, STAFF), (STAFF, ENQUIRER)],
    ids=["acknowledgement-refused", "staff-email-refused"],
)
def test_it_retries_only_the_email_that_failed(
    client, contact_page, mail_server, django_capture_on_commit_callbacks, refused, sent_first
):
    mail_server.add(refused)
    with pytest.raises(Retry):
        _submit(client, contact_page, django_capture_on_commit_callbacks)
    submission = FormSubmission.objects.get()
    # The one the mail server took went; the refusal did not hold it back.
    assert [message.to for message in mail.outbox] == [[sent_first]]
    row = EnquiryNotification.objects.get(submission=submission)
    assert (row.sent_at is None, row.acknowledged_at is None) == (
        refused == STAFF,
        refused == ENQUIRER,
    )
    assert row.claimed_at is None  # given back, so the retry can take it

    mail_server.clear()
    assert enquiry_send_notification(submission_id=submission.pk) is True
    assert enquiry_send_notification(submission_id=submission.pk) is False

    assert (len(_to(STAFF)), len(_to(ENQUIRER))) == (1, 1)
    row.refresh_from_db()
    assert row.sent_at is not None and row.acknowledged_at is not None


def test_it_sends_a_lost_acknowledgement_from_the_sweeper_without_emailing_staff_again(
    client, contact_page, mail_server, django_capture_on_commit_callbacks
):
    mail_server.add(ENQUIRER)
    with pytest.raises(Retry):
        _submit(client, contact_page, django_capture_on_commit_callbacks)
    mail_server.clear()

    with time_machine.travel(SENT_AT + timedelta(minutes=11), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert stuck_work_requeue().enquiries == 1
        with django_capture_on_commit_callbacks(execute=True):
            assert stuck_work_requeue().enquiries == 0

    assert (len(_to(STAFF)), len(_to(ENQUIRER))) == (1, 1)
    row = EnquiryNotification.objects.get()
    assert row.acknowledged_at == SENT_AT + timedelta(minutes=11)
    assert row.automatic_resends == 1


def test_it_sends_no_acknowledgement_when_the_form_asks_for_no_address(
    client, contact_page, mail_server, django_capture_on_commit_callbacks
):
    EnquiryFormField.objects.filter(page=contact_page, field_type="email").delete()
    data = {key: value for key, value in VALID.items() if key != "email_address"}

    _submit(client, contact_page, django_capture_on_commit_callbacks, data=data)

    assert [message.to for message in mail.outbox] == [[STAFF]]
    row = EnquiryNotification.objects.get()
    assert row.acknowledgement_due is False
    assert row.sent_at is not None


def test_it_tells_the_enquirer_on_the_thank_you_page_that_an_email_is_on_its_way(
    client, contact_page
):
    html = client.get(contact_page.url + "thank-you/").content.decode()

    assert "We are sending a confirmation to the email address you gave" in html

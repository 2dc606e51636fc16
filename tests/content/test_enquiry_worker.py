import time

from django.core import mail

from wagtail.contrib.forms.models import FormSubmission

import pytest

import content.tasks  # noqa: F401 - registers the task with the worker's app
from content.demo import seed_site
from content.models import EnquiryFormPage

pytestmark = pytest.mark.celery


def test_it_sends_the_enquiry_email_and_the_acknowledgement_from_the_worker(
    client, celery_worker, settings
):
    staff_to = ["enquiries@scie.example"]
    settings.ENQUIRY_RECIPIENTS = staff_to
    seed_site()
    page = EnquiryFormPage.objects.get()

    response = client.post(
        page.url,
        {
            "your_name": "Jo Commissioner",
            "email_address": "jo@partnership.example",
            "what_is_your_enquiry_about": "Training as a lead reviewer",
            "your_enquiry": "How do I join the next cohort?",
        },
    )
    assert response.status_code == 302
    assert FormSubmission.objects.filter(page=page).count() == 1

    deadline = time.monotonic() + 10
    while len(mail.outbox) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)  # long enough for a duplicate to show up, were one sent
    staff, acknowledgement = sorted(mail.outbox, key=lambda message: message.to != staff_to)
    assert len(mail.outbox) == 2
    assert staff.to == staff_to
    assert "How do I join the next cohort?" in staff.body
    assert acknowledgement.to == ["jo@partnership.example"]
    assert "We aim to reply within" in acknowledgement.body
    assert "How do I join the next cohort?" not in acknowledgement.body

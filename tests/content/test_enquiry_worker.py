import time

from django.core import mail

from wagtail.contrib.forms.models import FormSubmission

import pytest

import content.tasks  # noqa: F401 - registers the task with the worker's app
from content.demo import seed_site
from content.models import EnquiryFormPage

pytestmark = pytest.mark.celery


def test_it_sends_the_enquiry_email_from_the_worker(client, celery_worker, settings):
    settings.ENQUIRY_RECIPIENTS = ["enquiries@scie.example"]
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
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["enquiries@scie.example"]
    assert "How do I join the next cohort?" in mail.outbox[0].body

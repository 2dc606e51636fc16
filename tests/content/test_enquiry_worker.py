import time

from django.core import mail

from wagtail.contrib.forms.models import FormSubmission

import pytest

import content.tasks  # noqa: F401 - registers the task with the worker's app
from content.demo import seed_site
from content.models import EnquiryFormPage
from learning_platform.celery import app as celery_app

pytestmark = pytest.mark.celery


def _drop_broker_connections() -> None:
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture(autouse=True)
def _fresh_broker_connections():
    # Autouse, so it runs before the worker starts. A task run eagerly earlier in the session
    # leaves the app's connection and producer pools bound to the default broker URL; dropping
    # them makes the next publish connect to the worker's broker.
    _drop_broker_connections()
    yield
    _drop_broker_connections()


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

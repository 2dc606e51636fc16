"""The invitation's email, sent by a real worker through Redis: the message carries the
invitation's id and nothing else, and the link in the email works."""

import re
import time

from django.core import mail
from django.urls import reverse

import pytest
from celery.signals import before_task_publish

import courses.tasks  # noqa: F401 - registers the task with the worker's app
from courses.models import Invitation
from courses.services.invitations.lifecycle import invitation_create

pytestmark = pytest.mark.celery

LINK = re.compile(r"/learning/invitations/([\w-]+)/")


def test_it_sends_the_invitation_from_the_worker_with_no_token_in_the_message(
    client, celery_worker, cohort, ada
):
    published = []

    def record(sender=None, body=None, **kwargs):
        if sender == "courses.tasks.send_invitation_email":
            published.append(body)

    before_task_publish.connect(record, weak=False)
    try:
        invitation = invitation_create(
            cohort=cohort, email="nia@example.org", full_name="Nia Jones", invited_by=ada
        )
        deadline = time.monotonic() + 10
        while not mail.outbox and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        before_task_publish.disconnect(record)

    assert len(mail.outbox) == 1
    token = LINK.search(mail.outbox[0].body).group(1)
    [(args, kwargs, _)] = published
    assert (list(args), kwargs) == ([invitation.pk], {})
    assert token not in repr(published)
    deadline = time.monotonic() + 5
    while Invitation.objects.get(pk=invitation.pk).emailed_at is None:
        assert time.monotonic() < deadline, "the email was never recorded as sent"
        time.sleep(0.1)
    page = client.get(reverse("courses:invitation_accept", args=[token]))
    assert "Create your account" in page.content.decode()

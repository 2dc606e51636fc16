"""Certificates through a real Celery worker on Redis: an approval made on the assessor's page
leads to a rendered PDF, and a render task delivered more than once still makes one file."""

import time

from django.core import mail
from django.core.files.storage import storages
from django.urls import reverse

import pytest
from celery.worker import state as worker_state

from accreditation.models import Certificate
from accreditation.tasks import render_certificate_pdf

from .award_builders import approve, criteria_form, make_ready, submit

pytestmark = pytest.mark.celery

RENDER_TASK = render_certificate_pdf.name


def _wait_for(predicate, *, timeout: float = 60, what: str = "the worker") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _renders_finished() -> int:
    return worker_state.total_count.get(RENDER_TASK, 0)


def test_it_renders_the_pdf_after_an_approval_on_the_assessors_page(
    celery_worker, client, tess, review, ali
):
    make_ready(tess, review)
    application = submit(tess)
    client.force_login(ali)
    response = client.post(
        reverse("accreditation:assessment_decide", args=[application.pk]),
        {
            "outcome": "approved",
            "reasons": "A thorough, well-supervised review.",
            **criteria_form(application),
        },
    )
    assert response.status_code == 302
    certificate = Certificate.objects.get(application=application)
    assert certificate.holder == tess

    _wait_for(lambda: Certificate.objects.filter(pk=certificate.pk).exclude(pdf="").exists())
    certificate.refresh_from_db()
    assert certificate.pdf.name == f"certificates/{certificate.number}.pdf"
    with certificate.pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert len(certificate.pdf_sha256) == 64

    # The holder's email is sent by the worker too (the notification's own task).
    _wait_for(lambda: any(certificate.number in m.subject for m in mail.outbox), what="the email")
    (email,) = [m for m in mail.outbox if certificate.number in m.subject]
    assert email.to == [tess.email]
    assert email.subject.endswith(f"Your certificate {certificate.number} is ready")
    assert f"number {certificate.number}, has been issued" in email.body


def test_it_makes_one_file_when_the_render_task_is_delivered_twice(
    celery_worker, tess, review, ali
):
    make_ready(tess, review)
    before = _renders_finished()
    certificate = approve(submit(tess), ali)  # the approval sends the render task once...
    render_certificate_pdf.delay(certificate.pk)  # ...and here it is, delivered twice more.
    render_certificate_pdf.delay(certificate.pk)

    _wait_for(lambda: _renders_finished() - before >= 3, what="all three deliveries")
    certificate.refresh_from_db()
    assert certificate.pdf.name == f"certificates/{certificate.number}.pdf"
    assert Certificate.objects.count() == 1
    assert storages["private"].listdir("certificates")[1] == [f"{certificate.number}.pdf"]

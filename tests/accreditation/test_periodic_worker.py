"""A lost message delays work but never loses it, on a real Celery worker and Redis: with the
broker unreachable at the moment of approval the assessor's request still succeeds; once the
broker is back, the sweeper finds the certificate without a PDF and the worker renders it."""

import logging
import time
from datetime import timedelta

from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from django.utils import timezone

import pytest

import accreditation.periodic  # noqa: F401 - registers the periodic tasks with the worker's app
import accreditation.tasks  # noqa: F401 - registers the render task with the worker's app
from accreditation.models import AccreditationApplication, Certificate
from learning_platform.celery import app

from .award_builders import criteria_form, make_ready, submit

pytestmark = pytest.mark.celery

# Nothing listens on port 1: connecting is refused at once.
CLOSED_BROKER = "redis://127.0.0.1:1/0"


def _point_celery_at(broker_url: str) -> None:
    app.conf.broker_url = broker_url
    # The app keeps its connection and producer pools; drop them so the next send uses this URL.
    app._pool = None
    app.amqp._producer_pool = None


def _wait_for_pdf(certificate: Certificate, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        certificate.refresh_from_db()
        if certificate.pdf:
            return
        time.sleep(0.2)


def test_it_renders_the_pdf_through_the_sweeper_after_the_broker_was_down_at_approval(
    celery_worker, redis_url, client, tess, review, ali, monkeypatch, tmp_path, caplog
):
    monkeypatch.setattr(
        Certificate._meta.get_field("pdf"), "storage", FileSystemStorage(location=tmp_path)
    )
    make_ready(tess, review)
    application = submit(tess)
    client.force_login(ali)

    _point_celery_at(CLOSED_BROKER)
    try:
        with caplog.at_level(logging.ERROR):
            response = client.post(
                reverse("accreditation:assessment_decide", args=[application.pk]),
                {
                    "outcome": "approved",
                    "reasons": "A thorough, well-supervised review.",
                    **criteria_form(application),
                },
            )
    finally:
        _point_celery_at(redis_url)

    # The assessor's decision stands, and the failure to enqueue is in the log, not the response.
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == AccreditationApplication.Status.APPROVED
    certificate = Certificate.objects.get(application=application)
    assert certificate.status == Certificate.Status.ISSUED
    assert any(
        f"Could not enqueue the PDF of certificate {certificate.pk}" in record.getMessage()
        for record in caplog.records
    )

    # Nothing is on its way: the message never reached the broker.
    time.sleep(2)
    certificate.refresh_from_db()
    assert certificate.pdf.name == ""
    assert certificate.rendering_started_at is None

    # Ten minutes on, beat's sweep runs on the worker and enqueues the render again.
    Certificate.objects.filter(pk=certificate.pk).update(
        created_at=timezone.now() - timedelta(minutes=11)
    )
    app.send_task("learning_platform.sweeps.sweep_stuck_work")

    _wait_for_pdf(certificate)
    assert certificate.pdf.name == f"certificates/{certificate.number}.pdf"
    assert len(certificate.pdf_sha256) == 64
    assert (tmp_path / certificate.pdf.name).read_bytes().startswith(b"%PDF")

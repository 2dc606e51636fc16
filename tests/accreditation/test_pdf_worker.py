"""The certificate PDF rendered by a real Celery worker on Redis, enqueued when the approval
commits."""

import time

from django.core.files.storage import FileSystemStorage

import pytest

import accreditation.tasks  # noqa: F401 - registers the task with the worker's app
from accreditation.models import Certificate

from .award_builders import approve, make_ready, submit

pytestmark = pytest.mark.celery


def test_it_renders_the_certificate_in_the_worker(
    celery_worker, tess, review, ali, monkeypatch, tmp_path
):
    monkeypatch.setattr(
        Certificate._meta.get_field("pdf"), "storage", FileSystemStorage(location=tmp_path)
    )
    make_ready(tess, review)
    certificate = approve(submit(tess), ali)

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        certificate.refresh_from_db()
        if certificate.pdf:
            break
        time.sleep(0.2)
    assert certificate.pdf.name == f"certificates/{certificate.number}.pdf"
    assert len(certificate.pdf_sha256) == 64
    assert certificate.rendering_started_at is not None

"""The sweeper, with a frozen clock: work left unfinished for ten minutes (a certificate without
its PDF, an email not sent) is enqueued again; younger work and work a live worker holds is
left alone. Tasks run in-process here; test_periodic_worker.py runs them on a real worker."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core import mail
from django.core.files.storage import FileSystemStorage

import pytest
import time_machine

from accreditation.events import AccreditationEvent
from accreditation.models import Certificate
from accreditation.services.reminders import certificate_expiry_warnings_send
from learning_platform.sweeps import stuck_work_requeue, sweep_stuck_work
from notifications.models import EmailStatus, Notification

from .award_builders import approve, make_ready, submit

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
APPROVED_AT = datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)


@pytest.fixture
def pdf_storage(monkeypatch, tmp_path):
    storage = FileSystemStorage(location=tmp_path / "certificates")
    monkeypatch.setattr(Certificate._meta.get_field("pdf"), "storage", storage)
    return storage


@pytest.fixture
def certificate(tess, review, ali, pdf_storage):
    """Approved at APPROVED_AT; its render message was lost (the on-commit enqueue never ran)."""
    with time_machine.travel(APPROVED_AT, tick=False):
        make_ready(tess, review)
        certificate = approve(submit(tess), ali)
    assert certificate.pdf.name == ""
    return certificate


def _sweep(when):
    with time_machine.travel(when, tick=False):
        return stuck_work_requeue()


def test_it_renders_a_certificate_left_without_a_pdf_for_ten_minutes(certificate, pdf_storage):
    result = _sweep(APPROVED_AT + timedelta(minutes=11))
    certificate.refresh_from_db()
    assert result.certificates == 1
    assert certificate.pdf.name == f"certificates/{certificate.number}.pdf"
    assert pdf_storage.open(certificate.pdf.name).read().startswith(b"%PDF")
    assert len(certificate.pdf_sha256) == 64


def test_it_leaves_a_certificate_younger_than_ten_minutes_to_its_own_message(certificate):
    result = _sweep(APPROVED_AT + timedelta(minutes=9))
    certificate.refresh_from_db()
    assert result.certificates == 0
    assert certificate.pdf.name == ""
    assert certificate.rendering_started_at is None


def test_it_leaves_a_certificate_a_worker_is_rendering(certificate):
    Certificate.objects.filter(pk=certificate.pk).update(
        rendering_started_at=APPROVED_AT + timedelta(minutes=15)
    )
    assert _sweep(APPROVED_AT + timedelta(minutes=20)).certificates == 0
    certificate.refresh_from_db()
    assert certificate.pdf.name == ""


def test_it_takes_over_a_render_claimed_by_a_worker_that_died(certificate):
    Certificate.objects.filter(pk=certificate.pk).update(
        rendering_started_at=APPROVED_AT + timedelta(minutes=1)
    )
    assert _sweep(APPROVED_AT + timedelta(minutes=12)).certificates == 1
    certificate.refresh_from_db()
    assert certificate.pdf.name == f"certificates/{certificate.number}.pdf"


def test_it_leaves_revoked_certificates_and_those_with_a_pdf_alone(certificate):
    Certificate.objects.filter(pk=certificate.pk).update(status=Certificate.Status.REVOKED)
    assert _sweep(APPROVED_AT + timedelta(minutes=30)).certificates == 0
    Certificate.objects.filter(pk=certificate.pk).update(
        status=Certificate.Status.ISSUED, pdf="certificates/already.pdf"
    )
    assert _sweep(APPROVED_AT + timedelta(minutes=40)).certificates == 0


def test_it_enqueues_a_certificate_once_while_its_message_waits_in_the_queue(certificate):
    Certificate.objects.filter(pk=certificate.pk).update(status=Certificate.Status.SUSPENDED)
    # Rendering a suspended certificate's PDF is still owed; two sweeps five minutes apart
    # enqueue it once (the first render here succeeds, so the second finds nothing to do).
    first = _sweep(APPROVED_AT + timedelta(minutes=11))
    second = _sweep(APPROVED_AT + timedelta(minutes=16))
    assert (first.certificates, second.certificates) == (1, 0)


def test_it_sends_again_an_email_that_failed(
    certificate, tess, settings, django_capture_on_commit_callbacks
):
    # A real failure: the mail server's port is closed when the warning is first sent.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    warned_at = datetime.combine(
        certificate.valid_until - timedelta(days=60), datetime.min.time(), tzinfo=LONDON
    ) + timedelta(hours=8)
    with (
        time_machine.travel(warned_at, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert certificate_expiry_warnings_send() == 1
    notification = Notification.objects.get(
        recipient=tess, event=AccreditationEvent.CERTIFICATE_EXPIRY_WARNING
    )
    assert notification.email_status == EmailStatus.FAILED
    assert mail.outbox == []

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    result = _sweep(warned_at + timedelta(minutes=5))
    notification.refresh_from_db()
    assert result.notifications >= 1
    assert notification.email_status == EmailStatus.SENT
    (warning,) = [m for m in mail.outbox if "expires on" in m.subject]
    assert warning.to == [tess.email]
    assert certificate.number in warning.subject


def test_it_sends_an_email_whose_message_was_lost(certificate, tess):
    created_at = APPROVED_AT + timedelta(days=1)
    with time_machine.travel(created_at, tick=False):
        # Written in a transaction whose on-commit enqueue never ran.
        from notifications.services import notify

        notification = notify(
            recipient=tess,
            event=AccreditationEvent.CERTIFICATE_EXPIRY_WARNING,
            target=certificate,
            context={"threshold_days": 90, "days_left": 80},
            dedupe_key="sweeper-test",
        )
    _sweep(created_at + timedelta(minutes=9))
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.PENDING
    _sweep(created_at + timedelta(minutes=11))
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT
    assert len([m for m in mail.outbox if "expires on" in m.subject]) == 1


def test_it_returns_its_counts_from_the_periodic_task(certificate):
    # Whatever the approval notified (its on-commit enqueue never ran) is owed as well.
    owed = Notification.objects.filter(email_status=EmailStatus.PENDING).count()
    with time_machine.travel(APPROVED_AT + timedelta(minutes=11), tick=False):
        assert sweep_stuck_work.delay().get() == {
            "certificates": 1,
            "notifications": owed,
            "bulk_items": 0,
            "bulk_issues": 0,
            "invitations": 0,
            "enquiries": 0,
        }
    assert not Notification.objects.filter(email_status=EmailStatus.PENDING).exists()

"""Celery tasks for accreditation. Each takes ids and calls one service, and is safe to run
twice."""

from celery import shared_task

from .services.pdf import certificate_claim_render, certificate_render_pdf


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def render_certificate_pdf(self, certificate_id: int) -> None:
    # Claim the work: a redelivered or duplicated task finds nothing to claim and stops.
    if not certificate_claim_render(certificate_id=certificate_id):
        return
    certificate_render_pdf(certificate_id=certificate_id)

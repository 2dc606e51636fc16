"""Periodic jobs run by Celery beat (CELERY_BEAT_SCHEDULE). Each calls one service, is safe to run
twice, and returns what it did."""

from celery import shared_task

from .services.maintenance import evidence_purge_expired, stuck_work_requeue
from .services.reminders import (
    certificate_expiry_warnings_send,
    stage_waiting_reminders_send,
    supervisor_digests_send,
)


@shared_task
def sweep_stuck_work() -> dict[str, int]:
    return stuck_work_requeue().as_dict()


@shared_task
def purge_expired_evidence() -> int:
    return evidence_purge_expired()


@shared_task
def send_stage_waiting_reminders() -> int:
    return stage_waiting_reminders_send()


@shared_task
def send_supervisor_digests() -> int:
    return supervisor_digests_send()


@shared_task
def send_certificate_expiry_warnings() -> int:
    return certificate_expiry_warnings_send()

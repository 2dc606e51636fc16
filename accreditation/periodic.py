"""Periodic jobs run by Celery beat (CELERY_BEAT_SCHEDULE). Each calls one service, is safe to run
twice, and returns what it did. The sweeper is the project's (learning_platform.sweeps)."""

from learning_platform.background import background_task

from .services.maintenance import evidence_purge_expired
from .services.register import contact_messages_purge_expired
from .services.reminders import (
    certificate_expiry_warnings_send,
    stage_waiting_reminders_send,
    supervisor_digests_send,
)


@background_task()
def purge_expired_evidence(self) -> int:
    # The daily retention purge: evidence files past EVIDENCE_RETENTION_DAYS, and messages sent
    # through the register past CONTACT_MESSAGE_RETENTION_DAYS.
    return evidence_purge_expired() + contact_messages_purge_expired()


@background_task()
def send_stage_waiting_reminders(self) -> int:
    return stage_waiting_reminders_send()


@background_task()
def send_supervisor_digests(self) -> int:
    return supervisor_digests_send()


@background_task()
def send_certificate_expiry_warnings(self) -> int:
    return certificate_expiry_warnings_send()

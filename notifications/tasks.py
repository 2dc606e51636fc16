"""Celery tasks for notifications. Each takes an id and calls one service, and is safe to run
twice: the service claims the row before sending."""

from django.conf import settings
from django.db import DatabaseError

from celery import shared_task

from .services import MAX_EMAIL_ATTEMPTS, EmailDeliveryError, notification_send_email


def retry_delay(retries: int) -> int:
    # Each retry waits twice as long as the one before: 1, 2, 4, 8 minutes by default.
    return getattr(settings, "NOTIFICATION_EMAIL_RETRY_SECONDS", 60) * 2**retries


@shared_task(bind=True, acks_late=True, max_retries=MAX_EMAIL_ATTEMPTS - 1)
def send_notification_email(self, notification_id: int) -> None:
    try:
        notification_send_email(notification_id=notification_id)
    except DatabaseError as error:
        # Transient (a lock, a lost connection): the row is pending again, or was never claimed.
        if self.request.is_eager or self.request.retries >= self.max_retries:
            return  # the sweeper sends it later
        raise self.retry(exc=error, countdown=2**self.request.retries) from error
    except EmailDeliveryError as error:
        if self.request.is_eager:
            # Run in-process (no broker): a retry would run at once, inside the request that
            # caused the email. The row is left failed and the sweeper sends it later.
            return
        if self.request.retries >= self.max_retries:
            # Out of retries: the row stays failed, with its last error, for staff to see.
            return
        raise self.retry(exc=error, countdown=retry_delay(self.request.retries)) from error

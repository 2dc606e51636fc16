"""Celery tasks for notifications. Each takes an id and calls one service, and is safe to run
twice: the service claims the row before sending."""

from django.db import DatabaseError

from celery import shared_task

from .services import MAX_EMAIL_ATTEMPTS, EmailDeliveryError, notification_send_email


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
            # caused the email. The row is left failed and the sweeper sends it when it is due.
            return
        if error.retry_after is None or self.request.retries >= self.max_retries:
            # Out of quick retries: the row stays failed, with its last error and the time of
            # its next (slow) try, which the sweeper makes.
            return
        # The row says when it may be tried again; retrying sooner would find nothing to claim.
        raise self.retry(exc=error, countdown=error.retry_after) from error

"""Celery tasks for notifications, declared and retried as learning_platform.background says.
The service claims the row before sending, so a task run twice sends once."""

from django.db import DatabaseError

from learning_platform.background import background_task

from .services import MAX_EMAIL_ATTEMPTS, EmailDeliveryError, notification_send_email


# A database error (a lock, a lost connection) leaves the row pending, or never claimed. A mail
# failure leaves it failed, with its last error and when it may be tried again (the error's
# retry_after; retrying sooner would find nothing to claim). Given up, the row says so on the
# notification and the sweeper sends it when it is due.
@background_task(
    transient=(DatabaseError, EmailDeliveryError),
    max_retries=MAX_EMAIL_ATTEMPTS - 1,
    give_up="log",
)
def send_notification_email(self, notification_id: int) -> None:
    notification_send_email(notification_id=notification_id)

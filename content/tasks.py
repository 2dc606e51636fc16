from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from .services import enquiry_send_notification


# A mail server that hangs fails the send with a socket timeout (EMAIL_TIMEOUT, an OSError) or,
# failing that, runs into the soft time limit: both are retried like a refusal.
@shared_task(
    acks_late=True,
    autoretry_for=(OSError, SoftTimeLimitExceeded),
    retry_backoff=True,
    max_retries=5,
)
def send_enquiry_notification(submission_id: int) -> None:
    enquiry_send_notification(submission_id=submission_id)

"""Celery tasks for the public site, declared and retried as learning_platform.background says."""

from celery.exceptions import SoftTimeLimitExceeded

from learning_platform.background import background_task

from .services import enquiry_send_notification


# A mail server that hangs fails the send with a socket timeout (EMAIL_TIMEOUT, an OSError) or,
# failing that, runs into the soft time limit: both are retried like a refusal.
@background_task(transient=(OSError, SoftTimeLimitExceeded))
def send_enquiry_notification(self, submission_id: int) -> None:
    enquiry_send_notification(submission_id=submission_id)

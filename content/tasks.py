from celery import shared_task

from .services import enquiry_send_notification


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_enquiry_notification(submission_id: int) -> None:
    enquiry_send_notification(submission_id=submission_id)

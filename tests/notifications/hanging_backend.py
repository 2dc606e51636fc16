from django.core.mail.backends.base import BaseEmailBackend

from celery.exceptions import SoftTimeLimitExceeded


class EmailBackend(BaseEmailBackend):
    """A mail server that never answers, with no socket timeout: the task's soft time limit
    interrupts the send."""

    def send_messages(self, email_messages):
        raise SoftTimeLimitExceeded("SoftTimeLimitExceeded()")

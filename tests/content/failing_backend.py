from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class EmailBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the mail server is not answering")


# Addresses the "mail server" refuses for now, shared by every connection in the process.
refused: set[str] = set()


class RefusingBackend(LocmemBackend):
    """Delivers, except to the addresses in `refused`: that send fails as a refusal would."""

    def send_messages(self, messages):
        for message in messages:
            if refused & set(message.to):
                raise ConnectionRefusedError("the mail server refused the recipient")
        return super().send_messages(messages)

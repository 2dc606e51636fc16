from smtplib import SMTPServerDisconnected

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

# How many times the server has hung up so far, shared by every connection in the process (the
# worker opens a new one for each try).
refused = {"count": 0}


class EmailBackend(LocmemBackend):
    """A mail server that hangs up on the first message, then delivers normally."""

    def send_messages(self, messages):
        if refused["count"] == 0:
            refused["count"] += 1
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)

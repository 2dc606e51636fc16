from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

# How many sends the "worker" died in, shared by every connection in the process.
died = {"count": 0}


class EmailBackend(LocmemBackend):
    """The worker dies while talking to the mail server, once; after that, mail goes."""

    def send_messages(self, messages):
        if died["count"] == 0:
            died["count"] += 1
            raise SystemExit("worker process killed mid-send")
        return super().send_messages(messages)


# What the enquiry's row said while its e-mail was being handed to the mail server.
seen_while_sending: list = []


class WatchingBackend(LocmemBackend):
    """Delivers, noting first whether the enquiry was already recorded as sent."""

    def send_messages(self, messages):
        from content.models import EnquiryNotification

        seen_while_sending.extend(EnquiryNotification.objects.values_list("sent_at", flat=True))
        return super().send_messages(messages)

"""How a holder appears on the public register, and the messages its contact form relays."""

from django.conf import settings
from django.db import models


class RegisterProfile(models.Model):
    """The holder's choices for the public register: whether to show their organisation, the
    regions they work in, and whether the public may contact them through the site."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="register_profile"
    )
    show_organisation = models.BooleanField(default=False)
    regions = models.ManyToManyField("accreditation.Region", blank=True, related_name="+")
    contact_enabled = models.BooleanField(
        "accept messages",
        default=True,
        help_text="Members of the public may send you a message through the register. Your "
        "email address is never shown to them.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Register profile of {self.person}"


class ContactMessage(models.Model):
    """A message sent to a holder through the register, relayed by email; kept 90 days."""

    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_messages"
    )
    sender_name = models.CharField(max_length=200)
    sender_organisation = models.CharField(max_length=200, blank=True)
    sender_email = models.EmailField()
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Message to {self.holder} from {self.sender_name}"

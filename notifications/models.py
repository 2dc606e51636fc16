"""In-app notifications, each also sent by email, and each user's choice of which optional emails
they get.

A notification row keeps only ids and short non-personal values: its text is rendered from the
related objects when it is shown or sent, so erasing a person never leaves their name or email
address behind in someone else's notifications.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from . import registry
from .registry import MAX_KEY_LENGTH

# The events are declared by the apps that raise them (see registry), so the column has no choices.
EVENT_HELP = "The key of an event declared in an app's events module."


class EmailStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    # Retried when email_next_attempt_at comes; with no next attempt it has been given up.
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Not sent by email"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(max_length=MAX_KEY_LENGTH, help_text=EVENT_HELP)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who caused it, if anyone.",
    )
    target_content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_content_type", "target_object_id")
    link = models.CharField(
        max_length=500, blank=True, help_text="The path of the page the notification is about."
    )
    context = models.JSONField(
        default=dict, blank=True, help_text="Ids and short non-personal values only."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    email_next_attempt_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a failed email may be tried again; empty once it has been given up.",
    )
    emailed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    dedupe_key = models.CharField(
        max_length=200,
        blank=True,
        help_text="A job that must notify someone only once about a thing names it here.",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notification_once_per_dedupe_key",
            )
        ]
        indexes = [
            models.Index(
                fields=["recipient", "read_at", "-created_at"], name="notification_unread_list"
            ),
            models.Index(fields=["email_status", "created_at"], name="notification_email_status"),
        ]

    def __str__(self) -> str:
        return f"{self.event_label} for user {self.recipient_id}"

    @property
    def event_label(self) -> str:
        return registry.label(self.event)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A user's choice for one optional event. No row means the email is on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    event = models.CharField(max_length=MAX_KEY_LENGTH, help_text=EVENT_HELP)
    email = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="one_preference_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.event}: {'on' if self.email else 'off'}"

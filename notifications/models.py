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


class Event(models.TextChoices):
    INVITATION = "invitation", "You are invited to a cohort"
    STAGE_SUBMITTED = "stage_submitted", "A trainee submits a stage for your sign-off"
    STAGE_CHANGES_REQUESTED = "stage_changes_requested", "Your supervisor asks for changes"
    STAGE_APPROVED = "stage_approved", "Your supervisor signs off a stage"
    STAGE_REOPENED = "stage_reopened", "Your supervisor reopens a signed-off stage"
    SUPERVISION_TO_CONFIRM = (
        "supervision_to_confirm",
        "Your supervisor records a supervision session for you to confirm",
    )
    APPLICATION_SUBMITTED = (
        "application_submitted",
        "A trainee submits an application for accreditation",
    )
    APPLICATION_DECIDED = "application_decided", "A decision on your application"
    CERTIFICATE_ISSUED = "certificate_issued", "Your certificate is issued"
    CERTIFICATE_SUSPENDED = "certificate_suspended", "Your certificate is suspended"
    CERTIFICATE_REINSTATED = "certificate_reinstated", "Your certificate is reinstated"
    CERTIFICATE_REVOKED = "certificate_revoked", "Your certificate is revoked"
    STAGE_WAITING_REMINDER = (
        "stage_waiting_reminder",
        "A reminder when a stage has waited more than a week for your sign-off",
    )
    SUPERVISOR_DIGEST = "supervisor_digest", "A weekly summary of what waits for you"
    TRAINEE_INACTIVITY_REMINDER = (
        "trainee_inactivity_reminder",
        "A reminder when you have not done anything for 30 days",
    )
    CERTIFICATE_EXPIRY_WARNING = (
        "certificate_expiry_warning",
        "A warning before your certificate expires",
    )


# A user may turn the email for these off; the in-app notification still appears.
OPTIONAL_EVENTS: frozenset[str] = frozenset(
    {
        Event.STAGE_SUBMITTED,
        Event.STAGE_APPROVED,
        Event.SUPERVISION_TO_CONFIRM,
        Event.APPLICATION_SUBMITTED,
        Event.STAGE_WAITING_REMINDER,
        Event.SUPERVISOR_DIGEST,
        Event.TRAINEE_INACTIVITY_REMINDER,
    }
)

# Why a mandatory email cannot be turned off, in words for the preferences page.
MANDATORY_REASONS: dict[str, str] = {
    Event.INVITATION: "The invitation email holds the link you need to join the cohort.",
    Event.STAGE_CHANGES_REQUESTED: "Your review cannot go on until you act on the feedback.",
    Event.STAGE_REOPENED: "A signed-off stage needs your work again.",
    Event.APPLICATION_DECIDED: "Decisions on your accreditation are always sent.",
    Event.CERTIFICATE_ISSUED: "Changes to your certificate are always sent.",
    Event.CERTIFICATE_SUSPENDED: "Changes to your certificate are always sent.",
    Event.CERTIFICATE_REINSTATED: "Changes to your certificate are always sent.",
    Event.CERTIFICATE_REVOKED: "Changes to your certificate are always sent.",
    Event.CERTIFICATE_EXPIRY_WARNING: "You need to know before your accreditation lapses.",
}

# Events whose email another part of the platform sends (the cohort invitation carries a
# one-time link only that email may hold), so the notification is in-app only.
EMAILED_ELSEWHERE: frozenset[str] = frozenset({Event.INVITATION})


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
    event = models.CharField(max_length=40, choices=Event.choices)
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
        return f"{self.get_event_display()} for user {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A user's choice for one optional event. No row means the email is on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    event = models.CharField(max_length=40, choices=Event.choices)
    email = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="one_preference_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.event}: {'on' if self.email else 'off'}"

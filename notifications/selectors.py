"""Reading notifications: a user's own list, the unread count, email preferences, and the
emails the sweeper must enqueue again."""

from datetime import timedelta

from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from learning_platform.accounts.models import User

from . import registry
from .models import EmailStatus, Notification, NotificationPreference
from .services import TOTAL_EMAIL_ATTEMPTS, stale_email_claims


def notifications_with_targets(*, queryset: QuerySet[Notification]) -> QuerySet[Notification]:
    """With what the notification texts read from each kind of target (as the events declare
    it), fetched together so a page of notifications runs one query per kind of target, however
    many there are."""
    return queryset.select_related("recipient", "actor", "target_content_type").prefetch_related(
        GenericPrefetch("target", registry.target_querysets())
    )


def notifications_for_user(*, user: User) -> QuerySet[Notification]:
    """The user's own notifications: unread first, then newest first."""
    is_read = ExpressionWrapper(Q(read_at__isnull=False), output_field=BooleanField())
    return notifications_with_targets(
        queryset=Notification.objects.filter(recipient=user)
        .annotate(is_read_sort=is_read)
        .order_by("is_read_sort", "-created_at", "-pk")
    )


def notifications_unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_email_preferences(*, user: User) -> dict[str, bool]:
    """Each optional event, in the order the apps declare them, and whether its email is on."""
    off = set(
        NotificationPreference.objects.filter(user=user, email=False).values_list(
            "event", flat=True
        )
    )
    return {event: event not in off for event in registry.optional_keys()}


def notifications_unsent_ids(*, older_than: timedelta) -> list[int]:
    """Emails that should have gone by now: pending for longer than `older_than`, claimed by a
    worker longer ago than that (it died mid-send, or its message was lost), or failed with
    their next try due (the backoff after each failure, then a slow retry every few hours for
    about a day). The caller enqueues send_notification_email for each again; the task's claim
    makes a duplicate harmless."""
    now = timezone.now()
    before = now - older_than
    return list(
        Notification.objects.filter(
            Q(email_status=EmailStatus.PENDING, created_at__lt=before)
            | stale_email_claims(now=now, claimed_before=before)
            | Q(
                email_status=EmailStatus.FAILED,
                email_next_attempt_at__lte=now,
                email_attempts__lt=TOTAL_EMAIL_ATTEMPTS,
            ),
            recipient__is_active=True,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )

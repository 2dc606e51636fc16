"""Creating notifications, sending their email, marking them read, and email preferences.

`notify` writes the row inside the caller's transaction and sends the email only after that
commits, from a worker: a rolled-back action notifies nobody, and a mail server that is down
never fails the request that caused the email.
"""

import logging
import re
import time
from collections.abc import Iterable, Mapping
from datetime import timedelta
from smtplib import SMTPException

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import DatabaseError, IntegrityError, OperationalError, models, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from celery.exceptions import SoftTimeLimitExceeded

from learning_platform.accounts.models import User

from . import registry
from .links import link_for
from .models import EmailStatus, Notification, NotificationPreference
from .rendering import render_email

logger = logging.getLogger(__name__)
EMAIL_ADDRESS = re.compile(r"[^\s<>'\"@]+@[^\s<>'\"@]+")

# Sending is tried this many times quickly (the first try and the task's retries, waiting 1, 2,
# 4 and 8 minutes by default)...
MAX_EMAIL_ATTEMPTS = 5
# ...then, should the mail server still be failing, the sweeper tries this many more times, one
# every SLOW_RETRY_INTERVAL (so for about a day), before the email is given up.
SLOW_EMAIL_ATTEMPTS = 4
SLOW_RETRY_INTERVAL = timedelta(hours=6)
TOTAL_EMAIL_ATTEMPTS = MAX_EMAIL_ATTEMPTS + SLOW_EMAIL_ATTEMPTS
# A retry may start this much before its time: the task's countdown is measured on one worker's
# clock and the claim is checked on another's.
CLOCK_SLACK = timedelta(seconds=5)


class EmailDeliveryError(Exception):
    """Sending failed for a reason that may pass (the mail server is down, refused or hung).

    `retry_after` is how many seconds until the row may be claimed again (None: given up)."""

    def __init__(self, message: str, *, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


def email_claim_timeout() -> timedelta:
    # Longer than a task may run (its hard time limit), so a claim this old belongs to a worker
    # that died mid-send, never to one still sending.
    return timedelta(seconds=getattr(settings, "NOTIFICATION_EMAIL_CLAIM_TIMEOUT", 600))


def email_retry_delay(attempts: int) -> timedelta | None:
    """How long after its `attempts`-th failed try an email may be tried again, or None once it
    has had all its tries. Quick tries double the wait each time (1, 2, 4, 8 minutes by
    default); the slow ones come every SLOW_RETRY_INTERVAL."""
    if attempts >= TOTAL_EMAIL_ATTEMPTS:
        return None
    if attempts < MAX_EMAIL_ATTEMPTS:
        base = getattr(settings, "NOTIFICATION_EMAIL_RETRY_SECONDS", 60)
        return timedelta(seconds=base * 2 ** max(attempts - 1, 0))
    return SLOW_RETRY_INTERVAL


# Creating --------------------------------------------------------------------------------------


def email_enabled(*, user: User, event: str) -> bool:
    event_type = registry.get(event)
    if event_type.emailed_elsewhere:
        return False
    if not event_type.optional:
        return True
    return not NotificationPreference.objects.filter(user=user, event=event, email=False).exists()


def notify(
    *,
    recipient: User,
    event: str,
    actor: User | None = None,
    target: models.Model | None = None,
    context: dict | None = None,
    dedupe_key: str = "",
    link: str = "",
) -> Notification | None:
    """Notify one person, in-app and (after commit) by email.

    Returns None, and sends nothing, if the recipient is inactive or already has a notification
    with this `dedupe_key`. `context` holds ids and short non-personal values only; `link` (a
    path) overrides the page worked out from the event and target.

    Raises UnknownEvent (a ValueError) for an event no app declares.
    """
    event = registry.get(event).key
    if recipient is None or not recipient.is_active:
        return None
    notification = Notification(
        recipient=recipient,
        event=event,
        actor=actor,
        link=link or link_for(event=event, target=target),
        context=context or {},
        dedupe_key=dedupe_key,
        email_status=(
            EmailStatus.PENDING
            if email_enabled(user=recipient, event=event)
            else EmailStatus.SKIPPED
        ),
    )
    if target is not None:
        notification.target_content_type = ContentType.objects.get_for_model(target)
        notification.target_object_id = target.pk
    if dedupe_key:
        if Notification.objects.filter(recipient=recipient, dedupe_key=dedupe_key).exists():
            return None
        try:
            # A savepoint: two jobs racing on the same key must not break the caller's
            # transaction; the unique constraint lets exactly one of them in.
            with transaction.atomic():
                notification.save()
        except IntegrityError:
            return None
    else:
        notification.save()
    if notification.email_status == EmailStatus.PENDING:
        _enqueue_email_on_commit(notification.pk)
    return notification


def notify_many(
    *,
    recipients: Iterable[User],
    event: str,
    actor: User | None = None,
    target: models.Model | None = None,
    context: dict | None = None,
) -> list[Notification]:
    """Notify each person once, however often they appear in `recipients`."""
    registry.get(event)
    seen: set[int] = set()
    created = []
    for person in recipients:
        if person is None or person.pk in seen:
            continue
        seen.add(person.pk)
        notification = notify(
            recipient=person, event=event, actor=actor, target=target, context=context
        )
        if notification is not None:
            created.append(notification)
    return created


def _enqueue_email_on_commit(notification_id: int) -> None:
    from .tasks import send_notification_email

    # robust: a broker that cannot be reached is logged, not raised into the request; the row
    # stays pending and the sweeper enqueues it again (notifications_unsent_ids).
    transaction.on_commit(lambda: send_notification_email.delay(notification_id), robust=True)


# Sending ---------------------------------------------------------------------------------------


def stale_email_claims(*, now, claimed_before) -> Q:
    """Emails claimed before `claimed_before` by a worker that died mid-send (or whose message
    was lost). After the quick tries, a send that killed its worker waits as long as a slow
    retry would, and none is taken once every attempt is used."""
    return Q(
        email_status=EmailStatus.SENDING,
        email_claimed_at__lt=claimed_before,
        email_attempts__lt=MAX_EMAIL_ATTEMPTS,
    ) | Q(
        email_status=EmailStatus.SENDING,
        email_claimed_at__lt=min(claimed_before, now - SLOW_RETRY_INTERVAL),
        email_attempts__lt=TOTAL_EMAIL_ATTEMPTS,
    )


def notification_claim_email(*, notification_id: int) -> bool:
    """Take the email for sending. Only one worker wins: a duplicate or redelivered task finds
    nothing left to claim. A failed email is taken only once its backoff is over, so retries
    (the task's and the sweeper's) never use up its attempts during a short outage."""
    now = timezone.now()
    stale = now - email_claim_timeout()
    claimable = (
        Q(email_status=EmailStatus.PENDING)
        | Q(email_status=EmailStatus.FAILED, email_next_attempt_at__lte=now + CLOCK_SLACK)
        | stale_email_claims(now=now, claimed_before=stale)
    )
    claimed = (
        Notification.objects.filter(claimable, pk=notification_id)
        .filter(email_attempts__lt=TOTAL_EMAIL_ATTEMPTS, recipient__is_active=True)
        # The attempt counts when it starts: a send that kills its worker (a hard time limit)
        # would otherwise be claimed again every timeout, for ever.
        .update(
            email_status=EmailStatus.SENDING,
            email_claimed_at=now,
            email_next_attempt_at=None,
            email_attempts=F("email_attempts") + 1,
        )
    )
    return claimed == 1


def notification_send_email(*, notification_id: int) -> bool:
    """Claim, render and send one notification's email. Returns whether it was sent now.

    Raises EmailDeliveryError when the mail server fails, refuses or hangs (the row is left
    failed, one attempt more, with the time its retry is due), and lets a missing template or
    other programming error raise as it is, after marking the row failed for good so no retry
    repeats it.
    """
    if not notification_claim_email(notification_id=notification_id):
        return False
    notification = Notification.objects.select_related("recipient", "actor").get(pk=notification_id)
    try:
        rendered = render_email(notification)
        event_type = registry.find(notification.event)
        reply_to = event_type.reply_to(notification) if event_type and event_type.reply_to else []
        message = EmailMultiAlternatives(
            subject=rendered.subject,
            body=rendered.text,
            to=[notification.recipient.email],
            reply_to=reply_to or None,
        )
        message.attach_alternative(rendered.html, "text/html")
        message.send()
    except (SMTPException, OSError, SoftTimeLimitExceeded) as error:
        # OSError includes a socket timeout (EMAIL_TIMEOUT); a server that hangs without one
        # runs into the task's soft time limit instead. Either way the mail server is at fault,
        # not the email, so it is tried again later.
        delay = _mark_failed(notification, error, attempts=notification.email_attempts)
        raise EmailDeliveryError(
            _short_error(error), retry_after=None if delay is None else delay.total_seconds()
        ) from error
    except DatabaseError:
        # A moment's database trouble while rendering is not the email's fault: give the row
        # back for the task's retry (or, should this write fail too, the sweeper's).
        Notification.objects.filter(pk=notification.pk, email_status=EmailStatus.SENDING).update(
            email_status=EmailStatus.PENDING
        )
        raise
    except Exception as error:
        _mark_failed(notification, error, attempts=notification.email_attempts, give_up=True)
        raise
    _record_sent(notification.pk)
    return True


def _record_sent(notification_id: int, *, tries: int = 5) -> None:
    # The email has gone, so its record must survive a moment's lock or failover: a row left
    # "sending" would be claimed again once the claim times out, and the email sent twice.
    for attempt in range(tries):
        try:
            Notification.objects.filter(
                pk=notification_id, email_status=EmailStatus.SENDING
            ).update(email_status=EmailStatus.SENT, emailed_at=timezone.now(), last_error="")
            return
        except OperationalError:
            if attempt == tries - 1:
                raise
            time.sleep(0.05 * 2**attempt)


def _short_error(error: BaseException) -> str:
    # The exception's class and message only: SMTP errors carry the server's reply, never our
    # credentials, and the field is short so nothing long (a rendered body) can end up there.
    # A refused recipient's reply names their address, which has no place in a log.
    return EMAIL_ADDRESS.sub("<address>", f"{type(error).__name__}: {error}")[:200]


def _mark_failed(
    notification: Notification, error: BaseException, *, attempts: int, give_up: bool = False
) -> timedelta | None:
    """Leave the row failed, with when it may be tried again (None: given up). Returns the wait."""
    delay = None if give_up else email_retry_delay(attempts)
    Notification.objects.filter(pk=notification.pk).update(
        email_status=EmailStatus.FAILED,
        email_attempts=min(attempts, TOTAL_EMAIL_ATTEMPTS),
        email_next_attempt_at=None if delay is None else timezone.now() + delay,
        last_error=_short_error(error),
    )
    logger.warning(
        "Email for notification %s failed (attempt %s, %s): %s",
        notification.pk,
        attempts,
        "given up" if delay is None else f"next try in {delay}",
        _short_error(error),
    )
    return delay


# Reading ---------------------------------------------------------------------------------------


def notification_mark_read(*, notification: Notification, user: User) -> Notification:
    if notification.recipient_id != user.pk:
        raise PermissionError("Only the recipient can mark a notification as read.")
    if notification.read_at is None:
        now = timezone.now()
        # Only if still unread: a second click keeps the first reading time.
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notifications_mark_done(
    *,
    recipient: User,
    event: str | Iterable[str],
    target: models.Model | QuerySet,
) -> int:
    """Mark read the recipient's unread notifications of this event (or events) about this
    target (or any object in this queryset): what they asked for has been done. Called inside
    the transaction that does it, so a rolled-back action leaves them unread."""
    events = [event] if isinstance(event, str) else list(event)
    if isinstance(target, QuerySet):
        content_type = ContentType.objects.get_for_model(target.model)
        about = Q(target_object_id__in=target.values("pk"))
    else:
        content_type = ContentType.objects.get_for_model(target)
        about = Q(target_object_id=target.pk)
    return Notification.objects.filter(
        about,
        recipient=recipient,
        event__in=events,
        target_content_type=content_type,
        read_at__isnull=True,
    ).update(read_at=timezone.now())


# Preferences -----------------------------------------------------------------------------------


@transaction.atomic
def notification_preferences_set(*, user: User, email: Mapping[str, bool]) -> None:
    """Save which optional emails the user wants. Mandatory events cannot be turned off."""
    unknown = set(email) - set(registry.optional_keys())
    if unknown:
        raise ValueError(f"These emails cannot be turned off: {', '.join(sorted(unknown))}.")
    for event, wanted in email.items():
        NotificationPreference.objects.update_or_create(
            user=user, event=event, defaults={"email": bool(wanted)}
        )

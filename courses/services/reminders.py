"""The reminder to trainees who have done nothing for TRAINEE_INACTIVITY_DAYS, sent by Celery
beat."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from notifications.models import Event
from notifications.services import notify

from ..selectors.activity import enrolments_inactive


def trainee_inactivity_reminders_send(*, now: datetime | None = None) -> int:
    """One reminder per quiet spell: keyed on the date the spell began (the last activity, or the
    enrolment's start), so the trainee hears again only after doing something and going quiet
    once more."""
    now = now or timezone.now()
    days = settings.TRAINEE_INACTIVITY_DAYS
    sent = 0
    for item in enrolments_inactive(idle_since=now - timedelta(days=days)):
        since = timezone.localdate(item.since)
        notification = notify(
            recipient=item.enrolment.user,
            event=Event.TRAINEE_INACTIVITY_REMINDER,
            target=item.enrolment,
            context={"days": (timezone.localdate(now) - since).days, "since": since.isoformat()},
            dedupe_key=f"inactivity:{item.enrolment.pk}:{since.isoformat()}",
        )
        sent += notification is not None
    return sent

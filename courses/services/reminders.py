"""The reminder to trainees who have done nothing for TRAINEE_INACTIVITY_DAYS, sent by Celery
beat."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from notifications.models import Notification
from notifications.services import notify

from ..events import CourseEvent
from ..selectors.activity import InactiveEnrolment, enrolment_start, enrolments_inactive


def trainee_inactivity_reminders_send(*, now: datetime | None = None) -> int:
    """One reminder per trainee and quiet spell: keyed on the date the spell began (the last
    activity, or the latest enrolment's start), so the trainee hears again only after doing
    something and going quiet once more, however many cohorts they are enrolled on."""
    now = now or timezone.now()
    days = settings.TRAINEE_INACTIVITY_DAYS
    latest: dict[int, InactiveEnrolment] = {}
    for item in enrolments_inactive(idle_since=now - timedelta(days=days)):
        # The reminder names one cohort: the one the trainee joined last.
        current = latest.get(item.enrolment.user_id)
        if current is None or enrolment_start(enrolment=item.enrolment) >= enrolment_start(
            enrolment=current.enrolment
        ):
            latest[item.enrolment.user_id] = item
    sent = 0
    for item in latest.values():
        since = timezone.localdate(item.since)
        user = item.enrolment.user
        if Notification.objects.filter(
            recipient=user,
            event=CourseEvent.TRAINEE_INACTIVITY_REMINDER,
            # Reminders sent before the key named the trainee only ("inactivity:<enrolment>:
            # <date>") still count for their spell.
            dedupe_key__startswith="inactivity:",
            dedupe_key__endswith=f":{since.isoformat()}",
        ).exists():
            continue
        notification = notify(
            recipient=user,
            event=CourseEvent.TRAINEE_INACTIVITY_REMINDER,
            target=item.enrolment,
            context={"days": (timezone.localdate(now) - since).days, "since": since.isoformat()},
            # The unique key is per recipient, so the date of the spell is enough.
            dedupe_key=f"inactivity:trainee:{since.isoformat()}",
        )
        sent += notification is not None
    return sent

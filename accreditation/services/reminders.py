"""Reminders sent by Celery beat: stages left waiting for sign-off, each supervisor's weekly
digest, and warnings before a certificate expires.

Each notification carries a dedupe key naming what it is about, so running a job twice (or a
beat that fires twice) never tells anyone the same thing twice.
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from learning_platform.accounts.models import User
from notifications.services import notify

from ..events import AccreditationEvent
from ..models import SignOff
from ..selectors.reminders import certificates_expiring, stages_waiting_since, supervisor_digests


def stage_waiting_reminders_send(*, now: datetime | None = None) -> int:
    """Remind each supervisor of every stage that has waited more than STAGE_REMINDER_DAYS.

    Keyed on the submission's sign-off: a stage is reminded once per submission, and again only
    after it is sent back and submitted anew."""
    now = now or timezone.now()
    stages = list(
        stages_waiting_since(submitted_before=now - timedelta(days=settings.STAGE_REMINDER_DAYS))
    )
    today = timezone.localdate(now)
    submissions = SignOff.objects.in_bulk([s.submission_id for s in stages if s.submission_id])
    sent = 0
    for stage in stages:
        submission = submissions.get(stage.submission_id)
        if submission is None:
            continue
        notification = notify(
            recipient=stage.review.supervisor,
            event=AccreditationEvent.STAGE_WAITING_REMINDER,
            target=submission,
            context={"days_waiting": (today - timezone.localdate(stage.submitted_at)).days},
            dedupe_key=f"stage-waiting:{submission.pk}",
        )
        sent += notification is not None
    return sent


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def supervisor_digests_send(*, now: datetime | None = None) -> int:
    """Send each supervisor who has something waiting one digest a week (keyed on the ISO week):
    stages to sign off, sessions to be confirmed, inactive trainees and reviews near or past
    their target. A supervisor with only reviews at risk still gets one."""
    now = now or timezone.now()
    days = settings.TRAINEE_INACTIVITY_DAYS
    today = timezone.localdate(now)
    digests = supervisor_digests(idle_since=now - timedelta(days=days), today=today)
    week = iso_week(today)
    sent = 0
    for supervisor in User.objects.filter(pk__in=digests, is_active=True).order_by("pk"):
        digest = digests[supervisor.pk]
        notification = notify(
            recipient=supervisor,
            event=AccreditationEvent.SUPERVISOR_DIGEST,
            context={
                "week": week,
                "stage_ids": digest.stage_ids,
                "session_ids": digest.session_ids,
                "trainee_ids": digest.trainee_ids,
                "at_risk_review_ids": digest.at_risk_review_ids,
                "today": today.isoformat(),
                "inactivity_days": days,
            },
            dedupe_key=f"supervisor-digest:{week}",
        )
        sent += notification is not None
    return sent


def certificate_expiry_warnings_send(*, today: date | None = None) -> int:
    """Warn holders as their certificate passes each threshold in CERTIFICATE_EXPIRY_WARNING_DAYS
    (90 and 30 by default): one warning per certificate and threshold. A certificate first seen
    already past several thresholds gets only the nearest one."""
    today = today or timezone.localdate()
    thresholds = sorted(set(settings.CERTIFICATE_EXPIRY_WARNING_DAYS))
    if not thresholds:
        return 0
    sent = 0
    for certificate in certificates_expiring(today=today, within_days=thresholds[-1]):
        days_left = (certificate.valid_until - today).days
        threshold = next(t for t in thresholds if days_left <= t)
        notification = notify(
            recipient=certificate.holder,
            event=AccreditationEvent.CERTIFICATE_EXPIRY_WARNING,
            target=certificate,
            context={"threshold_days": threshold, "days_left": days_left},
            dedupe_key=f"certificate-expiry:{certificate.pk}:{threshold}",
        )
        sent += notification is not None
    return sent

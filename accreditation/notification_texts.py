"""What the weekly supervisor digest shows, read from the ids its notification keeps (the row
holds no names: they are rendered from the objects when the email is sent or listed)."""

from django.db.models import Prefetch

from learning_platform.accounts.models import User
from notifications.models import Event, Notification
from notifications.rendering import context_for

from .models import ReviewStage, SupervisionAttendance, SupervisionSession


@context_for(Event.SUPERVISOR_DIGEST)
def supervisor_digest_context(notification: Notification) -> dict:
    stored = notification.context or {}
    stages = (
        ReviewStage.objects.filter(pk__in=stored.get("stage_ids", []))
        .select_related("definition", "review__trainee")
        .order_by("submitted_at", "pk")
    )
    sessions = (
        SupervisionSession.objects.filter(pk__in=stored.get("session_ids", []))
        .prefetch_related(
            Prefetch(
                "attendees",
                queryset=SupervisionAttendance.objects.filter(
                    confirmed_at__isnull=True,
                    trainee__is_active=True,
                    trainee__erased_at__isnull=True,
                )
                .select_related("trainee")
                .order_by("trainee__full_name"),
                to_attr="unconfirmed",
            )
        )
        .order_by("-date", "pk")
    )
    trainees = User.objects.filter(pk__in=stored.get("trainee_ids", [])).order_by("full_name", "pk")
    # Querysets, not lists: the notifications page renders only the subject line, which reads
    # none of them, so listing digests costs no query per row.
    return {
        "waiting_stages": stages,
        "unconfirmed_sessions": sessions,
        "inactive_trainees": trainees,
        "inactivity_days": stored.get("inactivity_days"),
    }

"""The notifications app's sweep: emails not sent when they should have been."""

from datetime import datetime

from learning_platform.sweeps import STUCK_AFTER, enqueue_again, register_sweep

from .selectors import notifications_unsent_ids
from .tasks import send_notification_email


@register_sweep
def sweep_notifications(*, now: datetime | None = None) -> dict[str, int]:
    """Enqueue again each notification email pending, or claimed by a worker, for longer than
    STUCK_AFTER, and each failed one whose next try is due."""
    # notifications_unsent_ids reads the clock itself: pending and claim ages, and the failed
    # rows' next-try times, are all measured from now.
    ids = notifications_unsent_ids(older_than=STUCK_AFTER)
    return {"notifications": enqueue_again(send_notification_email, ids, "notification")}

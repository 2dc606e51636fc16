"""The courses app's sweep: invitations whose email never went."""

from datetime import datetime

from learning_platform.sweeps import register_sweep

from .services.invitations.lifecycle import invitations_resend_unsent


@register_sweep
def sweep_courses(*, now: datetime | None = None) -> dict[str, int]:
    """Send a fresh link to each invitation whose email has not gone ten minutes after its link
    was made (only a hash of each link is stored, so the old one cannot be sent again)."""
    return {"invitations": invitations_resend_unsent(now=now)}

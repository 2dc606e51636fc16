"""The public site's sweep: enquiries whose staff email or acknowledgement never went."""

from datetime import datetime

from learning_platform.sweeps import register_sweep

from .services import enquiries_resend_unsent


@register_sweep
def sweep_content(*, now: datetime | None = None) -> dict[str, int]:
    """Enqueue again the emails of each enquiry whose staff email or acknowledgement has not
    gone ten minutes after it was sent, up to its limit of automatic resends."""
    return {"enquiries": enquiries_resend_unsent(now=now)}

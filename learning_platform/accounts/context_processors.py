import time

from django.conf import settings

from .middleware import LAST_SEEN_SESSION_KEY

# How long before the idle limit a signed-in page warns that its session is about to end.
IDLE_WARNING_SECONDS = 3 * 60


def idle_timeout(request) -> dict:
    """For a signed-in page: how long its session has left before the idle limit ends it, so the
    page can warn in time to save work (see includes/idle_warning.html)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    limit = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
    now = int(time.time())
    last_seen = request.session.get(LAST_SEEN_SESSION_KEY, now)
    return {
        "idle_timeout": {
            "minutes": settings.SESSION_IDLE_TIMEOUT_MINUTES,
            "limit_seconds": limit,
            "seconds_left": max(0, limit - (now - last_seen)),
            "warn_seconds": min(IDLE_WARNING_SECONDS, limit),
        }
    }

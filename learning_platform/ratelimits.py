"""Rate limits for the site's own views, kept where allauth keeps its sign-in limits.

The limits are allauth's: the same cache, the same rate syntax ("30/h/ip,5/h/key") and the same
client address, read through the trusted proxies that ALLAUTH_TRUSTED_PROXY_COUNT and
ALLAUTH_TRUSTED_CLIENT_IP_HEADER describe. Each action's rates are an entry of
ACCOUNT_RATE_LIMITS, so one setting lists every limit the site applies.
"""

import math
import time

from django.core.cache import cache
from django.http import HttpRequest

from allauth.core import ratelimit
from allauth.core.internal.ratelimit import get_cache_key, get_rates

# allauth.core.ratelimit counts every action under allauth's account app.
_APP = "allauth.account"


def attempt(request: HttpRequest, *, action: str, key: str | None = None) -> int | None:
    """Count one attempt at ``action``. None when it is allowed; when it is not, the seconds
    until the next attempt would be."""
    if ratelimit.consume(request, action=action, key=key):
        return None
    return _seconds_until_allowed(request, action=action, key=key)


def _seconds_until_allowed(request: HttpRequest, *, action: str, key: str | None) -> int:
    now = time.time()
    wait = 0.0
    for rate in get_rates(app=_APP, action=action):
        cache_key = get_cache_key(request, app=_APP, action=action, rate=rate, key=key)
        recent = sorted(ts for ts in cache.get(cache_key, []) if ts > now - rate.duration)
        if len(recent) >= rate.amount:
            # Allowed again once enough of the oldest attempts have left the window.
            wait = max(wait, recent[len(recent) - rate.amount] + rate.duration - now)
    # At least a second: a refusal because the counter was busy still asks the client to wait.
    return max(1, math.ceil(wait))

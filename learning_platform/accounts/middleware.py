import logging
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse

from learning_platform.security import client_ip

from .selectors import user_mfa_setup_pending

security_log = logging.getLogger("learning_platform.security")

# Paths a staff member without MFA may still reach: leaving, confirming the password that TOTP
# setup asks for, and assets.
_ALLOWED_PREFIXES = ("/accounts/logout/", "/accounts/reauthenticate/", "/static/")
# Of the two-factor pages, only TOTP setup itself. Recovery codes back up the authenticator app,
# so generating, viewing or downloading them comes after it, as does the overview.
_ALLOWED_URL_NAMES = ("mfa_activate_totp",)


def _allowed_before_mfa(path: str) -> bool:
    return path.startswith(_ALLOWED_PREFIXES) or path in {
        reverse(name) for name in _ALLOWED_URL_NAMES
    }


class RequireMFAMiddleware:
    """Send supervisors, assessors and administrators to set up TOTP before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not _allowed_before_mfa(request.path)
            and user_mfa_setup_pending(user=user)
        ):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('mfa_activate_totp')}?{query}")
        return self.get_response(request)


# When the session was last used, in whole seconds since the epoch.
LAST_SEEN_SESSION_KEY = "last_seen"
# Refreshing the timestamp more often than this would write the session on every request.
_LAST_SEEN_RESOLUTION_SECONDS = 60
# Requests a page's own script sends while its tab stays open, not the person doing anything:
# Wagtail's editor pings its editing session every 10 seconds. They must not keep the session
# alive, or the idle limit would never be reached while an editor tab is open. Matched by URL
# name, so a change to Wagtail's paths cannot quietly turn this off.
BACKGROUND_URL_NAMES = frozenset(
    {"wagtailadmin_editing_sessions:ping", "wagtailadmin_editing_sessions:release"}
)


def session_mark_seen(request: HttpRequest) -> None:
    request.session[LAST_SEEN_SESSION_KEY] = int(time.time())


class SessionIdleTimeoutMiddleware:
    """End a signed-in session after SESSION_IDLE_TIMEOUT_MINUTES without a request.

    This is separate from SESSION_COOKIE_AGE: someone who walks away from a shared computer is
    signed out after the idle limit, however long the cookie would still be valid.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            minutes = settings.SESSION_IDLE_TIMEOUT_MINUTES
            last_seen = request.session.get(LAST_SEEN_SESSION_KEY)
            if last_seen is not None and now - last_seen > minutes * 60:
                return self._sign_out(request, user.pk, minutes)
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        # Here rather than in __call__ because only now is the URL resolved: the request counts
        # as activity unless it is one of the background requests above.
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in BACKGROUND_URL_NAMES:
            return None
        now = int(time.time())
        last_seen = request.session.get(LAST_SEEN_SESSION_KEY)
        if last_seen is None or now - last_seen >= _LAST_SEEN_RESOLUTION_SECONDS:
            request.session[LAST_SEEN_SESSION_KEY] = now
        return None

    def _sign_out(self, request: HttpRequest, user_id: int, minutes: int) -> HttpResponse:
        security_log.info(
            "session_expired user_id=%s idle_minutes=%s ip=%s",
            user_id,
            minutes,
            client_ip(request),
        )
        logout(request)
        messages.warning(
            request,
            f"You were signed out after {minutes} minutes of inactivity. "
            "Sign in again to continue.",
        )
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{resolve_url(settings.LOGIN_URL)}?{query}")

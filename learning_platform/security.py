"""Response headers Django's SecurityMiddleware does not set, and the log of refused requests."""

import logging
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from allauth.account.adapter import get_adapter

security_log = logging.getLogger("learning_platform.security")


def client_ip(request: HttpRequest | None) -> str:
    """The visitor's address as allauth's rate limits see it: through the trusted proxies that
    ALLAUTH_TRUSTED_PROXY_COUNT / ALLAUTH_TRUSTED_CLIENT_IP_HEADER describe, checked to be an IP
    address (so a forged header cannot write anything else into the log)."""
    if request is None:
        return "-"
    try:
        return get_adapter(request).get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured):
        # No usable address, or fewer X-Forwarded-For entries than trusted proxies (a request
        # that did not come through them). A log line must never fail the request.
        return "-"


def permissions_policy_header(features: dict[str, list[str]]) -> str:
    # An empty allow-list, "()", switches the feature off for this page and every frame in it.
    return ", ".join(f"{name}=({' '.join(origins)})" for name, origins in features.items())


class PermissionsPolicyMiddleware:
    """Turn off browser features no page here uses, so injected code cannot reach them either."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy_header(settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class SignedInNoStoreMiddleware:
    """Nothing sent to a signed-in person is kept by the browser or any cache on the way.

    Case-review content must not come back through a shared computer's back button or history
    after sign-out, so every response to a signed-in person says ``private, no-store`` (over
    whatever a view set, e.g. the public verification page's ``no-cache``). Pages seen by
    anonymous visitors keep their own caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # patch_cache_control drops a "public" the view may have set, as "private" replaces it.
            patch_cache_control(response, private=True, no_store=True)
        return response


def first_party_packages() -> tuple[str, ...]:
    """Top-level packages of the installed apps that live in this repository, not in a library."""
    root = Path(settings.BASE_DIR).resolve()
    packages = set()
    for app_config in apps.get_app_configs():
        path = Path(app_config.path).resolve()
        if path.is_relative_to(root) and "site-packages" not in path.parts:
            packages.add(app_config.name.split(".")[0])
    return tuple(sorted(packages))


def view_module(view) -> str:
    view_class = getattr(view, "view_class", None)
    return (view_class or view).__module__


class AccessDeniedLogMiddleware:
    """Log every refusal: any 403, and any 404 from one of our own views (an access helper saying
    "not for you" looks like "not found" to the visitor, but not to the security log).

    Only the URL's name and its numeric ids are logged, never the path or query string: paths
    and queries can carry invitation tokens, calendar tokens and verification codes.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.first_party = first_party_packages()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 403 or (
            response.status_code == 404 and self._ours(request.resolver_match)
        ):
            self._log(request, response.status_code)
        return response

    def _ours(self, match) -> bool:
        return match is not None and view_module(match.func).startswith(self.first_party)

    def _log(self, request: HttpRequest, status: int) -> None:
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        ids = ""
        if match is not None:
            ids = ",".join(
                f"{name}={value}"
                for name, value in sorted(match.kwargs.items())
                if isinstance(value, int)
            )
        security_log.warning(
            "access_denied status=%s user_id=%s method=%s url_name=%s ids=%s ip=%s",
            status,
            user.pk if user is not None and user.is_authenticated else None,
            request.method,
            (match.view_name if match is not None else None) or "-",
            ids or "-",
            client_ip(request),
        )

"""Authentication events go to the security log: who, from where, never a secret."""

import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

security_log = logging.getLogger("learning_platform.security")


def _client_ip(request) -> str:
    if request is None:
        return "-"
    return request.META.get("REMOTE_ADDR", "-")


def _on_login(sender, request, user, **kwargs) -> None:
    security_log.info("login user_id=%s ip=%s", user.pk, _client_ip(request))


def _on_logout(sender, request, user, **kwargs) -> None:
    security_log.info("logout user_id=%s ip=%s", getattr(user, "pk", None), _client_ip(request))


def _on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Only the identifier is logged; the password never is.
    identifier = credentials.get("email") or credentials.get("username") or "-"
    security_log.warning("login_failed identifier=%s ip=%s", identifier, _client_ip(request))


def connect() -> None:
    user_logged_in.connect(_on_login, dispatch_uid="security_log_login")
    user_logged_out.connect(_on_logout, dispatch_uid="security_log_logout")
    user_login_failed.connect(_on_login_failed, dispatch_uid="security_log_login_failed")

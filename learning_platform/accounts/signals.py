"""Security events go to the security log: who, what, from where; never a secret.

Nothing here logs a password, a one-time code, a recovery code, a token or a query string: only
user ids, authenticator types and the client address.
"""

import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals

from learning_platform.security import client_ip

security_log = logging.getLogger("learning_platform.security")


def _user_id(user) -> object:
    return getattr(user, "pk", None)


def _on_login(sender, request, user, **kwargs) -> None:
    from .middleware import session_mark_seen

    if request is not None and hasattr(request, "session"):
        # The idle timeout counts from the sign-in itself.
        session_mark_seen(request)
    security_log.info("login user_id=%s ip=%s", user.pk, client_ip(request))


def _on_logout(sender, request, user, **kwargs) -> None:
    security_log.info("logout user_id=%s ip=%s", _user_id(user), client_ip(request))


def _on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Only the identifier is logged; the password never is.
    identifier = credentials.get("email") or credentials.get("username") or "-"
    security_log.warning("login_failed identifier=%s ip=%s", identifier, client_ip(request))


def _account_event(event: str):
    def handler(sender, request=None, user=None, **kwargs) -> None:
        # email_confirmed names the address, not the user.
        user_id = _user_id(user) or getattr(kwargs.get("email_address"), "user_id", None)
        security_log.info("%s user_id=%s ip=%s", event, user_id, client_ip(request))

    handler.__name__ = f"_on_{event}"
    return handler


def _mfa_event(event: str, level: int = logging.INFO):
    def handler(sender, request=None, user=None, authenticator=None, **kwargs) -> None:
        security_log.log(
            level,
            "%s user_id=%s type=%s ip=%s",
            event,
            _user_id(user),
            getattr(authenticator, "type", "-"),
            client_ip(request),
        )

    handler.__name__ = f"_on_{event}"
    return handler


def _on_user_pre_save(sender, instance, raw=False, **kwargs) -> None:
    # Remember whether this save switches an active account off; only then is a query needed.
    instance._deactivating = False
    if raw or instance.pk is None or instance.is_active:
        return
    was_active = sender.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()
    instance._deactivating = bool(was_active)


def _on_user_post_save(sender, instance, created, raw=False, **kwargs) -> None:
    if not getattr(instance, "_deactivating", False):
        return
    from .services import user_sessions_end

    instance._deactivating = False
    security_log.info("user_deactivated user_id=%s", instance.pk)
    user_sessions_end(user=instance, reason="deactivated")


_ACCOUNT_EVENTS = {
    "password_changed": account_signals.password_changed,
    "password_set": account_signals.password_set,
    "password_reset": account_signals.password_reset,
    "email_changed": account_signals.email_changed,
    "email_added": account_signals.email_added,
    "email_removed": account_signals.email_removed,
    "email_confirmed": account_signals.email_confirmed,
}
_MFA_EVENTS = {
    "mfa_authenticator_added": (mfa_signals.authenticator_added, logging.INFO),
    "mfa_authenticator_removed": (mfa_signals.authenticator_removed, logging.WARNING),
    "mfa_authenticator_reset": (mfa_signals.authenticator_reset, logging.INFO),
    "mfa_authenticator_used": (mfa_signals.authenticator_used, logging.INFO),
    "mfa_failed": (mfa_signals.authentication_failed, logging.WARNING),
}
# Connected handlers are kept here: signals hold only weak references to them.
_HANDLERS = []


def connect() -> None:
    from .models import User

    user_logged_in.connect(_on_login, dispatch_uid="security_log_login")
    user_logged_out.connect(_on_logout, dispatch_uid="security_log_logout")
    user_login_failed.connect(_on_login_failed, dispatch_uid="security_log_login_failed")
    for event, signal in _ACCOUNT_EVENTS.items():
        handler = _account_event(event)
        _HANDLERS.append(handler)
        signal.connect(handler, dispatch_uid=f"security_log_{event}")
    for event, (signal, level) in _MFA_EVENTS.items():
        handler = _mfa_event(event, level)
        _HANDLERS.append(handler)
        signal.connect(handler, dispatch_uid=f"security_log_{event}")
    pre_save.connect(_on_user_pre_save, sender=User, dispatch_uid="user_deactivation_pre_save")
    post_save.connect(_on_user_post_save, sender=User, dispatch_uid="user_deactivation_post_save")

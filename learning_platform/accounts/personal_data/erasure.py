"""Erase a person's personal data, on an administrator's request.

The User row stays, so that audit rows (sign-offs, decisions, certificate events, Wagtail log
entries) and certificates keep pointing at something; it is anonymised. What each app does with
its own data is decided, field by field, in that app's ``privacy`` module docstring. Here:

- every app's ``erase_user`` runs first, while the person's name and addresses are still there
  to be matched, the accounts app's last;
- then the User row: full name "Erased user #<id>", email ``erased-<id>@invalid``, no usable
  password, inactive, no job title, organisation, roles, permissions or last login, and
  ``erased_at`` set, which is what refuses a second erasure;
- an audit entry (``accounts.user.erase``, no personal data in it) and, once committed, a line
  in the security log.

All of it is one transaction: any failure leaves the person exactly as they were. Files are
deleted from storage only after the commit, by the apps that hold them.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from wagtail.log_actions import log

from ..models import User
from ..roles import Role
from ..selectors import user_has_role
from .redaction import erased_email, erased_label
from .registry import privacy_modules

security_log = logging.getLogger("learning_platform.security")

ERASE_ACTION = "accounts.user.erase"


class ErasureRefused(Exception):
    """The erasure cannot go ahead; the message says why, for the page."""


def user_may_erase(user: User) -> bool:
    """Programme administrators and superusers; the MFA middleware makes sure they used MFA."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user_has_role(user=user, role=Role.PROGRAMME_ADMIN))
    )


def user_erasure_refusal(*, user: User, by: User) -> str | None:
    """Why ``by`` may not erase ``user``, or None if they may."""
    if user.erased_at is not None:
        return (
            "This user's personal data has already been erased "
            f"(on {date_format(timezone.localtime(user.erased_at))})."
        )
    if user.pk == by.pk:
        return "You cannot erase your own personal data. Ask another administrator."
    if user.is_superuser and not by.is_superuser:
        return "Only a superuser can erase a superuser's personal data."
    return None


@transaction.atomic
def user_erase(*, user: User, by: User) -> User:
    if not user_may_erase(by):
        raise PermissionDenied
    # Lock the row: two administrators confirming at once must not both erase.
    user = User.objects.select_for_update().get(pk=user.pk)
    refusal = user_erasure_refusal(user=user, by=by)
    if refusal:
        raise ErasureRefused(refusal)

    for entry in privacy_modules():
        entry.module.erase_user(user)

    user.full_name = erased_label(user)
    user.email = erased_email(user)
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.job_title = ""
    user.organisation = None
    user.last_login = None
    user.erased_at = timezone.now()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()

    log(instance=user, action=ERASE_ACTION, user=by, data={"user_id": user.pk})
    user_id, by_id = user.pk, by.pk
    transaction.on_commit(
        lambda: security_log.info("personal_data_erased user_id=%s by=%s", user_id, by_id)
    )
    return user

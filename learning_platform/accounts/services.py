import logging
from collections.abc import Iterable

from django.db import transaction

from .models import User, UserSession

security_log = logging.getLogger("learning_platform.security")


@transaction.atomic
def user_profile_save(*, form) -> User | None:
    """Save what the profile form changes: its own fields, under the lock erasure takes.

    Never a whole-row save: a request that loaded the person before an erasure committed would
    write back everything the erasure removed. Saves nothing once they have been erased, and
    returns None then.
    """
    user = User.objects.select_for_update().filter(pk=form.instance.pk).first()
    if user is None or user.erased_at is not None:
        return None
    profile = form.save(commit=False)
    profile.save(update_fields=list(form._meta.fields))
    return profile


@transaction.atomic
def user_sessions_end(*, user: User, reason: str) -> int:
    """Sign the user out everywhere: delete every session that belongs to them."""
    ended, _ = UserSession.objects.filter(user_id=user.pk).delete()
    security_log.info("sessions_ended user_id=%s count=%s reason=%s", user.pk, ended, reason)
    return ended


@transaction.atomic
def users_set_active(*, user_ids: Iterable[int], active: bool, by: User) -> int:
    """Switch several accounts on or off; returns how many are now in that state.

    Each account is saved, never switched with QuerySet.update(): the save is what ends a
    deactivated person's sessions and writes the security log (see signals.py). Nobody switches
    their own account off this way.
    """
    users = list(User.objects.select_for_update().filter(pk__in=list(user_ids)).exclude(pk=by.pk))
    for user in users:
        if user.is_active != active:
            user.is_active = active
            user.save(update_fields=["is_active"])
    return len(users)

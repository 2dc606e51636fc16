import logging

from django.db import transaction

from .models import User, UserSession

security_log = logging.getLogger("learning_platform.security")


@transaction.atomic
def user_sessions_end(*, user: User, reason: str) -> int:
    """Sign the user out everywhere: delete every session that belongs to them."""
    ended, _ = UserSession.objects.filter(user_id=user.pk).delete()
    security_log.info("sessions_ended user_id=%s count=%s reason=%s", user.pk, ended, reason)
    return ended

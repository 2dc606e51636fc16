"""Fetch a notification *for this user*, or raise Http404.

Every notification view goes through this helper: someone else's notification looks exactly like
one that does not exist.
"""

from learning_platform.accounts.models import User
from learning_platform.shortcuts import get_or_404

from .models import Notification


def get_notification_for_user(user: User, pk) -> Notification:
    """One of the user's own notifications."""
    return get_or_404(Notification.objects.filter(recipient=user), pk)

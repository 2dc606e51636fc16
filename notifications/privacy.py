"""What notifications hold about a person, for a data export, and erasing it.

Other people's notification rows never hold this person's name or email address: they keep ids
only and render their text from related objects, so once the person is erased there is nothing of
theirs left to show.
"""

from django.db import transaction

from learning_platform.accounts.models import User

from .models import Notification, NotificationPreference


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def user_data(user: User) -> dict:
    notifications = [
        {
            "id": row["pk"],
            "event": row["event"],
            "link": row["link"],
            "context": row["context"],
            "created_at": _iso(row["created_at"]),
            "read_at": _iso(row["read_at"]),
            "email_status": row["email_status"],
            "emailed_at": _iso(row["emailed_at"]),
        }
        for row in Notification.objects.filter(recipient=user)
        .order_by("created_at", "pk")
        .values(
            "pk", "event", "link", "context", "created_at", "read_at", "email_status", "emailed_at"
        )
    ]
    preferences = dict(
        NotificationPreference.objects.filter(user=user)
        .order_by("event")
        .values_list("event", "email")
    )
    return {"notifications": notifications, "email_preferences": preferences}


@transaction.atomic
def erase_user(user: User) -> None:
    Notification.objects.filter(recipient=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
    # Others' notifications about something this person did forget who did it, even if the
    # account itself is kept (anonymised) rather than deleted.
    Notification.objects.filter(actor=user).update(actor=None)


def user_files(user: User) -> list:
    return []

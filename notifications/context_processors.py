from .selectors import notifications_unread_count


def unread_notifications(request):
    """The signed-in user's unread count for the navigation.

    A callable, so the query runs only when a template shows the count, and at most once per
    request.
    """

    def count() -> int:
        if not hasattr(request, "_unread_notifications"):
            user = getattr(request, "user", None)
            request._unread_notifications = (
                notifications_unread_count(user=user) if user and user.is_authenticated else 0
            )
        return request._unread_notifications

    return {"unread_notifications": count}

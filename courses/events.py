"""What courses notify people about: a cohort invitation, and the reminder to trainees who have
gone quiet.

The notifications app reads NOTIFICATION_EVENTS when it starts. The emails' templates are in
`courses/notifications/`.
"""

from enum import StrEnum

from django.conf import settings

from notifications.registry import EventType

from .models import Invitation

TEMPLATE_DIR = "courses/notifications"


class CourseEvent(StrEnum):
    INVITATION = "invitation"
    TRAINEE_INACTIVITY_REMINDER = "trainee_inactivity_reminder"


def trainee_inactivity_label() -> str:
    days = settings.TRAINEE_INACTIVITY_DAYS
    return f"A reminder when you have not done anything for {days} day{'' if days == 1 else 's'}"


NOTIFICATION_EVENTS = (
    EventType(
        key=CourseEvent.INVITATION,
        label="You are invited to a cohort",
        optional=False,
        why_always_sent="The invitation email holds the link you need to join the cohort.",
        # The invitation's own email carries a one-time link that only that email may hold, so
        # the notification is in-app only.
        emailed_elsewhere=True,
        page="courses:my_learning",
        targets=(Invitation.objects.select_related("cohort"),),
        template_dir=TEMPLATE_DIR,
    ),
    EventType(
        key=CourseEvent.TRAINEE_INACTIVITY_REMINDER,
        label=trainee_inactivity_label,
        optional=True,
        # The reminder is about an enrolment; getting going again starts on the review page.
        page="accreditation:my_review",
        template_dir=TEMPLATE_DIR,
    ),
)

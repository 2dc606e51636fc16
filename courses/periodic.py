"""Periodic jobs run by Celery beat (CELERY_BEAT_SCHEDULE)."""

from learning_platform.background import background_task

from .services.reminders import trainee_inactivity_reminders_send


@background_task()
def send_trainee_inactivity_reminders(self) -> int:
    return trainee_inactivity_reminders_send()

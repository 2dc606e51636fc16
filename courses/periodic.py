"""Periodic jobs run by Celery beat (CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from .services.reminders import trainee_inactivity_reminders_send


@shared_task
def send_trainee_inactivity_reminders() -> int:
    return trainee_inactivity_reminders_send()

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning_platform.settings.dev")

app = Celery("learning_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Periodic jobs live beside the tasks, in each app's periodic.py, and run from CELERY_BEAT_SCHEDULE.
app.autodiscover_tasks(related_name="periodic")
# The sweeper, which runs every app's sweeps module, is the project's own.
app.autodiscover_tasks(["learning_platform"], related_name="sweeps")

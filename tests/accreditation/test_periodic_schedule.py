"""The beat schedule names only tasks the worker knows, at the times the jobs are meant to run."""

from django.conf import settings

from learning_platform.celery import app


def test_it_schedules_only_registered_tasks():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled == {
        "learning_platform.sweeps.sweep_stuck_work",
        "accreditation.periodic.purge_expired_evidence",
        "accreditation.periodic.send_stage_waiting_reminders",
        "accreditation.periodic.send_supervisor_digests",
        "accreditation.periodic.send_certificate_expiry_warnings",
        "courses.periodic.send_trainee_inactivity_reminders",
    }
    assert scheduled <= set(app.tasks)


def test_it_runs_the_sweeper_every_five_minutes_and_the_digest_on_monday_mornings():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["sweep-stuck-work"]["schedule"].minute == set(range(0, 60, 5))
    digest = schedule["supervisor-weekly-digest"]["schedule"]
    assert (digest.day_of_week, digest.hour) == ({1}, {7})
    assert app.conf.timezone == "Europe/London"

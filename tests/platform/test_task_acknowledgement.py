"""Every task of ours acknowledges its message late and rejects it back onto the queue when the
process running it dies, as resolved through the Celery app's configuration (a task's own
options, then CELERY_TASK_ACKS_LATE and CELERY_TASK_REJECT_ON_WORKER_LOST).

A task acknowledged early is lost with the process that runs it: the broker has already
forgotten the message. Under the Procfile's prefork pool a task acknowledged late but not
rejected on a lost worker is lost too: the worker's main process acknowledges it as failed when
its pool child dies. Each task below claims its work in the database before doing it, so running
it again after a lost attempt finishes the work without doing it twice.

Caught here (each tried by hand, then restored): ``acks_late=False`` on ``render_certificate_pdf``
with ``CELERY_TASK_ACKS_LATE=False``; ``CELERY_TASK_REJECT_ON_WORKER_LOST=False``;
``reject_on_worker_lost=False`` on any one task. The behavioural side, a pool child killed mid-
render, is tests/accreditation/test_redelivery_worker.py.
"""

import pytest

from learning_platform.celery import app

# Task name: what makes a second run after a lost attempt finish the work rather than repeat it.
REDELIVERED_TASKS = {
    "accreditation.tasks.render_certificate_pdf": "the certificate's render claim",
    "accreditation.tasks.bulk_issue_item": "the bulk item, by task id",
    "accreditation.tasks.bulk_issue_finish_task": "the bulk issue's ZIP, built once",
    "notifications.tasks.send_notification_email": "the notification row, before sending",
    "content.tasks.send_enquiry_notification": "the enquiry submission, before sending",
    "courses.tasks.send_invitation_email": "the invitation not yet emailed",
    # Periodic jobs, each safe to run twice (the beat schedule's promise): a lost run of a daily
    # job would otherwise wait a day for the next.
    "learning_platform.sweeps.sweep_stuck_work": "periodic, idempotent",
    "accreditation.periodic.purge_expired_evidence": "periodic, idempotent",
    "accreditation.periodic.send_stage_waiting_reminders": "periodic, idempotent",
    "accreditation.periodic.send_supervisor_digests": "periodic, idempotent",
    "accreditation.periodic.send_certificate_expiry_warnings": "periodic, idempotent",
    "courses.periodic.send_trainee_inactivity_reminders": "periodic, idempotent",
}


@pytest.fixture(scope="module")
def tasks():
    # The worker imports every app's tasks.py and periodic.py before it consumes; so does this.
    app.loader.import_default_modules()
    return app.tasks


def test_it_lists_every_task_of_ours(tasks):
    ours = {name for name in tasks if not name.startswith("celery.")}
    assert ours == set(REDELIVERED_TASKS)


@pytest.mark.parametrize("name", sorted(REDELIVERED_TASKS))
def test_it_acknowledges_late_and_requeues_on_a_lost_worker(tasks, name):
    task = tasks[name]
    assert task.acks_late is True
    assert task.reject_on_worker_lost is True

"""The sweeper picks up bulk issuance left behind: items whose message never reached a worker,
items a dead worker held, and jobs whose items all settled but whose ZIP was never built. Tasks
run in-process here; test_bulk_worker.py runs the happy path on a real worker."""

import zipfile
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accreditation.models import BulkIssue, BulkIssueItem
from learning_platform.sweeps import stuck_work_requeue

from .bulk_builders import make_job

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
STARTED_AT = datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)


@pytest.fixture
def job(ada):
    """Three pending items whose messages were lost: nothing was enqueued when it started."""
    with time_machine.travel(STARTED_AT, tick=False):
        return make_job(ada, items=3)


def _sweep(when):
    with time_machine.travel(when, tick=False):
        return stuck_work_requeue()


def _zip_names(bulk: BulkIssue) -> list[str]:
    with bulk.zip_file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        return sorted(archive.namelist())


def test_it_finishes_a_job_whose_messages_never_reached_a_worker(job):
    result = _sweep(STARTED_AT + timedelta(minutes=11))
    job.refresh_from_db()
    assert result.bulk_items == 3
    assert (job.done, job.failed, job.status) == (3, 0, BulkIssue.Status.FINISHED)
    numbers = job.items.values_list("certificate__number", flat=True)
    assert _zip_names(job) == sorted(f"{number}.pdf" for number in numbers)


def test_it_leaves_a_job_younger_than_ten_minutes_to_its_own_messages(job):
    result = _sweep(STARTED_AT + timedelta(minutes=9))
    job.refresh_from_db()
    assert result.bulk_items == 0
    assert job.done == 0
    assert set(job.items.values_list("status", flat=True)) == {BulkIssueItem.Status.PENDING}


def test_it_takes_over_an_item_claimed_by_a_worker_that_died(job):
    item = job.items.order_by("pk").first()
    BulkIssueItem.objects.filter(pk=item.pk).update(
        status=BulkIssueItem.Status.RUNNING,
        task_id="lost-task",
        claimed_at=STARTED_AT + timedelta(minutes=5),
    )
    # A claim six minutes old may still belong to a live worker; twenty minutes is dead.
    assert _sweep(STARTED_AT + timedelta(minutes=11, seconds=30)).bulk_items == 2
    item.refresh_from_db()
    assert item.status == BulkIssueItem.Status.RUNNING
    assert _sweep(STARTED_AT + timedelta(minutes=25)).bulk_items == 1
    item.refresh_from_db()
    job.refresh_from_db()
    assert item.status == BulkIssueItem.Status.DONE
    assert item.certificate.pdf.name
    assert (job.done, job.status) == (3, BulkIssue.Status.FINISHED)


def test_it_builds_the_zip_of_a_settled_job_whose_finaliser_was_lost(job):
    _sweep(STARTED_AT + timedelta(minutes=11))
    job.refresh_from_db()
    BulkIssue.objects.filter(pk=job.pk).update(
        status=BulkIssue.Status.RUNNING, zip_file="", zip_started_at=None, finished_at=None
    )
    result = _sweep(STARTED_AT + timedelta(minutes=30))
    job.refresh_from_db()
    assert (result.bulk_items, result.bulk_issues) == (0, 1)
    assert job.status == BulkIssue.Status.FINISHED
    assert len(_zip_names(job)) == 3
    # Finished jobs are left alone from then on.
    assert _sweep(STARTED_AT + timedelta(minutes=60)).bulk_issues == 0

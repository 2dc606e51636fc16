"""Bulk issuance through a real Celery worker on Redis: 200 approved applications, one task
each, reach done=200 with a ZIP of 200 PDFs, and the status endpoint says the same."""

import json
import time
import zipfile

from django.core.files.storage import storages
from django.db import OperationalError
from django.urls import reverse

import pytest

from accreditation.models import BulkIssue, Certificate
from accreditation.services.bulk import bulk_issue_start_for_cohort

from .bulk_builders import make_approved_applications

pytestmark = pytest.mark.celery

N = 200


def test_it_issues_200_certificates_through_the_worker(celery_worker, client, ada):
    cohort, applications = make_approved_applications(N)
    bulk = bulk_issue_start_for_cohort(cohort=cohort, by=ada, kind="issue")
    assert bulk.total == N

    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            if BulkIssue.objects.filter(pk=bulk.pk, status="finished").exists():
                break
        except OperationalError:
            # SQLite's shared in-memory test database locks a table while the worker writes it.
            pass
        time.sleep(1)
    bulk.refresh_from_db()
    assert (bulk.status, bulk.done, bulk.failed, bulk.total) == ("finished", N, 0, N)
    assert bulk.items.filter(status="done", certificate__isnull=False).count() == N
    numbers = set(Certificate.objects.exclude(pdf="").values_list("number", flat=True))
    assert len(numbers) == N
    with bulk.zip_file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        names = archive.namelist()
        assert sorted(names) == sorted(f"{number}.pdf" for number in numbers)
        assert all(archive.read(name).startswith(b"%PDF-") for name in names[:5])
    assert storages["private"].listdir("bulk-issues")[1] == [bulk.zip_file.name.split("/")[-1]]

    client.force_login(ada)
    status = json.loads(client.get(reverse("bulk_issues:status", args=[bulk.pk])).content)
    assert (status["done"], status["failed"], status["total"], status["finished"]) == (
        N,
        0,
        N,
        True,
    )
    assert status["zip_url"] == reverse("bulk_issues:download", args=[bulk.pk])

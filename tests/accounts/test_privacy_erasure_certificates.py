"""Erasure and the copies of a certificate that print the holder's name: the PDF, the ZIPs of
bulk issue jobs, and the work that would render or issue one again (the sweeper, bulk jobs)."""

import io
import zipfile
from datetime import timedelta

from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone

import pytest
import time_machine

from accreditation.exceptions import TransitionError
from accreditation.models import BulkIssue, Certificate
from accreditation.services import bulk as bulk_services
from accreditation.services.bulk import (
    bulk_issue_start_for_applications,
    bulk_issue_start_for_cohort,
)
from accreditation.services.certificates import certificate_issue
from learning_platform.accounts.personal_data.erasure import user_erase
from learning_platform.sweeps import stuck_work_requeue
from tests.accreditation.bulk_builders import make_approved_applications

from .privacy_scenario import build_world, erase

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tess, pat, sam, ali, django_capture_on_commit_callbacks):
    return build_world(tess, pat, sam, ali, django_capture_on_commit_callbacks)


def _run_job(capture, *, cohort, by, kind) -> BulkIssue:
    with capture(execute=True):
        bulk = bulk_issue_start_for_cohort(cohort=cohort, by=by, kind=kind)
    bulk.refresh_from_db()
    assert bulk.status == BulkIssue.Status.FINISHED, bulk.status
    return bulk


def _zip_names(bulk: BulkIssue) -> list[str]:
    with bulk.zip_file.open("rb") as handle:
        return sorted(zipfile.ZipFile(io.BytesIO(handle.read())).namelist())


@pytest.fixture
def jobs(ada, world, django_capture_on_commit_callbacks):
    """Another trainee in Tess's cohort is issued a certificate by one job; a second job
    re-renders both certificates, so only its ZIP holds Tess's."""
    cohort = world.enrolment.cohort
    make_approved_applications(1, cohort=cohort, prefix="other")
    capture = django_capture_on_commit_callbacks
    others = _run_job(capture, cohort=cohort, by=ada, kind=BulkIssue.Kind.ISSUE)
    both = _run_job(capture, cohort=cohort, by=ada, kind=BulkIssue.Kind.RERENDER)
    tess_number = world.certificate.number
    assert tess_number not in "".join(_zip_names(others))
    assert f"{tess_number}.pdf" in _zip_names(both) and len(_zip_names(both)) == 2
    return others, both


def test_it_withdraws_the_zip_of_a_bulk_job_that_holds_the_certificate(
    client, ada, tess, jobs, django_capture_on_commit_callbacks
):
    others, both = jobs
    storage = storages["private"]
    tess_zip, other_zip = both.zip_file.name, others.zip_file.name

    erase(client, ada, tess, capture=django_capture_on_commit_callbacks)

    both.refresh_from_db()
    others.refresh_from_db()
    assert not storage.exists(tess_zip)
    assert (both.zip_file.name, both.zip_withdrawn_at is not None) == ("", True)
    # A job that never held her certificate keeps its ZIP.
    assert storage.exists(other_zip) and others.zip_file.name == other_zip
    assert others.zip_withdrawn_at is None

    page = client.get(reverse("bulk_issues:detail", args=[both.pk])).content.decode()
    assert "withdrawn" in page and "personal data was erased" in page
    assert "Download ZIP of certificates" not in page
    assert client.get(reverse("bulk_issues:download", args=[both.pk])).status_code == 404
    status = client.get(reverse("bulk_issues:status", args=[both.pk])).json()
    assert status["zip_url"] is None
    assert (
        "Download ZIP of certificates"
        in client.get(reverse("bulk_issues:detail", args=[others.pk])).content.decode()
    )


def test_it_builds_the_zip_again_when_an_erasure_lands_while_it_is_written(
    ada, tess, world, monkeypatch, django_capture_on_commit_callbacks
):
    cohort = world.enrolment.cohort
    make_approved_applications(1, cohort=cohort, prefix="other")
    capture = django_capture_on_commit_callbacks
    others = _run_job(capture, cohort=cohort, by=ada, kind=BulkIssue.Kind.ISSUE)
    other_number = _zip_names(others)[0].removesuffix(".pdf")
    tess_number = world.certificate.number
    real_write, written = bulk_services._write_zip, []

    def write_then_erase(bulk, names):
        saved = real_write(bulk, names)
        written.append([number for number, _pdf in names])
        if len(written) == 1:
            user_erase(user=tess, by=ada)  # between copying the PDFs and attaching the ZIP
        return saved

    monkeypatch.setattr(bulk_services, "_write_zip", write_then_erase)
    both = _run_job(capture, cohort=cohort, by=ada, kind=BulkIssue.Kind.RERENDER)

    assert written == [sorted([tess_number, other_number]), [other_number]]
    assert _zip_names(both) == [f"{other_number}.pdf"]
    assert both.zip_withdrawn_at is None
    # The stale ZIP, which held her certificate, is deleted; only the two attached ZIPs remain.
    assert sorted(storages["private"].listdir("bulk-issues")[1]) == sorted(
        [others.zip_file.name.split("/")[-1], both.zip_file.name.split("/")[-1]]
    )


def test_it_does_not_render_the_pdf_again_when_the_sweeper_runs(
    client, ada, tess, world, django_capture_on_commit_callbacks
):
    certificate = world.certificate
    assert certificate.rendering_started_at is not None
    erase(client, ada, tess, capture=django_capture_on_commit_callbacks)

    with time_machine.travel(timezone.now() + timedelta(minutes=11), tick=False):
        result = stuck_work_requeue()

    certificate.refresh_from_db()
    assert result.certificates == 0
    assert (certificate.pdf.name, certificate.pdf_sha256) == ("", "")
    assert not storages["private"].exists(f"certificates/{certificate.number}.pdf")


def test_it_leaves_the_erased_trainee_out_of_bulk_issue(
    client, ada, tess, world, django_capture_on_commit_callbacks
):
    cohort = world.enrolment.cohort
    application = world.certificate.application
    erase(client, ada, tess, capture=django_capture_on_commit_callbacks)
    client.get(reverse("bulk_issues:index"))  # shows, and so clears, the erasure's message

    page = client.get(reverse("bulk_issues:start", args=[cohort.pk])).content.decode()

    assert f'value="{application.pk}"' not in page
    assert "Erased user" not in page
    with pytest.raises(TransitionError, match="personal data was erased"):
        bulk_issue_start_for_applications(
            cohort=cohort, application_ids=[application.pk], by=ada, kind=BulkIssue.Kind.RERENDER
        )
    with pytest.raises(TransitionError, match="no approved applications"):
        bulk_issue_start_for_cohort(cohort=cohort, by=ada, kind=BulkIssue.Kind.RERENDER)
    assert not BulkIssue.objects.exists()


def test_it_refuses_to_issue_a_certificate_to_an_erased_trainee(ada, world):
    cohort = world.enrolment.cohort
    _, [application] = make_approved_applications(1, cohort=cohort, prefix="gone")
    user_erase(user=application.trainee, by=ada)

    with pytest.raises(TransitionError, match="personal data was erased"):
        certificate_issue(application=application, by=ada)
    with pytest.raises(TransitionError, match="personal data was erased"):
        bulk_issue_start_for_applications(
            cohort=cohort, application_ids=[application.pk], by=ada, kind=BulkIssue.Kind.ISSUE
        )

    assert not Certificate.objects.filter(application=application).exists()

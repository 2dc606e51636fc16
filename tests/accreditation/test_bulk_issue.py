"""Bulk issuance services, run in-process: choosing applications, issuing and re-rendering,
claiming items once, counting failures, retrying them, and building the ZIP exactly once."""

import zipfile

from django.core.files.storage import storages

import pytest

from accreditation.exceptions import TransitionError
from accreditation.models import (
    AccreditationApplication,
    BulkIssue,
    BulkIssueItem,
    Certificate,
)
from accreditation.services.bulk import (
    bulk_issue_finish,
    bulk_issue_retry_failed,
    bulk_issue_start_for_applications,
    bulk_issue_start_for_cohort,
    bulk_item_claim,
    bulk_item_process,
)
from accreditation.services.certificates import certificate_issue
from tests.courses.factories import CohortFactory

from .bulk_builders import make_approved_applications

pytestmark = pytest.mark.django_db

ISSUE, RERENDER = BulkIssue.Kind.ISSUE, BulkIssue.Kind.RERENDER


def _start(capture, *, cohort, applications, by, kind) -> BulkIssue:
    with capture(execute=True):
        bulk = _start_job(cohort=cohort, applications=applications, by=by, kind=kind)
    bulk.refresh_from_db()
    return bulk


def _start_job(*, cohort, applications, by, kind) -> BulkIssue:
    """The whole cohort when ``applications`` is None, otherwise those applications."""
    if applications is None:
        return bulk_issue_start_for_cohort(cohort=cohort, by=by, kind=kind)
    return bulk_issue_start_for_applications(
        cohort=cohort, application_ids=[a.pk for a in applications], by=by, kind=kind
    )


def _zip_names(bulk: BulkIssue) -> list[str]:
    with bulk.zip_file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        return sorted(archive.namelist())


def _stored(folder: str) -> list[str]:
    return sorted(storages["private"].listdir(folder)[1])


def test_it_issues_certificates_for_the_selected_applications(
    ada, django_capture_on_commit_callbacks
):
    cohort, applications = make_approved_applications(3)
    bulk = _start(
        django_capture_on_commit_callbacks,
        cohort=cohort,
        applications=applications[:2],
        by=ada,
        kind=ISSUE,
    )
    assert (bulk.status, bulk.total, bulk.done, bulk.failed) == ("finished", 2, 2, 0)
    assert bulk.finished_at is not None
    certificates = list(Certificate.objects.order_by("number"))
    assert [c.application_id for c in certificates] == [a.pk for a in applications[:2]]
    assert all(c.pdf and len(c.pdf_sha256) == 64 for c in certificates)
    assert set(bulk.items.values_list("status", flat=True)) == {"done"}
    assert _zip_names(bulk) == [f"{c.number}.pdf" for c in certificates]
    with bulk.zip_file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        assert archive.read(f"{certificates[0].number}.pdf").startswith(b"%PDF")
    assert not Certificate.objects.filter(application=applications[2]).exists()


def test_it_issues_the_whole_cohort_skipping_those_already_issued(
    ada, django_capture_on_commit_callbacks
):
    cohort, applications = make_approved_applications(3)
    with django_capture_on_commit_callbacks(execute=True):
        already = certificate_issue(application=applications[0], by=ada)
    bulk = _start(
        django_capture_on_commit_callbacks, cohort=cohort, applications=None, by=ada, kind=ISSUE
    )
    assert (bulk.total, bulk.done, bulk.failed) == (2, 2, 0)
    issued = set(bulk.items.values_list("application_id", flat=True))
    assert issued == {applications[1].pk, applications[2].pk}
    assert Certificate.objects.count() == 3
    assert f"{already.number}.pdf" not in _zip_names(bulk)


def test_it_renders_fresh_pdfs_of_existing_certificates(ada, django_capture_on_commit_callbacks):
    cohort, applications = make_approved_applications(2)
    with django_capture_on_commit_callbacks(execute=True):
        for application in applications:
            certificate_issue(application=application, by=ada)
    before = dict(Certificate.objects.values_list("pk", "pdf"))
    bulk = _start(
        django_capture_on_commit_callbacks, cohort=cohort, applications=None, by=ada, kind=RERENDER
    )
    assert (bulk.status, bulk.done, bulk.failed) == ("finished", 2, 0)
    after = dict(Certificate.objects.values_list("pk", "pdf"))
    assert after.keys() == before.keys()
    assert all(after[pk] and after[pk] != before[pk] for pk in before)
    # The old files are gone; only the fresh ones are kept.
    assert _stored("certificates") == sorted(name.split("/")[-1] for name in after.values())
    assert Certificate.objects.count() == 2


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("nothing selected", "Select at least one application, or choose the whole cohort."),
        ("not approved", "Only approved applications can have certificates; not approved:"),
        ("other cohort", "Some selected applications are not in"),
        ("already issued", "Already issued: Trainee holder"),
        ("no certificate to re-render", "No certificate to re-render yet:"),
        ("cohort with none", "has no approved applications, so there is nothing to do."),
        ("cohort all issued", "already has a certificate. Choose “Re-render certificate PDFs”"),
        ("no certificates in cohort", "has a certificate yet. Choose “Issue certificates” first."),
        ("unknown kind", "Choose whether to issue certificates or re-render their PDFs."),
    ],
)
def test_it_refuses_a_bad_selection_with_a_clear_message(ada, case, message):
    cohort, applications = make_approved_applications(2)
    chosen, kind = [applications[0]], ISSUE
    if case == "nothing selected":
        chosen = []
    elif case == "not approved":
        _, drafts = make_approved_applications(1, cohort=cohort, prefix="d", status="submitted")
        chosen = drafts
    elif case == "other cohort":
        _, chosen = make_approved_applications(1, prefix="elsewhere")
    elif case == "already issued":
        certificate_issue(application=applications[0], by=ada)
    elif case == "no certificate to re-render":
        kind = RERENDER
    elif case == "cohort with none":
        cohort, chosen = CohortFactory(), None
    elif case == "cohort all issued":
        for application in applications:
            certificate_issue(application=application, by=ada)
        chosen = None
    elif case == "no certificates in cohort":
        chosen, kind = None, RERENDER
    elif case == "unknown kind":
        kind = "shred"
    with pytest.raises(TransitionError) as error:
        _start_job(cohort=cohort, applications=chosen, by=ada, kind=kind)
    assert message in str(error.value)
    assert not BulkIssue.objects.exists()
    assert not BulkIssueItem.objects.exists()


def test_it_lets_only_programme_staff_start_a_job(sam, ali, tess):
    cohort, applications = make_approved_applications(1)
    for person in (sam, ali, tess):
        with pytest.raises(TransitionError, match="Only programme staff"):
            _start_job(cohort=cohort, applications=applications, by=person, kind=ISSUE)
    assert not BulkIssue.objects.exists()


def test_it_claims_an_item_once_but_lets_its_own_redelivered_message_take_it_back(
    ada, django_capture_on_commit_callbacks
):
    cohort, applications = make_approved_applications(2)
    with django_capture_on_commit_callbacks(execute=False):
        bulk = bulk_issue_start_for_cohort(cohort=cohort, by=ada, kind=ISSUE)
    first, second = bulk.items.order_by("pk")
    assert bulk_item_claim(item_id=first.pk, task_id="message-1") is True
    assert bulk_item_claim(item_id=first.pk, task_id="duplicate") is False
    assert bulk_item_claim(item_id=first.pk, task_id="message-1") is True

    assert bulk_item_process(item_id=second.pk, task_id="message-2").status == "done"
    assert bulk_item_process(item_id=second.pk, task_id="message-2b").status == "skipped"
    assert bulk_item_process(item_id=second.pk, task_id="message-2").status == "skipped"
    bulk.refresh_from_db()
    assert (bulk.done, bulk.failed, bulk.status) == (1, 0, "running")
    assert Certificate.objects.filter(application=applications[1]).count() == 1


def test_it_counts_a_failed_item_and_retries_only_the_failed(
    ada, django_capture_on_commit_callbacks
):
    cohort, applications = make_approved_applications(3)
    with django_capture_on_commit_callbacks(execute=False) as enqueue:
        bulk = bulk_issue_start_for_cohort(cohort=cohort, by=ada, kind=ISSUE)
    # The application is declined after all between the job's start and its turn in the queue.
    AccreditationApplication.objects.filter(pk=applications[1].pk).update(status="declined")
    with django_capture_on_commit_callbacks(execute=True):
        for callback in enqueue:
            callback()
    bulk.refresh_from_db()
    assert (bulk.status, bulk.done, bulk.failed, bulk.total) == ("finished", 2, 1, 3)
    failed = bulk.items.get(status="failed")
    assert failed.application_id == applications[1].pk
    assert failed.error == "A certificate is issued only for an approved application."
    assert len(_zip_names(bulk)) == 2
    done_certificates = set(bulk.items.filter(status="done").values_list("certificate", flat=True))

    AccreditationApplication.objects.filter(pk=applications[1].pk).update(status="approved")
    with django_capture_on_commit_callbacks(execute=True):
        assert bulk_issue_retry_failed(bulk=bulk, by=ada) == 1
    bulk.refresh_from_db()
    assert (bulk.status, bulk.done, bulk.failed) == ("finished", 3, 0)
    assert len(_zip_names(bulk)) == 3
    assert len(_stored("bulk-issues")) == 1
    # The items that were done kept their certificates; nothing was issued twice.
    assert Certificate.objects.count() == 3
    assert done_certificates <= set(Certificate.objects.values_list("pk", flat=True))

    with pytest.raises(TransitionError, match="Nothing to retry"):
        bulk_issue_retry_failed(bulk=bulk, by=ada)


def test_it_refuses_to_retry_a_running_job(ada, django_capture_on_commit_callbacks):
    cohort, applications = make_approved_applications(1)
    with django_capture_on_commit_callbacks(execute=False):
        bulk = bulk_issue_start_for_cohort(cohort=cohort, by=ada, kind=ISSUE)
    with pytest.raises(TransitionError, match="Wait until this job has finished"):
        bulk_issue_retry_failed(bulk=bulk, by=ada)


def test_it_builds_the_zip_exactly_once(ada, django_capture_on_commit_callbacks):
    cohort, applications = make_approved_applications(2)
    with django_capture_on_commit_callbacks(execute=False):
        bulk = bulk_issue_start_for_cohort(cohort=cohort, by=ada, kind=ISSUE)
    first, second = bulk.items.order_by("pk")
    bulk_item_process(item_id=first.pk, task_id="a")
    # Not every item has settled: nobody may build the ZIP yet.
    assert bulk_issue_finish(bulk_id=bulk.pk) is False
    bulk_item_process(item_id=second.pk, task_id="b")
    assert bulk_issue_finish(bulk_id=bulk.pk) is True
    assert bulk_issue_finish(bulk_id=bulk.pk) is False
    bulk.refresh_from_db()
    assert bulk.status == "finished"
    assert _stored("bulk-issues") == [bulk.zip_file.name.split("/")[-1]]
    assert len(_zip_names(bulk)) == 2

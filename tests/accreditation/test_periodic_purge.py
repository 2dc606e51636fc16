"""The evidence retention purge, with a frozen clock: files of reviews decided more than
EVIDENCE_RETENTION_DAYS ago are deleted after commit; rows, sign-offs, audit trail and certificate
stay; pages and the download say why the file is gone."""

import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.urls import reverse

from wagtail.models import ModelLogEntry

import pytest
import time_machine

from accreditation.models import Certificate, Evidence, SignOff, SupervisedReview
from accreditation.periodic import purge_expired_evidence
from accreditation.services.evidence import evidence_add_file
from accreditation.services.maintenance import evidence_purge_expired
from accreditation.services.stages import stage_approve, stage_submit

from .award_builders import approve, make_ready, submit
from .factories import PDF_BYTES, PNG_BYTES, stage, upload

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
DECIDED_AT = datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)


def _evidence_file(review, user, title="Scope document", data=PDF_BYTES, number=1):
    return evidence_add_file(
        stage=stage(review, number), user=user, title=title, upload=upload("scope.pdf", data)
    )


def _stored(evidence: Evidence) -> Path:
    return Path(evidence.file.storage.path(evidence.file.name))


def _stored_path_exists(evidence: Evidence) -> bool:
    return bool(evidence.file.name) and evidence.file.storage.exists(evidence.file.name)


def _purge_entries(review: SupervisedReview):
    return ModelLogEntry.objects.filter(
        action="accreditation.evidence.purge", object_id=str(review.pk)
    )


@pytest.fixture
def tess_decided(review, tess, sam, ali):
    """Tess's review (Pat is her trainee partner) with a signed-off file of evidence; Tess's
    application approved at DECIDED_AT, Pat's not made yet."""
    with time_machine.travel(DECIDED_AT, tick=False):
        evidence = _evidence_file(review, tess)
        stage_submit(stage=stage(review, 1), user=tess)
        stage_approve(stage=stage(review, 1), user=sam, comment="Clear scope.")
        make_ready(tess, review)
        certificate = approve(submit(tess), ali)
    return evidence, certificate


@pytest.fixture
def decided(tess_decided, review, pat, ali):
    """Both trainees of the review approved at DECIDED_AT."""
    with time_machine.travel(DECIDED_AT, tick=False):
        make_ready(pat, review)
        approve(submit(pat), ali)
    return tess_decided


def _run(django_capture_on_commit_callbacks, when):
    with (
        time_machine.travel(when, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        return evidence_purge_expired()


def test_it_keeps_the_files_until_the_retention_period_has_passed(
    decided, review, django_capture_on_commit_callbacks
):
    evidence, _ = decided
    assert _run(django_capture_on_commit_callbacks, DECIDED_AT + timedelta(days=364)) == 0
    evidence.refresh_from_db()
    assert evidence.purged_at is None
    assert _stored(evidence).read_bytes() == PDF_BYTES
    assert not _purge_entries(review).exists()


def test_it_deletes_the_file_and_keeps_the_record_signoffs_audit_and_certificate(
    decided, review, django_capture_on_commit_callbacks
):
    evidence, certificate = decided
    path = _stored(evidence)
    sign_offs = list(SignOff.objects.filter(stage__review=review).values_list("pk", "decision"))
    certificate_before = Certificate.objects.filter(pk=certificate.pk).values().get()
    assert path.exists()

    when = DECIDED_AT + timedelta(days=366)
    assert _run(django_capture_on_commit_callbacks, when) == 1

    evidence.refresh_from_db()
    assert not path.exists()
    assert evidence.purged_at == when
    assert evidence.file.name == ""
    assert (evidence.title, evidence.original_filename, evidence.size) == (
        "Scope document",
        "scope.pdf",
        len(PDF_BYTES),
    )
    assert list(SignOff.objects.filter(stage__review=review).values_list("pk", "decision")) == (
        sign_offs
    )
    assert Certificate.objects.filter(pk=certificate.pk).values().get() == certificate_before
    (entry,) = _purge_entries(review)
    assert entry.data["count"] == 1
    assert entry.data["evidence_ids"] == [evidence.pk]
    assert entry.data["retention_days"] == 365
    # The audit entry names no file and holds nothing of its contents.
    logged = json.dumps(entry.data)
    assert "scope.pdf" not in logged and "evidence/" not in logged and "%PDF" not in logged
    # The earlier entries of the trail are all still there.
    assert ModelLogEntry.objects.filter(action="accreditation.evidence.add").exists()


def test_it_purges_once_however_often_it_runs(decided, review, django_capture_on_commit_callbacks):
    when = DECIDED_AT + timedelta(days=366)
    assert _run(django_capture_on_commit_callbacks, when) == 1
    assert _run(django_capture_on_commit_callbacks, when + timedelta(days=1)) == 0
    assert _purge_entries(review).count() == 1


def test_it_leaves_the_evidence_of_an_undecided_review_alone(
    decided, other_review, uma, django_capture_on_commit_callbacks
):
    with time_machine.travel(DECIDED_AT, tick=False):
        undecided = _evidence_file(other_review, uma, title="Uma's scope", data=PNG_BYTES)
    assert _run(django_capture_on_commit_callbacks, DECIDED_AT + timedelta(days=800)) == 1
    undecided.refresh_from_db()
    assert undecided.purged_at is None
    assert _stored(undecided).read_bytes() == PNG_BYTES
    assert not _purge_entries(other_review).exists()


def test_it_waits_while_the_partners_application_is_still_open(
    tess_decided, review, pat, django_capture_on_commit_callbacks
):
    from accreditation.services.applications import application_save_draft

    evidence, _ = tess_decided
    with time_machine.travel(DECIDED_AT + timedelta(days=10), tick=False):
        application_save_draft(trainee=pat, reflective_statement="Draft")
    assert _run(django_capture_on_commit_callbacks, DECIDED_AT + timedelta(days=400)) == 0
    evidence.refresh_from_db()
    assert evidence.purged_at is None
    assert _stored(evidence).exists()


def test_it_waits_for_a_trainee_partner_who_has_not_applied_yet(
    tess_decided, review, pat, ali, django_capture_on_commit_callbacks
):
    evidence, _ = tess_decided
    assert _run(django_capture_on_commit_callbacks, DECIDED_AT + timedelta(days=400)) == 0
    evidence.refresh_from_db()
    assert evidence.purged_at is None

    # Pat applies and is decided 500 days on; the retention period runs from that decision.
    with time_machine.travel(DECIDED_AT + timedelta(days=500), tick=False):
        make_ready(pat, review)
        approve(submit(pat), ali)
    assert _run(django_capture_on_commit_callbacks, DECIDED_AT + timedelta(days=800)) == 0
    assert _run(django_capture_on_commit_callbacks, DECIDED_AT + timedelta(days=866)) == 1
    evidence.refresh_from_db()
    assert evidence.purged_at is not None
    assert not _stored_path_exists(evidence)


def test_it_follows_the_configured_retention_period(
    decided, settings, django_capture_on_commit_callbacks
):
    settings.EVIDENCE_RETENTION_DAYS = 30
    assert _run(django_capture_on_commit_callbacks, DECIDED_AT + timedelta(days=29)) == 0
    assert _run(django_capture_on_commit_callbacks, DECIDED_AT + timedelta(days=31)) == 1


def test_it_leaves_the_row_unpurged_when_storage_fails_and_retries_next_run(
    decided, review, django_capture_on_commit_callbacks
):
    evidence, _ = decided
    path = _stored(evidence)
    # A real failure of the file storage: the stored name is now a directory with something in
    # it, which the storage cannot delete.
    path.unlink()
    path.mkdir()
    (path / "busy").write_bytes(b"x")

    when = DECIDED_AT + timedelta(days=366)
    _run(django_capture_on_commit_callbacks, when)
    evidence.refresh_from_db()
    assert evidence.purged_at is None
    assert evidence.file.name != ""
    failed = ModelLogEntry.objects.get(
        action="accreditation.evidence.purge_failed", object_id=str(review.pk)
    )
    assert failed.data["evidence_ids"] == [evidence.pk]

    (path / "busy").unlink()
    assert _run(django_capture_on_commit_callbacks, when + timedelta(days=1)) == 1
    evidence.refresh_from_db()
    assert evidence.purged_at == when + timedelta(days=1)
    assert not path.exists()


def test_it_finishes_a_purge_whose_deletion_never_ran(decided, django_capture_on_commit_callbacks):
    evidence, _ = decided
    path = _stored(evidence)
    when = DECIDED_AT + timedelta(days=366)
    # The process stopped after the commit, before deleting: no on-commit callback ran.
    with time_machine.travel(when, tick=False):
        assert evidence_purge_expired() == 1
    evidence.refresh_from_db()
    assert evidence.purged_at == when and path.exists()

    _run(django_capture_on_commit_callbacks, when + timedelta(hours=2))
    evidence.refresh_from_db()
    assert not path.exists()
    assert evidence.file.name == ""
    assert evidence.purged_at == when


def test_it_returns_the_count_from_the_periodic_task(decided, django_capture_on_commit_callbacks):
    with (
        time_machine.travel(DECIDED_AT + timedelta(days=366), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert purge_expired_evidence.delay().get() == 1


# Pages ------------------------------------------------------------------------------------


@pytest.fixture
def purged(decided, django_capture_on_commit_callbacks):
    evidence, _ = decided
    _run(django_capture_on_commit_callbacks, DECIDED_AT + timedelta(days=366))
    evidence.refresh_from_db()
    return evidence


NOTICE = "File deleted under the retention policy on 3 March 2027"
# The page itself, the signed-in user and the shared layout (menu, unread count, site).
QUERY_BUDGET = 10


def test_it_shows_the_purged_file_on_the_stage_page_without_a_link(client, purged, tess, sam):
    download = reverse("accreditation:evidence_download", args=[purged.pk])
    for person in (tess, sam):
        client.force_login(person)
        response = client.get(reverse("accreditation:stage_detail", args=[purged.stage_id]))
        content = response.content.decode()
        assert response.status_code == 200
        assert NOTICE in content
        assert "Scope document" in content
        assert download not in content


def test_it_refuses_the_download_of_a_purged_file_with_the_reason(client, purged, tess):
    client.force_login(tess)
    response = client.get(reverse("accreditation:evidence_download", args=[purged.pk]))
    assert response.status_code == 410
    content = response.content.decode()
    assert NOTICE in content
    assert "kept for 365 days after the accreditation decision" in content
    assert "Content-Disposition" not in response


def test_it_still_hides_a_purged_file_from_people_outside_the_review(client, purged, uma):
    client.force_login(uma)
    response = client.get(reverse("accreditation:evidence_download", args=[purged.pk]))
    assert response.status_code == 404


def test_it_shows_the_purged_file_in_the_assessors_portfolio(client, purged, ali, tess):
    application = tess.applications.get()
    client.force_login(ali)
    response = client.get(reverse("accreditation:assessment_portfolio", args=[application.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert NOTICE in content
    assert reverse("accreditation:evidence_download", args=[purged.pk]) not in content


def test_it_refuses_a_purged_download_in_a_fixed_number_of_queries(
    client, purged, tess, django_assert_num_queries
):
    client.force_login(tess)
    url = reverse("accreditation:evidence_download", args=[purged.pk])
    client.get(url)
    with django_assert_num_queries(QUERY_BUDGET):
        assert client.get(url).status_code == 410

    Evidence.objects.bulk_create(
        Evidence(stage=purged.stage, kind="note", title=f"Other {n}", note="x", uploaded_by=tess)
        for n in range(40)
    )
    with django_assert_num_queries(QUERY_BUDGET):
        assert client.get(url).status_code == 410

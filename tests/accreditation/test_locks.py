"""Every row lock that guards an accreditation invariant, under real concurrency on PostgreSQL.

``overlap`` (tests/concurrency.py) holds the first call's transaction open until the other calls
are waiting for a lock or done, so each test meets the race it names on every run. Each docstring
says which ``select_for_update`` the test guards and what it saw when that lock was removed.
"""

from datetime import date

from django.utils import timezone

from wagtail.models import ModelLogEntry

import pytest

from accreditation.exceptions import TransitionError
from accreditation.models import (
    AccreditationApplication,
    BulkIssue,
    BulkIssueItem,
    Certificate,
    CertificateEvent,
    CertificateNumberSequence,
    Decision,
    Evidence,
    ReviewStage,
    SignOff,
    SupervisionAttendance,
    SupervisionSession,
)
from accreditation.services import applications as services
from accreditation.services.bulk import bulk_issue_retry_failed
from accreditation.services.certificates import (
    certificate_issue,
    certificate_revoke,
    certificate_set_listing,
    certificate_suspend,
)
from accreditation.services.evidence import (
    evidence_add_note,
    evidence_remove,
    evidence_update_note,
)
from accreditation.services.stages import (
    stage_approve,
    stage_request_changes,
    stage_submit,
)
from accreditation.services.supervision import (
    supervision_attendance_confirm,
    supervision_session_record,
)
from tests.concurrency import errors, overlap

from .award_builders import all_met, first_not_met, make_assessor, make_ready, submit
from .bulk_builders import make_approved_applications, make_job
from .factories import fill_stage, stage

pytestmark = pytest.mark.postgres


# Certificate numbers ---------------------------------------------------------------------------


def test_it_numbers_certificates_issued_at_once_without_gaps_or_repeats(locked, ada):
    """Guards ``CertificateNumberSequence.objects.select_for_update()`` in
    ``certificate_next_number``. Removed, the three later issues read ``last_number`` before the
    first committed, and all take the same next number: their certificates hit the unique number
    and fail.

    The calls are ``certificate_issue`` itself, as the bulk issue's workers make them side by
    side. Approvals through ``application_approve`` are serialised as well by its ``_lock``,
    whose join locks the scheme's row too, so they would not show this lock missing."""
    cohort, applications = make_approved_applications(4)
    # This year's numbering has begun, so every issue reads the one row it then updates.
    year = timezone.localdate().year
    CertificateNumberSequence.objects.create(year=year, last_number=7)

    results = overlap(
        *[(lambda a=a: certificate_issue(application=a, by=ada)) for a in applications]
    )

    assert not errors(results), results
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    assert numbers == [f"LT-{year}-{n:05d}" for n in range(8, 12)]
    assert CertificateNumberSequence.objects.get(year=year).last_number == 11


# Assessment decisions --------------------------------------------------------------------------


def test_it_records_exactly_one_decision_when_two_assessors_decide_at_once(
    locked, tess, review, ali
):
    """Guards ``AccreditationApplication.objects.select_for_update()`` in the applications
    service's ``_lock``. Removed, the second assessor reads the application as still submitted
    and decides it too: two decisions, and the application's status is the later one's."""
    make_ready(tess, review)
    application = submit(tess)
    other = make_assessor("Abe Assessor", "abe@example.org")

    results = overlap(
        lambda: services.application_approve(
            application=application, answers=all_met(application), assessor=ali, reasons="Approve."
        ),
        lambda: services.application_decline(
            application=application,
            answers=first_not_met(application),
            assessor=other,
            reasons="Decline.",
        ),
    )

    assert not isinstance(results[0], Exception), results
    [error] = errors(results)
    assert isinstance(error, TransitionError)
    assert "Only a submitted application can be decided" in str(error)
    decision = Decision.objects.get(application=application)
    assert decision.outcome == Decision.Outcome.APPROVED
    application.refresh_from_db()
    assert application.status == AccreditationApplication.Status.APPROVED
    assert Certificate.objects.count() == 1


# Review stages ---------------------------------------------------------------------------------


def _sign_offs(s, decision):
    return SignOff.objects.filter(stage=s, decision=decision).count()


def test_it_submits_a_stage_once_when_the_pair_submit_it_together(locked, review, tess, pat):
    """Guards ``ReviewStage.objects.select_for_update()`` in the stages service's ``_lock``.
    Removed, the partner reads the stage as still in progress and submits it again: two
    "submitted" sign-offs and two notices to the supervisor for one submission."""
    s = fill_stage(review, tess, 1)

    results = overlap(
        lambda: stage_submit(stage=s, user=tess),
        lambda: stage_submit(stage=s, user=pat),
    )

    assert not isinstance(results[0], Exception), results
    [error] = errors(results)
    assert "already been submitted" in str(error)
    assert ReviewStage.objects.get(pk=s.pk).status == ReviewStage.Status.SUBMITTED
    assert _sign_offs(s, SignOff.Decision.SUBMITTED) == 1


def test_it_keeps_one_decision_when_a_supervisor_approves_and_sends_back_at_once(
    locked, review, tess, sam
):
    """Guards the stages service's ``_lock`` (``select_for_update``). Removed, the second tab
    reads the stage as still submitted and sends it back after it was approved: an approval
    and a change request on one submission, and the stage ends up sent back though its
    approval stands in the sign-offs."""
    s = fill_stage(review, tess, 1)
    stage_submit(stage=s, user=tess)

    results = overlap(
        lambda: stage_approve(stage=s, user=sam, comment="Clear."),
        lambda: stage_request_changes(stage=s, user=sam, comment="Add the scope."),
    )

    assert not isinstance(results[0], Exception), results
    [error] = errors(results)
    assert "Only a submitted stage can be sent back" in str(error)
    assert ReviewStage.objects.get(pk=s.pk).status == ReviewStage.Status.APPROVED
    assert _sign_offs(s, SignOff.Decision.APPROVED) == 1
    assert _sign_offs(s, SignOff.Decision.CHANGES_REQUESTED) == 0


# Evidence --------------------------------------------------------------------------------------


def test_it_does_not_submit_a_stage_whose_only_evidence_is_being_removed(locked, review, tess, pat):
    """Guards the stages service's ``_lock`` (``select_for_update``), which
    ``evidence_remove`` takes through ``lock_editable_stage``. Removed, the submit counts the
    note that the partner is removing at that moment, and the stage goes to the supervisor with
    no evidence at all."""
    s = stage(review, 1)
    note = evidence_add_note(stage=s, user=tess, title="Scope", note="Agreed.")

    results = overlap(
        lambda: evidence_remove(evidence=note, user=pat),
        lambda: stage_submit(stage=s, user=tess),
    )

    assert results[0] is None, results
    [error] = errors(results)
    assert isinstance(error, TransitionError)
    assert ReviewStage.objects.get(pk=s.pk).status == ReviewStage.Status.IN_PROGRESS
    assert _sign_offs(s, SignOff.Decision.SUBMITTED) == 0
    assert not Evidence.objects.filter(stage=s).exists()


def _evidence_entries(verb):
    return ModelLogEntry.objects.filter(action=f"accreditation.evidence.{verb}").count()


def test_it_removes_evidence_once_when_it_is_removed_twice_at_once(locked, review, tess, pat):
    """Guards the ``Evidence.objects.select_for_update()`` in ``evidence_remove`` together with
    the stage's ``_lock``: each alone keeps the second removal waiting and then finding the row
    gone. With both removed, the second removal reads the note before the first committed,
    logs a second removal of it, and reports success for evidence that was already gone."""
    s = stage(review, 1)
    note = evidence_add_note(stage=s, user=tess, title="Scope", note="Agreed.")

    results = overlap(
        lambda: evidence_remove(evidence=note, user=tess),
        lambda: evidence_remove(evidence=note, user=pat),
    )

    assert results[0] is None, results
    [error] = errors(results)
    assert "already been removed" in str(error)
    assert not Evidence.objects.filter(pk=note.pk).exists()
    assert _evidence_entries("remove") == 1


def test_it_does_not_change_a_note_that_is_being_removed(locked, review, tess, pat):
    """Guards the ``Evidence.objects.select_for_update()`` in ``evidence_update_note`` together
    with the stage's ``_lock``, as for two removals. With both removed, the change reads the note
    before the removal committed, saves an update to no row and logs an edit of evidence that is
    gone."""
    s = stage(review, 1)
    note = evidence_add_note(stage=s, user=tess, title="Scope", note="Agreed.")

    results = overlap(
        lambda: evidence_remove(evidence=note, user=tess),
        lambda: evidence_update_note(evidence=note, user=pat, title="Scope", note="Changed."),
    )

    assert results[0] is None, results
    [error] = errors(results)
    assert "already been removed" in str(error)
    assert not Evidence.objects.filter(pk=note.pk).exists()
    assert _evidence_entries("edit") == 0


# Bulk issue ------------------------------------------------------------------------------------


def test_it_retries_a_bulk_job_once_when_retry_is_pressed_twice(locked, ada):
    """Guards ``BulkIssue.objects.select_for_update()`` in ``bulk_issue_retry_failed``.
    Removed, the second press reads the job as finished with its failures still failed, puts
    them back in the queue a second time and subtracts them from the failure count again, below
    zero: the database's check refuses it, and the second press ends in a server error."""
    bulk = make_job(ada, items=2, failed=1)
    BulkIssue.objects.filter(pk=bulk.pk).update(status=BulkIssue.Status.FINISHED, done=1)
    BulkIssueItem.objects.filter(bulk=bulk, status="pending").update(status="done")
    failed_item = bulk.items.get(status="failed")
    # Still not issuable, so the retried item fails again at once rather than rendering a PDF.
    AccreditationApplication.objects.filter(pk=failed_item.application_id).update(status="declined")

    results = overlap(
        lambda: bulk_issue_retry_failed(bulk=bulk, by=ada),
        lambda: bulk_issue_retry_failed(bulk=bulk, by=ada),
    )

    assert results[0] == 1, results
    retried = [r for r in results if r == 1]
    assert (
        len(retried)
        == ModelLogEntry.objects.filter(action="accreditation.bulk_issue.retry").count()
    )
    # Waiting for the lock, the second press finds the job running again; only once the retried
    # item has failed again could it retry it, and that is a retry of its own.
    for error in errors(results):
        assert "Wait until this job has finished" in str(error)
    bulk.refresh_from_db()
    items = bulk.items.all()
    assert bulk.status == BulkIssue.Status.FINISHED
    assert (bulk.done, bulk.failed) == (
        items.filter(status="done").count(),
        items.filter(status="failed").count(),
    )
    assert Certificate.objects.count() == 0


# Certificate status ----------------------------------------------------------------------------


@pytest.fixture
def certificate(locked, ada):
    _cohort, [application] = make_approved_applications(1)
    return certificate_issue(application=application, by=ada)


def test_it_keeps_a_certificate_revoked_when_it_is_suspended_at_the_same_time(
    locked, certificate, ali
):
    """Guards ``Certificate.objects.select_for_update(of=("self",))`` in ``_change_status``.
    Removed, the suspension reads the certificate as still issued and suspends it after the
    revocation committed: a revoked certificate (final) comes back as suspended, and could then
    be reinstated."""
    other = make_assessor("Abe Assessor", "abe@example.org")

    results = overlap(
        lambda: certificate_revoke(certificate=certificate, by=ali, reason="Misconduct."),
        lambda: certificate_suspend(certificate=certificate, by=other, reason="Inquiry."),
    )

    assert isinstance(results[0], Certificate), results
    [error] = errors(results)
    assert "A revoked certificate cannot be suspended" in str(error)
    assert Certificate.objects.get(pk=certificate.pk).status == Certificate.Status.REVOKED
    assert CertificateEvent.objects.filter(certificate=certificate).count() == 2


def test_it_does_not_list_a_certificate_on_the_register_as_it_is_revoked(locked, certificate, ali):
    """Guards ``Certificate.objects.select_for_update()`` in ``certificate_set_listing``.
    Removed, the holder's choice reads the certificate as still valid and lists it after the
    revocation committed: a revoked certificate is marked for the public register."""
    holder = certificate.holder

    results = overlap(
        lambda: certificate_revoke(certificate=certificate, by=ali, reason="Misconduct."),
        lambda: certificate_set_listing(certificate=certificate, holder=holder, listed=True),
    )

    assert isinstance(results[0], Certificate), results
    [error] = errors(results)
    assert "Only a valid certificate can be listed" in str(error)
    certificate.refresh_from_db()
    assert (certificate.status, certificate.listed_on_register) == ("revoked", False)


# Supervision -----------------------------------------------------------------------------------


def _record(sam, people):
    return supervision_session_record(
        supervisor=sam,
        kind="group",
        date=date(2026, 2, 1),
        duration_minutes=60,
        attendees=people,
    )


def test_it_records_a_supervision_session_once_on_a_double_click(locked, review, tess, sam):
    """Guards ``User.objects.select_for_update()`` on the supervisor in
    ``supervision_session_record``. Removed, the second click looks for the session before the
    first committed, does not find it, and records the same session twice."""
    results = overlap(lambda: _record(sam, [tess]), lambda: _record(sam, [tess]))

    assert isinstance(results[0], SupervisionSession), results
    [error] = errors(results)
    assert "already recorded this group supervision session" in str(error)
    assert SupervisionSession.objects.filter(supervisor=sam).count() == 1


def test_it_confirms_attendance_once_on_a_double_click(locked, review, tess, sam):
    """Guards ``SupervisionAttendance.objects.select_for_update()`` in
    ``supervision_attendance_confirm``. Removed, the second click reads the attendance as not
    yet confirmed, confirms it again with a later time, and logs a second confirmation."""
    session = _record(sam, [tess])

    results = overlap(
        lambda: supervision_attendance_confirm(session=session, trainee=tess),
        lambda: supervision_attendance_confirm(session=session, trainee=tess),
    )

    assert isinstance(results[0], SupervisionAttendance), results
    [error] = errors(results)
    assert "already confirmed" in str(error)
    attendance = SupervisionAttendance.objects.get(session=session)
    assert attendance.confirmed_at == results[0].confirmed_at
    assert ModelLogEntry.objects.filter(action="accreditation.supervision.confirm").count() == 1


# Applications ----------------------------------------------------------------------------------


def test_it_creates_one_draft_when_the_statement_is_saved_in_two_tabs(locked, review, tess):
    """Guards ``SupervisedReview.objects.select_for_update()`` in ``application_save_draft``.
    Removed, the second tab looks for a draft before the first committed, finds none, and
    creates a second draft application for the same review."""
    results = overlap(
        lambda: services.application_save_draft(trainee=tess, reflective_statement="First."),
        lambda: services.application_save_draft(trainee=tess, reflective_statement="Second."),
    )

    assert not errors(results), results
    [draft] = AccreditationApplication.objects.filter(trainee=tess)
    assert draft.reflective_statement == "Second."


# The analysis registers ------------------------------------------------------------------------


def _linkable(review, tess):
    from accreditation.services.registers import episode_create

    from .factories import finding_categories

    episode = episode_create(
        stage=stage(review, 3),
        user=tess,
        title="Strategy meeting",
        what_happened="x",
        assessment="mixed",
    )
    return episode, {
        "stage": stage(review, 4),
        "title": "Health left out",
        "category": finding_categories()[0],
        "in_this_case": "x",
        "episodes": [episode],
        "issues_for_board": ["Why?"],
    }


def test_it_keeps_an_episode_that_is_being_linked_to_a_finding(locked, review, tess, pat):
    """Guards the stages service's ``_lock``, which every change to either register takes
    through ``lock_editable_stage``: its join locks the review's row as well as the stage's, so
    the Findings stage and the episodes' stage are changed one at a time. Without it, the
    removal checks for links before the finding's commit, deletes the episode, and the finding
    silently loses the episode it rests on."""
    from accreditation.models import Finding, KeyPracticeEpisode
    from accreditation.services.registers import episode_delete, finding_create

    episode, finding = _linkable(review, tess)

    results = overlap(
        lambda: finding_create(user=pat, **finding),
        lambda: episode_delete(episode=episode, user=tess),
    )

    assert isinstance(results[0], Finding), results
    [error] = errors(results)
    assert "KPE1 is linked to the finding" in str(error)
    assert KeyPracticeEpisode.objects.filter(pk=episode.pk).exists()
    assert list(Finding.objects.get().episodes.all()) == [episode]


def test_it_does_not_link_an_episode_that_is_being_removed(locked, review, tess, pat):
    """Guards the same lock the other way round, with ``_check_finding_links`` reading the
    chosen episodes again once it holds it. Without that reading, the link is written to an
    episode that is gone and the commit fails on the foreign key with an error page."""
    from accreditation.models import Finding, KeyPracticeEpisode
    from accreditation.services.registers import episode_delete, finding_create

    episode, finding = _linkable(review, tess)

    results = overlap(
        lambda: episode_delete(episode=episode, user=tess),
        lambda: finding_create(user=pat, **finding),
    )

    assert results[0] is None, results
    [error] = errors(results)
    assert isinstance(error, TransitionError)
    assert "has just been removed" in str(error)
    assert not KeyPracticeEpisode.objects.exists()
    assert not Finding.objects.exists()

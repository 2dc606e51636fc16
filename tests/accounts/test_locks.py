"""The row locks that guard erasure, under real concurrency on PostgreSQL.

``overlap`` (tests/concurrency.py) holds the first call's transaction open until the other calls
are waiting for a lock or done. Each docstring says which ``select_for_update`` the test guards
and what it saw when that lock was removed.
"""

import io
import zipfile
from datetime import date

from wagtail.models import ModelLogEntry

import pytest

from accreditation.models import BulkIssue, BulkIssueItem, Certificate, SupervisionSession
from accreditation.services.bulk import bulk_issue_finish
from accreditation.services.certificates import certificate_issue
from accreditation.services.supervision import supervision_session_record
from learning_platform.accounts.forms import ProfileForm
from learning_platform.accounts.models import User
from learning_platform.accounts.personal_data.erasure import (
    ERASE_ACTION,
    ErasureRefused,
    user_erase,
)
from learning_platform.accounts.roles import Role
from learning_platform.accounts.services import user_profile_save
from tests.accreditation.bulk_builders import make_approved_applications
from tests.concurrency import errors, overlap
from tests.factories import make_persona

pytestmark = pytest.mark.postgres


def test_it_erases_a_supervision_session_recorded_while_its_supervisor_was_erased(
    locked, review, tess, sam, ada
):
    """Guards ``User.objects.select_for_update()`` in ``user_erase``. Recording a session locks
    the supervisor's row, so the erasure waits for it and then redacts the session's notes.
    Removed, the erasure reads the supervisor's sessions before the new one is committed and
    only waits at the very end to rename them: the notes, with their name in them, outlive the
    erasure."""
    results = overlap(
        lambda: supervision_session_record(
            supervisor=sam,
            kind="group",
            date=date(2026, 2, 1),
            duration_minutes=60,
            attendees=[tess],
            notes="Sam Supervisor led the session.",
        ),
        lambda: user_erase(user=sam, by=ada),
    )

    assert not errors(results), results
    assert User.objects.get(pk=sam.pk).erased_at is not None
    [session] = SupervisionSession.objects.filter(supervisor=sam)
    assert "Sam Supervisor" not in session.notes


def test_it_erases_a_person_once_when_two_administrators_confirm_at_once(locked, tess, ada):
    """Guards ``User.objects.select_for_update()`` in ``user_erase``. Removed, the second
    administrator reads the person as not yet erased and erases them again: two erasure entries
    in the audit trail, and the second one's check of who may still be erased never ran."""
    other = make_persona("Abe Administrator", "abe@example.org", Role.PROGRAMME_ADMIN)

    results = overlap(
        lambda: user_erase(user=tess, by=ada),
        lambda: user_erase(user=tess, by=other),
    )

    assert isinstance(results[0], User), results
    [error] = errors(results)
    assert isinstance(error, ErasureRefused)
    assert "already been erased" in str(error)
    assert ModelLogEntry.objects.filter(action=ERASE_ACTION).count() == 1


def _zip_names(bulk: BulkIssue) -> list[str]:
    if not bulk.zip_file:
        return []
    with bulk.zip_file.open("rb") as handle:
        return sorted(zipfile.ZipFile(io.BytesIO(handle.read())).namelist())


def test_it_leaves_an_erased_holder_out_of_a_bulk_zip_finished_during_the_erasure(locked, ada):
    """Guards ``certificates.select_for_update()`` in the bulk job's ``_zip_contents(lock=True)``
    (and the erasure's matching lock on the holder's certificates). The ZIP is written while the
    erasure is open; the check before attaching it waits for the erasure, finds the PDF gone,
    and builds the ZIP again without it. Removed, the check reads the PDF as still there and
    attaches a ZIP that holds the erased person's certificate, after the erasure looked for ZIPs
    to withdraw."""
    cohort, [application] = make_approved_applications(1)
    certificate = certificate_issue(application=application, by=ada)
    certificate.refresh_from_db()
    assert certificate.pdf, "the certificate's PDF is rendered on issue"
    bulk = BulkIssue.objects.create(
        cohort=cohort,
        requested_by=ada,
        kind=BulkIssue.Kind.RERENDER,
        status=BulkIssue.Status.RUNNING,
        total=1,
        done=1,
    )
    BulkIssueItem.objects.create(
        bulk=bulk,
        application=application,
        certificate=certificate,
        status=BulkIssueItem.Status.DONE,
    )

    results = overlap(
        lambda: user_erase(user=certificate.holder, by=ada),
        lambda: bulk_issue_finish(bulk_id=bulk.pk),
    )

    assert not errors(results), results
    bulk.refresh_from_db()
    assert f"{certificate.number}.pdf" not in _zip_names(bulk)
    assert not Certificate.objects.get(pk=certificate.pk).pdf


def test_it_does_not_write_a_profile_back_over_an_erasure(locked, tess, ada):
    """Guards ``User.objects.select_for_update()`` in ``user_profile_save``: the profile save
    waits for the erasure, then finds the person erased and saves nothing. Removed, it writes
    the name and job title just typed into the erased person's row. (Before that service the
    page saved the whole row, and wrote back everything the erasure had removed: name, email,
    password, active, and ``erased_at`` itself.)"""

    def save_profile():
        # Loaded as the request loads the signed-in person: before the erasure committed.
        user = User.objects.get(pk=tess.pk)
        form = ProfileForm(
            {"full_name": "Tess Newname", "organisation": "", "job_title": "Team manager"},
            instance=user,
        )
        assert form.is_valid(), form.errors
        return user_profile_save(form=form)

    results = overlap(lambda: user_erase(user=tess, by=ada), save_profile)

    assert isinstance(results[0], User), results
    assert results[1] is None, results
    erased = User.objects.get(pk=tess.pk)
    assert erased.erased_at is not None
    assert not erased.is_active
    assert "Tess" not in erased.full_name
    assert erased.job_title == ""
    assert erased.email.endswith("@invalid")

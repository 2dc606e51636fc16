"""Every row lock that guards a courses invariant, under real concurrency on PostgreSQL.

``overlap`` (tests/concurrency.py) holds the first call's transaction open until the other calls
are waiting for a lock or done. Each docstring says which ``select_for_update`` the test guards
and what it saw when that lock was removed.
"""

import datetime

from wagtail.models import ModelLogEntry

import pytest

from courses.models import Attendance, Enrolment, Invitation
from courses.services.cohorts import (
    EnrolmentError,
    attendance_record,
    enrolment_create,
    enrolment_transition,
)
from courses.services.invitations.acceptance import invitation_accept_new_user
from courses.services.invitations.checks import InvitationError
from courses.services.invitations.lifecycle import invitation_create, invitation_resend
from learning_platform.accounts.models import User
from tests.concurrency import errors, overlap
from tests.courses.factories import EnrolmentFactory, InvitationFactory, TrainingDayFactory

pytestmark = pytest.mark.postgres

NEW_PASSWORD = "a-long-unusual-passphrase-42"


def _entries(action):
    return ModelLogEntry.objects.filter(action=action).count()


def test_it_accepts_an_invitation_once_when_it_is_accepted_in_two_tabs(locked, cohort, ada):
    """Guards ``Invitation.objects.select_for_update()`` in ``_lock_valid_invitation``. Removed,
    the second tab reads the invitation as unused and no account yet for its address, creates
    the account again and fails on the unique email with a database error (a server error page)
    instead of saying the invitation has been used."""
    InvitationFactory(cohort=cohort, token="tok-twice", email="nia@example.org", invited_by=ada)

    def accept():
        return invitation_accept_new_user(
            token="tok-twice", full_name="Nia Jones", password=NEW_PASSWORD
        )

    results = overlap(accept, accept)

    assert isinstance(results[0], Enrolment), results
    [error] = errors(results)
    assert isinstance(error, InvitationError)
    assert str(error) == "This invitation has already been used."
    user = User.objects.get(email="nia@example.org")
    assert Enrolment.objects.filter(cohort=cohort).get().user == user
    assert Invitation.objects.get(token_hash__isnull=False).accepted_by == user
    assert _entries("courses.invitation.accept") == 1


def test_it_gives_the_last_place_to_one_of_two_people_enrolled_at_once(locked, cohort, ada, tess):
    """Guards ``Cohort.objects.select_for_update()`` in ``enrolment_create``. Removed, the second
    enrolment counts the places before the first committed and takes the same last place: the
    cohort holds more trainees than its capacity."""
    cohort.capacity = 2
    cohort.save()
    EnrolmentFactory(user=tess, cohort=cohort)
    first = User.objects.create_user("una@example.org", full_name="Una First")
    second = User.objects.create_user("viv@example.org", full_name="Viv Second")

    results = overlap(
        lambda: enrolment_create(user=first, cohort=cohort, by=ada),
        lambda: enrolment_create(user=second, cohort=cohort, by=ada),
    )

    assert isinstance(results[0], Enrolment), results
    [error] = errors(results)
    assert isinstance(error, EnrolmentError)
    assert "is full" in str(error)
    assert Enrolment.objects.filter(cohort=cohort).count() == 2


def test_it_offers_the_last_place_once_when_two_invitations_are_sent_at_once(
    locked, cohort, ada, tess
):
    """Guards ``Cohort.objects.select_for_update()`` in ``invitation_create``. Removed, both
    invitations count the places before either committed: two people are offered the one last
    place, and one of them will find the cohort full when they accept."""
    cohort.capacity = 2
    cohort.save()
    EnrolmentFactory(user=tess, cohort=cohort)

    results = overlap(
        lambda: invitation_create(
            cohort=cohort, email="una@example.org", full_name="Una First", invited_by=ada
        ),
        lambda: invitation_create(
            cohort=cohort, email="viv@example.org", full_name="Viv Second", invited_by=ada
        ),
    )

    assert isinstance(results[0], Invitation), results
    [error] = errors(results)
    assert "is full" in str(error)
    assert Invitation.objects.filter(cohort=cohort).count() == 1


def test_it_moves_an_enrolment_once_when_two_administrators_move_it_at_once(
    locked, cohort, ada, tess
):
    """Guards ``Enrolment.objects.select_for_update()`` in ``enrolment_transition``. Removed,
    the deferral reads the enrolment as still active after it was withdrawn, and a withdrawn
    enrolment (final) ends up deferred with both changes in its audit trail."""
    enrolment = EnrolmentFactory(user=tess, cohort=cohort, status=Enrolment.Status.ACTIVE)

    results = overlap(
        lambda: enrolment_transition(
            enrolment=enrolment, to_status="withdrawn", user=ada, reason="Left the service."
        ),
        lambda: enrolment_transition(
            enrolment=enrolment, to_status="deferred", user=ada, reason="On leave."
        ),
    )

    assert isinstance(results[0], Enrolment), results
    [error] = errors(results)
    assert "withdrawn cannot be marked deferred" in str(error)
    assert Enrolment.objects.get(pk=enrolment.pk).status == Enrolment.Status.WITHDRAWN
    assert _entries("courses.enrolment.defer") == 0


def test_it_saves_the_later_register_when_two_people_take_it_at_once(
    locked, cohort, ada, sam, tess_enrolment, pat_enrolment
):
    """Guards ``TrainingDay.objects.select_for_update()`` in ``attendance_record``. Removed, the
    second register looks for the day's rows before the first committed, finds none, inserts
    them again and fails on the one-row-per-trainee constraint: a server error instead of the
    later register standing."""
    day = TrainingDayFactory(cohort=cohort, date=datetime.date(2026, 1, 12))

    results = overlap(
        lambda: attendance_record(
            training_day=day, present_enrolment_ids=[tess_enrolment.pk], user=ada
        ),
        lambda: attendance_record(
            training_day=day, present_enrolment_ids=[pat_enrolment.pk], user=sam
        ),
    )

    assert results == [1, 1], results
    present = dict(Attendance.objects.filter(training_day=day).values_list("enrolment", "present"))
    assert present == {tess_enrolment.pk: False, pat_enrolment.pk: True}


def test_it_does_not_send_a_fresh_link_for_an_invitation_being_accepted(locked, cohort, ada):
    """Guards ``Invitation.objects.select_for_update()`` in ``invitation_resend``. Removed, the
    resend reads the invitation as not yet accepted and gives the accepted invitation a new
    token and expiry after the acceptance committed, and emails the person a link to accept
    again."""
    invitation = InvitationFactory(
        cohort=cohort, token="tok-resend", email="nia@example.org", invited_by=ada
    )

    results = overlap(
        lambda: invitation_accept_new_user(
            token="tok-resend", full_name="Nia Jones", password=NEW_PASSWORD
        ),
        lambda: invitation_resend(invitation_id=invitation.pk, by=ada),
    )

    assert isinstance(results[0], Enrolment), results
    [error] = errors(results)
    assert "has already accepted this invitation" in str(error)
    assert Invitation.objects.get(pk=invitation.pk).token_hash == invitation.token_hash
    assert _entries("courses.invitation.resend") == 0

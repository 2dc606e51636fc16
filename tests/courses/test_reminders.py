"""The inactivity reminder, with a frozen clock: a trainee with an active enrolment who has done
nothing for TRAINEE_INACTIVITY_DAYS hears once per quiet spell."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core import mail

import pytest
import time_machine

from courses.events import CourseEvent
from courses.models import Enrolment
from courses.periodic import send_trainee_inactivity_reminders
from courses.services.progress import module_progress_start, reflection_answer_save
from courses.services.reminders import trainee_inactivity_reminders_send
from notifications.models import Notification

from .factories import CohortFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
ACTIVE_AT = datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)


@pytest.fixture
def enrolment(course, tess):
    with time_machine.travel(ACTIVE_AT - timedelta(days=3), tick=False):
        cohort = CohortFactory(course=course, name="London boards 2026")
        return EnrolmentFactory(user=tess, cohort=cohort)


def _at(when, job=trainee_inactivity_reminders_send, *, capture=None):
    with time_machine.travel(when, tick=False):
        if capture is None:
            return job()
        with capture(execute=True):
            return job()


def _reminders(user):
    return Notification.objects.filter(
        recipient=user, event=CourseEvent.TRAINEE_INACTIVITY_REMINDER
    )


def _open_first_module(enrolment, modules, when):
    with time_machine.travel(when, tick=False):
        module_progress_start(enrolment=enrolment, module=modules[0])


def test_it_reminds_a_trainee_quiet_for_more_than_thirty_days(
    enrolment, modules, tess, django_capture_on_commit_callbacks
):
    _open_first_module(enrolment, modules, ACTIVE_AT)
    assert _at(ACTIVE_AT + timedelta(days=29)) == 0
    assert not _reminders(tess).exists()

    sent = _at(ACTIVE_AT + timedelta(days=31), capture=django_capture_on_commit_callbacks)
    assert sent == 1
    (reminder,) = _reminders(tess)
    assert reminder.target == enrolment
    assert reminder.context == {"days": 31, "since": "2026-03-02"}
    assert reminder.dedupe_key == "inactivity:trainee:2026-03-02"
    (email,) = mail.outbox
    assert email.to == [tess.email]
    assert "Nothing has happened on your training with London boards 2026 for 31 days" in (
        email.body
    )


def test_it_reminds_once_per_quiet_spell(enrolment, modules, tess, course):
    _open_first_module(enrolment, modules, ACTIVE_AT)
    assert _at(ACTIVE_AT + timedelta(days=31)) == 1
    assert _at(ACTIVE_AT + timedelta(days=32)) == 0
    assert _at(ACTIVE_AT + timedelta(days=45), send_trainee_inactivity_reminders.delay)
    assert _reminders(tess).count() == 1

    # Back at work, then quiet again: a new spell, so one more reminder 30 days on.
    second_spell = ACTIVE_AT + timedelta(days=50)
    block_id = next(
        item["id"] for item in modules[0].body.raw_data if item["type"] == "reflective_question"
    )
    with time_machine.travel(second_spell, tick=False):
        reflection_answer_save(
            enrolment=enrolment, module=modules[0], block_id=block_id, answer="Systems, not people."
        )
    assert _at(second_spell + timedelta(days=29)) == 0
    assert _at(second_spell + timedelta(days=31)) == 1
    assert _at(second_spell + timedelta(days=40)) == 0
    assert sorted(_reminders(tess).values_list("dedupe_key", flat=True)) == [
        "inactivity:trainee:2026-03-02",
        "inactivity:trainee:2026-04-21",
    ]


def test_it_counts_from_the_enrolment_when_the_trainee_has_done_nothing(enrolment, tess):
    enrolled_on = enrolment.created_at
    assert _at(enrolled_on + timedelta(days=29)) == 0
    assert _at(enrolled_on + timedelta(days=31)) == 1
    assert _reminders(tess).get().context["since"] == "2026-02-27"


def test_it_counts_review_work_as_activity(enrolment, tess, pat, sam):
    from accreditation.services.evidence import evidence_add_note
    from tests.accreditation.factories import SupervisedReviewFactory, stage

    review = SupervisedReviewFactory(trainee=tess, partner=pat, supervisor=sam)
    with time_machine.travel(ACTIVE_AT + timedelta(days=20), tick=False):
        evidence_add_note(stage=stage(review, 1), user=tess, title="Scope", note="Agreed.")
    assert _at(ACTIVE_AT + timedelta(days=40)) == 0
    assert _at(ACTIVE_AT + timedelta(days=51)) == 1
    assert _reminders(tess).get().context["since"] == "2026-03-22"


def test_it_reminds_nobody_whose_enrolment_is_not_active(enrolment, tess, uma, course):
    with time_machine.travel(ACTIVE_AT, tick=False):
        EnrolmentFactory(
            user=uma,
            cohort=CohortFactory(course=course, start_date=date(2026, 1, 5)),
            status=Enrolment.Status.INVITED,
        )
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.WITHDRAWN)
    assert _at(ACTIVE_AT + timedelta(days=90)) == 0
    assert not Notification.objects.filter(event=CourseEvent.TRAINEE_INACTIVITY_REMINDER).exists()


def test_it_waits_for_the_cohort_to_start(course, tess):
    with time_machine.travel(ACTIVE_AT, tick=False):
        EnrolmentFactory(
            user=tess, cohort=CohortFactory(course=course, start_date=date(2026, 5, 1))
        )
    assert _at(ACTIVE_AT + timedelta(days=45)) == 0
    assert _at(datetime(2026, 6, 1, 9, 0, tzinfo=LONDON)) == 1
    assert _reminders(tess).get().context["since"] == "2026-05-01"


@pytest.mark.parametrize("work", ["application", "supervision"])
def test_it_counts_application_and_supervision_work_as_activity(work, enrolment, tess, pat, sam):
    from accreditation.services.applications import application_save_draft
    from accreditation.services.supervision import (
        supervision_attendance_confirm,
        supervision_session_record,
    )
    from tests.accreditation.factories import SupervisedReviewFactory

    SupervisedReviewFactory(trainee=tess, partner=pat, supervisor=sam)
    with time_machine.travel(ACTIVE_AT + timedelta(days=20), tick=False):
        if work == "application":
            application_save_draft(trainee=tess, reflective_statement="Systems, not people.")
        else:
            session = supervision_session_record(
                supervisor=sam,
                kind="group",
                date=(ACTIVE_AT + timedelta(days=19)).date(),
                duration_minutes=60,
                attendees=[tess],
            )
            supervision_attendance_confirm(session=session, trainee=tess)

    assert _at(ACTIVE_AT + timedelta(days=40)) == 0
    assert _at(ACTIVE_AT + timedelta(days=51)) == 1
    assert _reminders(tess).get().context["since"] == "2026-03-22"


def test_it_leaves_out_a_trainee_waiting_on_the_assessor_or_accredited(review, tess, ali):
    from tests.accreditation.award_builders import approve, make_ready, submit

    with time_machine.travel(ACTIVE_AT, tick=False):
        make_ready(tess, review)
        application = submit(tess)
    assert _at(ACTIVE_AT + timedelta(days=60)) == 0  # waiting on the assessor

    with time_machine.travel(ACTIVE_AT + timedelta(days=61), tick=False):
        approve(application, ali)
    assert _at(ACTIVE_AT + timedelta(days=200)) == 0  # accredited
    assert not _reminders(tess).exists()


def test_it_reminds_a_trainee_with_two_enrolments_once(enrolment, course, tess):
    with time_machine.travel(ACTIVE_AT - timedelta(days=3), tick=False):
        second = EnrolmentFactory(user=tess, cohort=CohortFactory(course=course, name="Second"))

    assert _at(ACTIVE_AT + timedelta(days=31)) == 1
    assert _at(ACTIVE_AT + timedelta(days=32)) == 0
    (reminder,) = _reminders(tess)
    assert reminder.target in (enrolment, second)
    assert reminder.context["since"] == "2026-02-27"


def test_it_counts_a_quiet_spell_from_the_latest_enrolment(enrolment, course, tess):
    # Joining a second cohort is a fresh start: no reminder until that has been quiet too.
    with time_machine.travel(ACTIVE_AT + timedelta(days=20), tick=False):
        later = EnrolmentFactory(user=tess, cohort=CohortFactory(course=course, name="Later"))

    assert _at(ACTIVE_AT + timedelta(days=31)) == 0
    assert _at(ACTIVE_AT + timedelta(days=51)) == 1
    assert _reminders(tess).get().target == later

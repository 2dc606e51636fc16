"""Training attendance in readiness: the days whose register has been taken, the trainee's
present ones, against the scheme's minimum or (when blank) all of the cohort's days."""

import datetime

from django.utils import timezone
from django.utils.formats import date_format

import pytest

from accreditation.selectors.readiness import Requirement, accreditation_readiness
from courses.models import Attendance
from tests.courses.factories import TrainingDayFactory

from .award_builders import enrol, make_ready

pytestmark = pytest.mark.django_db


def _item(user):
    readiness = accreditation_readiness(user=user)
    return next(i for i in readiness.items if i.key == Requirement.ATTENDANCE)


def _days(cohort, offsets):
    today = timezone.localdate()
    return [
        TrainingDayFactory(
            cohort=cohort, date=today + datetime.timedelta(days=offset), title=f"Day {n}"
        )
        for n, offset in enumerate(offsets, start=1)
    ]


def _register(day, enrolment, present):
    Attendance.objects.create(training_day=day, enrolment=enrolment, present=present)


def test_it_is_met_when_the_cohort_has_no_training_days(tess, review):
    make_ready(tess, review)
    item = _item(tess)
    assert item.met
    assert item.detail == "Your cohort has no training days."


def test_it_needs_every_day_when_the_scheme_sets_no_minimum(tess, review):
    enrolment = make_ready(tess, review)
    day1, day2, day3, day4 = _days(enrolment.cohort, [-20, -19, -5, -4])
    for day in (day1, day2, day4):
        _register(day, enrolment, True)
    _register(day3, enrolment, False)

    item = _item(tess)

    assert not item.met
    assert item.label == "Attend the training days (4 of 4)"
    assert "You attended 3 of the 4 days whose register has been taken; 4 needed." in item.detail
    assert f"Missed: Day 3 ({date_format(day3.date)})." in item.detail
    assert not accreditation_readiness(user=tess).ready_for_statement


def test_it_is_met_with_the_schemes_minimum(tess, review):
    enrolment = make_ready(tess, review)
    review.scheme.min_training_days = 3
    review.scheme.save(update_fields=["min_training_days"])
    days = _days(enrolment.cohort, [-20, -19, -5, -4])
    for day in days[:3]:
        _register(day, enrolment, True)
    _register(days[3], enrolment, False)

    item = _item(tess)

    assert item.met
    assert item.detail == "You attended 3 of the 4 days whose register has been taken; 3 needed."


def test_it_says_the_remaining_registers_are_not_taken_yet(tess, review, pat):
    enrolment = make_ready(tess, review)
    days = _days(enrolment.cohort, [-20, -19, 10, 11])
    # A register counts as taken when anyone's attendance is recorded on the day.
    pat_enrolment = enrol(pat, cohort=enrolment.cohort)
    _register(days[0], enrolment, True)
    _register(days[1], pat_enrolment, True)
    # A row on a day still to come says nothing about who was there.
    _register(days[2], enrolment, True)

    item = _item(tess)

    assert not item.met
    assert item.detail.startswith(
        "You attended 1 of the 2 days whose register has been taken; 4 needed. Missed: Day 2"
    )
    assert item.detail.endswith("The registers for the remaining 2 days have not been taken yet.")


def test_it_counts_present_days_only_for_the_trainee(tess, review, pat):
    enrolment = make_ready(tess, review)
    pat_enrolment = enrol(pat, cohort=enrolment.cohort)
    (day,) = _days(enrolment.cohort, [-3])
    _register(day, pat_enrolment, True)

    item = _item(tess)
    assert not item.met
    assert "You attended 0 of the 1 day whose register has been taken; 1 needed." in item.detail

    _register(day, enrolment, True)
    assert _item(tess).met

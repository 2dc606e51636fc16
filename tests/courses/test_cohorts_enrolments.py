"""Enrolment status transitions, supervisor and review-partner assignment, and the register."""

import datetime

from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry

import pytest

from courses.models import Attendance, Enrolment
from courses.services.assignments import enrolment_assign
from courses.services.cohorts import EnrolmentError, attendance_record, enrolment_transition
from tests.courses.factories import EnrolmentFactory, TrainingDayFactory

pytestmark = pytest.mark.django_db


def _log(enrolment):
    return list(ModelLogEntry.objects.for_instance(enrolment).order_by("timestamp"))


@pytest.mark.parametrize(
    ("start", "to", "action"),
    [
        ("invited", "active", "courses.enrolment.activate"),
        ("active", "completed", "courses.enrolment.complete"),
        ("active", "withdrawn", "courses.enrolment.withdraw"),
        ("active", "deferred", "courses.enrolment.defer"),
        ("deferred", "active", "courses.enrolment.activate"),
    ],
)
def test_it_allows_legal_transitions_and_audits_them(ada, tess, cohort, start, to, action):
    enrolment = EnrolmentFactory(user=tess, cohort=cohort, status=start)

    enrolment_transition(enrolment=enrolment, to_status=to, user=ada, reason="Agreed with board")

    enrolment.refresh_from_db()
    assert enrolment.status == to
    [entry] = _log(enrolment)
    assert entry.action == action
    assert entry.user_id == ada.pk
    assert entry.data == {"from": start, "to": to, "reason": "Agreed with board"}


@pytest.mark.parametrize(
    ("start", "to"),
    [
        ("completed", "active"),
        ("withdrawn", "active"),
        ("invited", "completed"),
        ("active", "active"),
    ],
)
def test_it_refuses_illegal_transitions_and_writes_nothing(ada, tess, cohort, start, to):
    enrolment = EnrolmentFactory(user=tess, cohort=cohort, status=start)

    with pytest.raises(EnrolmentError):
        enrolment_transition(enrolment=enrolment, to_status=to, user=ada, reason="x")

    enrolment.refresh_from_db()
    assert enrolment.status == start
    assert _log(enrolment) == []


def test_it_needs_a_reason_to_withdraw(ada, tess_enrolment):
    with pytest.raises(EnrolmentError, match="reason"):
        enrolment_transition(enrolment=tess_enrolment, to_status="withdrawn", user=ada)


def test_it_shows_an_illegal_transition_as_a_message(client, ada, tess_enrolment):
    tess_enrolment.status = Enrolment.Status.COMPLETED
    tess_enrolment.save()
    client.force_login(ada)

    response = client.post(
        reverse("courses:enrolment_status", args=[tess_enrolment.pk]),
        {"status": "active", "reason": ""},
        follow=True,
    )

    assert "An enrolment that is completed cannot be marked active." in response.content.decode()
    tess_enrolment.refresh_from_db()
    assert tess_enrolment.status == Enrolment.Status.COMPLETED


def test_it_changes_status_from_the_staff_page(client, ada, tess_enrolment):
    client.force_login(ada)

    response = client.post(
        reverse("courses:enrolment_status", args=[tess_enrolment.pk]),
        {"status": "deferred", "reason": "Parental leave"},
    )

    assert response.status_code == 302
    tess_enrolment.refresh_from_db()
    assert tess_enrolment.status == Enrolment.Status.DEFERRED
    history = client.get(reverse("courses:enrolment_status", args=[tess_enrolment.pk]))
    assert "Parental leave" in history.content.decode()


def test_it_pairs_review_partners_both_ways_and_unpairs_the_old_partner(
    ada, sam, tess, pat, uma, cohort
):
    tess_e = EnrolmentFactory(user=tess, cohort=cohort)
    pat_e = EnrolmentFactory(user=pat, cohort=cohort)
    uma_e = EnrolmentFactory(user=uma, cohort=cohort)

    enrolment_assign(enrolment=tess_e, supervisor=sam, review_partner=pat, by=ada)
    tess_e.refresh_from_db(), pat_e.refresh_from_db()
    assert (tess_e.supervisor, tess_e.review_partner, pat_e.review_partner) == (sam, pat, tess)

    enrolment_assign(enrolment=tess_e, supervisor=sam, review_partner=uma, by=ada)
    for e in (tess_e, pat_e, uma_e):
        e.refresh_from_db()
    assert tess_e.review_partner == uma
    assert uma_e.review_partner == tess
    assert pat_e.review_partner is None
    assert [e.action for e in _log(tess_e)] == ["courses.enrolment.assign"] * 2


def test_it_refuses_a_supervisor_outside_the_group_and_a_partner_outside_the_cohort(
    ada, tess, pat, uma, cohort
):
    tess_e = EnrolmentFactory(user=tess, cohort=cohort)

    with pytest.raises(EnrolmentError, match="Supervisor group"):
        enrolment_assign(enrolment=tess_e, supervisor=pat, review_partner=None, by=ada)
    with pytest.raises(EnrolmentError, match="not a trainee in"):
        enrolment_assign(enrolment=tess_e, supervisor=None, review_partner=uma, by=ada)
    with pytest.raises(EnrolmentError, match="own review partner"):
        enrolment_assign(enrolment=tess_e, supervisor=None, review_partner=tess, by=ada)


def _days_from_today(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def test_it_saves_the_register_in_one_go_and_records_who(client, ada, cohort, tess, pat, uma):
    day = TrainingDayFactory(cohort=cohort, date=_days_from_today(-1))
    tess_e = EnrolmentFactory(user=tess, cohort=cohort)
    pat_e = EnrolmentFactory(user=pat, cohort=cohort)
    EnrolmentFactory(user=uma, cohort=cohort, status=Enrolment.Status.WITHDRAWN)
    client.force_login(ada)
    url = reverse("courses:attendance_register", args=[cohort.pk, day.pk])

    page = client.get(url).content.decode()
    assert "Tess Trainee" in page and "Pat Partner" in page
    assert "Uma Unrelated" not in page  # only active trainees are on the register

    response = client.post(url, {"present": [str(tess_e.pk)]})

    assert response.status_code == 302
    rows = {a.enrolment_id: a for a in Attendance.objects.filter(training_day=day)}
    assert rows[tess_e.pk].present and not rows[pat_e.pk].present
    assert {a.recorded_by_id for a in rows.values()} == {ada.pk}
    assert ModelLogEntry.objects.for_instance(day).get().action == "courses.attendance.record"

    client.post(url, {"present": [str(pat_e.pk)]})
    rows = {a.enrolment_id: a.present for a in Attendance.objects.filter(training_day=day)}
    assert rows == {tess_e.pk: False, pat_e.pk: True}


def test_it_refuses_a_register_naming_someone_outside_the_cohort(ada, cohort, uma):
    day = TrainingDayFactory(cohort=cohort, date=_days_from_today(-1))
    outsider = EnrolmentFactory(user=uma)

    with pytest.raises(EnrolmentError):
        attendance_record(training_day=day, present_enrolment_ids=[outsider.pk], user=ada)
    assert not Attendance.objects.exists()


def test_it_refuses_the_register_for_a_day_still_to_come(client, ada, cohort, tess_enrolment):
    day = TrainingDayFactory(cohort=cohort, title="Day 3: findings", date=_days_from_today(1))
    url = reverse("courses:attendance_register", args=[cohort.pk, day.pk])
    client.force_login(ada)

    page = client.get(url).content.decode()
    assert "This register cannot be taken yet" in page
    assert 'name="present"' not in page

    response = client.post(url, {"present": [str(tess_enrolment.pk)]})

    assert response.status_code == 200
    assert "The register for Day 3: findings cannot be taken yet" in response.content.decode()
    assert not Attendance.objects.exists()
    assert not ModelLogEntry.objects.for_instance(day).exists()
    with pytest.raises(EnrolmentError, match="cannot be taken yet"):
        attendance_record(training_day=day, present_enrolment_ids=[tess_enrolment.pk], user=ada)
    assert not Attendance.objects.exists()


def test_it_takes_the_register_on_the_day_itself(client, ada, cohort, tess_enrolment):
    day = TrainingDayFactory(cohort=cohort, date=_days_from_today(0))
    client.force_login(ada)

    detail = client.get(reverse("courses:cohort_detail", args=[cohort.pk])).content.decode()
    response = client.post(
        reverse("courses:attendance_register", args=[cohort.pk, day.pk]),
        {"present": [str(tess_enrolment.pk)]},
    )

    assert reverse("courses:attendance_register", args=[cohort.pk, day.pk]) in detail
    assert response.status_code == 302
    assert Attendance.objects.get(training_day=day, enrolment=tess_enrolment).present


def test_it_offers_no_register_link_for_a_day_still_to_come(client, ada, cohort):
    day = TrainingDayFactory(cohort=cohort, date=_days_from_today(5))
    client.force_login(ada)

    page = client.get(reverse("courses:cohort_detail", args=[cohort.pk])).content.decode()

    assert reverse("courses:attendance_register", args=[cohort.pk, day.pk]) not in page
    assert "Register opens on the day" in page

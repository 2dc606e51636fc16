"""The cohort's iCalendar feed, which calendar apps fetch with the cohort's secret token."""

import datetime

from django.urls import reverse

import pytest
from icalendar import Calendar

from tests.courses.factories import TrainingDayFactory

pytestmark = pytest.mark.django_db


def test_it_serves_every_training_day_as_an_event(client, cohort):
    TrainingDayFactory(
        cohort=cohort, title="Day 1: systems thinking", date=datetime.date(2026, 3, 2)
    )
    TrainingDayFactory(
        cohort=cohort,
        title="Day 2: online",
        date=datetime.date(2026, 3, 3),
        starts_at=None,
        ends_at=None,
        venue="",
        online_link="https://meet.example.org/lt",
    )

    response = client.get(
        reverse("courses:cohort_calendar", args=[cohort.pk, cohort.calendar_token])
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = {e["summary"]: e for e in Calendar.from_ical(response.content).walk("VEVENT")}
    first = events["London boards 2026: Day 1: systems thinking"]
    assert first.decoded("dtstart") == datetime.datetime(
        2026, 3, 2, 9, 30, tzinfo=first.decoded("dtstart").tzinfo
    )
    assert str(first.decoded("dtstart").tzinfo) in ("Europe/London", "GMT")
    assert "SCIE" in str(first["location"])
    second = events["London boards 2026: Day 2: online"]
    assert second.decoded("dtstart") == datetime.date(2026, 3, 3)
    assert str(second["url"]) == "https://meet.example.org/lt"


def test_it_refuses_a_wrong_token(client, cohort):
    url = reverse("courses:cohort_calendar", args=[cohort.pk, "guess"])

    assert client.get(url).status_code == 404


def test_it_links_the_feed_from_the_cohort_page_for_an_enrolled_trainee(
    client, tess, tess_enrolment, cohort
):
    TrainingDayFactory(cohort=cohort)
    client.force_login(tess)

    page = client.get(reverse("courses:cohort_detail", args=[cohort.pk])).content.decode()

    assert cohort.calendar_token in page
    assert "webcal://" in page
    assert "Progress of every trainee" not in page


def test_it_stops_serving_the_old_address_after_a_reset(client, ada, cohort):
    old = cohort.calendar_token
    client.force_login(ada)

    client.post(reverse("courses:cohort_reset_calendar", args=[cohort.pk]))

    cohort.refresh_from_db()
    assert cohort.calendar_token != old
    assert client.get(reverse("courses:cohort_calendar", args=[cohort.pk, old])).status_code == 404


def test_it_never_ends_an_event_before_it_starts(client, cohort):
    # Saved before the end time was checked against the start.
    TrainingDayFactory(
        cohort=cohort,
        title="Day 3: findings",
        date=datetime.date(2026, 3, 4),
        starts_at=datetime.time(16, 30),
        ends_at=datetime.time(9, 30),
    )
    TrainingDayFactory(
        cohort=cohort,
        title="Day 4: report",
        date=datetime.date(2026, 3, 5),
        starts_at=datetime.time(10, 0),
        ends_at=datetime.time(10, 0),
    )
    TrainingDayFactory(cohort=cohort, title="Day 5: good", date=datetime.date(2026, 3, 6))

    response = client.get(
        reverse("courses:cohort_calendar", args=[cohort.pk, cohort.calendar_token])
    )

    events = {e["summary"]: e for e in Calendar.from_ical(response.content).walk("VEVENT")}
    assert len(events) == 3
    for event in events.values():
        assert event.decoded("dtend") > event.decoded("dtstart")
    good = events["London boards 2026: Day 5: good"]
    assert good.decoded("dtend").time() == datetime.time(16, 30)  # a valid end is kept

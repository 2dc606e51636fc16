"""The cohort list once the programme has run for years: pages of cohorts, found by name and by
whether they are running, still to start or finished."""

import datetime

from django.urls import reverse
from django.utils import timezone

import pytest

from courses.models import Cohort, Enrolment

pytestmark = pytest.mark.django_db

URL = reverse("courses:cohort_list")
# The layout's reads, the cohorts counted and one page of them with their courses.
LIST_QUERIES = 13


def _day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


@pytest.fixture
def history(course):
    """30 finished cohorts, 20 running and 10 still to start, one a month apart."""
    cohorts = []
    for i in range(30):
        cohorts.append(Cohort(name=f"Past {i:02}", start_date=_day(-400 - 30 * i)))
        cohorts[-1].end_date = _day(-30 - 30 * i)
    for i in range(20):
        cohorts.append(Cohort(name=f"Running {i:02}", start_date=_day(-10 - i), end_date=_day(60)))
    for i in range(10):
        cohorts.append(Cohort(name=f"Upcoming {i:02}", start_date=_day(30 + i), end_date=_day(300)))
    for cohort in cohorts:
        cohort.course = course
    return Cohort.objects.bulk_create(cohorts)


def _names(response):
    return [c.name for c in response.context["cohorts"]]


def test_it_shows_25_cohorts_a_page_newest_first(client, ada, history):
    client.force_login(ada)

    first = client.get(URL)
    third = client.get(URL, {"page": 3})

    assert _names(first) == [f"Upcoming {i:02}" for i in reversed(range(10))] + [
        f"Running {i:02}" for i in range(15)
    ]
    assert _names(third) == [f"Past {i:02}" for i in range(20, 30)]
    page = third.content.decode()
    assert "Showing 51–60 of 60 cohorts." in page
    assert "Page 3 of 3" in page
    assert 'href="?page=2" rel="prev"' in page


@pytest.mark.parametrize(
    "timing, expected",
    [
        ("current", [f"Running {i:02}" for i in range(20)]),
        ("upcoming", [f"Upcoming {i:02}" for i in reversed(range(10))]),
        ("past", [f"Past {i:02}" for i in range(25)]),
    ],
)
def test_it_filters_by_when_a_cohort_runs(client, ada, history, timing, expected):
    client.force_login(ada)

    response = client.get(URL, {"timing": timing})

    assert _names(response) == expected


def test_it_finds_cohorts_by_name_keeping_the_search_across_pages(client, ada, history):
    client.force_login(ada)

    found = client.get(URL, {"q": "running 1"})
    paged = client.get(URL, {"q": "past", "timing": "past", "page": 2})
    nothing = client.get(URL, {"q": "no such cohort"})

    assert _names(found) == [f"Running {i:02}" for i in range(10, 20)]
    assert _names(paged) == [f"Past {i:02}" for i in range(25, 30)]
    assert 'href="?q=past&amp;timing=past&amp;page=1" rel="prev"' in paged.content.decode()
    assert _names(nothing) == []
    assert "No cohorts match your search." in nothing.content.decode()


def test_it_searches_only_the_cohorts_a_trainee_belongs_to(client, tess, history):
    mine = Cohort.objects.get(name="Running 03")
    Enrolment.objects.create(user=tess, cohort=mine, status=Enrolment.Status.ACTIVE)
    client.force_login(tess)

    everything = client.get(URL)
    searched = client.get(URL, {"q": "running"})
    others = client.get(URL, {"q": "past"})

    assert _names(everything) == ["Running 03"]
    assert _names(searched) == ["Running 03"]
    assert _names(others) == []


def test_it_ignores_an_unknown_timing(client, ada, history):
    client.force_login(ada)

    response = client.get(URL, {"timing": "someday"})

    assert response.status_code == 200
    assert response.context["form"].errors["timing"]
    assert response.context["page"].paginator.count == 60


@pytest.mark.parametrize(
    "query, shown", [({}, 25), ({"page": 3}, 10), ({"timing": "past", "page": 2}, 5)]
)
def test_it_runs_the_same_queries_on_any_page(
    client, ada, history, query, shown, django_assert_num_queries
):
    client.force_login(ada)
    client.get(URL)  # warm per-process caches (content types, site)

    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(URL, query)

    assert len(response.context["cohorts"]) == shown

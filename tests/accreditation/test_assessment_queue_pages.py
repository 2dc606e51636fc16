"""The assessor's queue a page at a time, found by the trainee's name or by whether the assessor
may decide, in a fixed number of queries whatever its length."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

import pytest

from accreditation.models import AccreditationApplication
from accreditation.views.assessment import APPLICATIONS_PER_PAGE

from .award_builders import make_assessor
from .factories import SupervisedReviewFactory, default_scheme, make_trainee
from .test_assessment_pages import QUEUE_QUERIES

URL = reverse("accreditation:assessment_queue")


def _waiting(count: int, supervisor, *, start: int = 0, name: str = "Queue Trainee"):
    """``count`` applications waiting for a decision, the first submitted longest ago."""
    first = timezone.now() - timedelta(days=100)
    applications = []
    for number in range(start, start + count):
        trainee = make_trainee(f"{name} {number:02}", f"{name[:1]}{number}@example.org".lower())
        applications.append(
            AccreditationApplication.objects.create(
                trainee=trainee,
                review=SupervisedReviewFactory(trainee=trainee, supervisor=supervisor),
                scheme=default_scheme(),
                status=AccreditationApplication.Status.SUBMITTED,
                submitted_at=first + timedelta(days=number),
            )
        )
    return applications


def _names(response) -> list[str]:
    return [application.trainee.full_name for application in response.context["queue"]]


@pytest.fixture
def asa(db):
    """An assessor who also supervises some trainees, and so may not decide on them."""
    return make_assessor("Asa Both", "asa@example.org", also_supervisor=True)


def test_it_shows_the_queue_a_page_at_a_time_oldest_first(client, sam, ali):
    _waiting(30, sam)
    client.force_login(ali)

    first = client.get(URL)
    second = client.get(URL, {"page": 2})

    assert APPLICATIONS_PER_PAGE == 25
    assert _names(first) == [f"Queue Trainee {n:02}" for n in range(25)]
    assert _names(second) == [f"Queue Trainee {n:02}" for n in range(25, 30)]
    assert "Showing 1–25 of 30 applications, oldest first." in first.content.decode()
    assert "Showing 26–30 of 30 applications, oldest first." in second.content.decode()
    assert 'href="?page=2"' in first.content.decode()


def test_it_finds_applications_by_the_trainees_name(client, sam, ali):
    _waiting(12, sam)
    _waiting(2, sam, start=12, name="Other Person")
    client.force_login(ali)

    response = client.get(URL, {"name": "trainee 1"})

    assert _names(response) == [f"Queue Trainee {n}" for n in (10, 11)]
    assert "Showing 1–2 of 2 applications that match, oldest first." in response.content.decode()
    assert _names(client.get(URL, {"name": "  OTHER  "})) == ["Other Person 12", "Other Person 13"]


def test_it_shows_those_the_assessor_may_decide_or_those_they_may_not(client, sam, asa):
    _waiting(3, sam)
    _waiting(2, asa, start=3, name="Supervised By Asa")
    client.force_login(asa)

    may_decide = client.get(URL, {"shows": "may_decide"})
    supervised = client.get(URL, {"shows": "supervised"})
    every = client.get(URL)

    assert _names(may_decide) == [f"Queue Trainee {n:02}" for n in range(3)]
    assert _names(supervised) == ["Supervised By Asa 03", "Supervised By Asa 04"]
    assert all(application.assessor_supervises for application in supervised.context["queue"])
    assert len(_names(every)) == 5


def test_it_keeps_the_search_on_the_next_page(client, sam, ali):
    _waiting(27, sam)
    _waiting(1, sam, start=27, name="Someone Else")
    client.force_login(ali)

    first = client.get(URL, {"name": "queue", "shows": "may_decide"})
    second = client.get(URL, {"name": "queue", "shows": "may_decide", "page": 2})

    assert 'href="?name=queue&amp;shows=may_decide&amp;page=2"' in first.content.decode()
    assert _names(second) == ["Queue Trainee 25", "Queue Trainee 26"]


def test_it_says_so_when_nothing_waits_or_nothing_matches(client, sam, ali):
    client.force_login(ali)
    assert "No applications are waiting for a decision." in client.get(URL).content.decode()

    _waiting(1, sam)

    html = client.get(URL, {"name": "Nobody"}).content.decode()
    assert "No waiting applications match." in html
    assert "No applications are waiting for a decision." not in html
    assert "Queue Trainee 00" not in html


def test_it_leaves_out_a_choice_it_does_not_know_and_says_so(client, sam, ali):
    _waiting(2, sam)
    client.force_login(ali)

    response = client.get(URL, {"name": "01", "shows": "everything"})

    assert _names(response) == ["Queue Trainee 01"]
    assert "Show must be one of the options given." in response.content.decode()


def test_it_runs_the_same_queries_on_the_first_and_a_later_page(
    client, sam, ali, django_assert_num_queries
):
    _waiting(60, sam)
    client.force_login(ali)
    client.get(URL)  # the first request after signing in also touches the session

    with django_assert_num_queries(QUEUE_QUERIES):
        first = client.get(URL)
    with django_assert_num_queries(QUEUE_QUERIES):
        later = client.get(URL, {"page": 3, "name": "trainee", "shows": "may_decide"})

    assert len(_names(first)) == 25
    assert _names(later) == [f"Queue Trainee {n}" for n in range(50, 60)]

"""The supervisor's sign-off queue: the stages waiting longest, and the reviews they supervise a
page at a time, found by a trainee's name and by how far their stages are signed off, in a
fixed number of queries whatever their number."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from accreditation.models import ReviewStage
from accreditation.views.supervision import REVIEWS_PER_PAGE, WAITING_SHOWN

from .factories import SupervisedReviewFactory, make_trainee

URL = reverse("accreditation:supervisor_queue")
Status = ReviewStage.Status
FIRST_DAY = date(2025, 1, 1)
# Those of the page with a short queue: one counts the reviews supervised, for their pages.
QUEUE_QUERIES = 13


def _reviews(supervisor, count: int, *, start: int = 0, name: str = "Trainee"):
    """``count`` reviews, each started a day after the one before, led by "<name> <number>"."""
    return [
        SupervisedReviewFactory(
            trainee=make_trainee(f"{name} {number:02}", f"{name[:2]}{number}@example.org".lower()),
            supervisor=supervisor,
            case_reference=f"Case {number:02}",
            start_date=FIRST_DAY + timedelta(days=number),
        )
        for number in range(start, start + count)
    ]


def _submit_first_stage(reviews, *, days_ago_from: int = 100):
    now = timezone.now()
    for index, review in enumerate(reviews):
        ReviewStage.objects.filter(review=review, sort_order=1).update(
            status=Status.SUBMITTED, submitted_at=now - timedelta(days=days_ago_from - index)
        )


def _cases(response) -> list[str]:
    return [review.case_reference for review in response.context["reviews"]]


def _waiting_cases(response) -> list[str]:
    return [stage.review.case_reference for stage in response.context["waiting"].stages]


def test_it_lists_the_reviews_a_page_at_a_time_latest_started_first(client, sam):
    _reviews(sam, 30)
    client.force_login(sam)

    first = client.get(URL)
    second = client.get(URL, {"page": 2})

    assert REVIEWS_PER_PAGE == 25
    assert _cases(first) == [f"Case {n:02}" for n in range(29, 4, -1)]
    assert _cases(second) == [f"Case {n:02}" for n in range(4, -1, -1)]
    assert "Showing 1–25 of 30 reviews, latest started first." in first.content.decode()
    assert "Showing 26–30 of 30 reviews, latest started first." in second.content.decode()


def test_it_shows_the_stages_waiting_longest_and_how_many_wait(client, sam):
    reviews = _reviews(sam, WAITING_SHOWN + 3)
    _submit_first_stage(reviews)
    client.force_login(sam)

    response = client.get(URL)

    waiting = response.context["waiting"]
    assert (len(waiting.stages), waiting.total) == (WAITING_SHOWN, WAITING_SHOWN + 3)
    assert _waiting_cases(response) == [f"Case {n:02}" for n in range(WAITING_SHOWN)]
    assert (
        f"The {WAITING_SHOWN} waiting longest of {WAITING_SHOWN + 3} are shown."
        in response.content.decode()
    )
    # A search by name finds one past those shown.
    found = client.get(URL, {"name": f"trainee {WAITING_SHOWN + 2}"})
    assert _waiting_cases(found) == [f"Case {WAITING_SHOWN + 2}"]
    assert _cases(found) == [f"Case {WAITING_SHOWN + 2}"]
    assert "waiting longest of" not in found.content.decode()


def test_it_finds_a_trainee_as_lead_or_as_partner(client, sam, tess, pat, uma):
    led = SupervisedReviewFactory(trainee=tess, partner=pat, supervisor=sam, case_reference="K")
    SupervisedReviewFactory(trainee=uma, supervisor=sam, case_reference="M")
    _submit_first_stage([led])
    client.force_login(sam)

    by_partner = client.get(URL, {"name": "PAT"})
    by_other = client.get(URL, {"name": "uma"})

    assert _cases(by_partner) == ["K"] and _waiting_cases(by_partner) == ["K"]
    assert _cases(by_other) == ["M"] and _waiting_cases(by_other) == []
    assert "No stage of a trainee with that name is waiting for you." in by_other.content.decode()


def test_it_lists_the_reviews_by_how_far_they_are_signed_off(client, sam):
    waiting, under_way, signed_off = _reviews(sam, 3)
    _submit_first_stage([waiting])
    ReviewStage.objects.filter(review=under_way, sort_order=1).update(status=Status.APPROVED)
    ReviewStage.objects.filter(review=signed_off).update(status=Status.APPROVED)
    client.force_login(sam)

    assert _cases(client.get(URL, {"shows": "waiting"})) == ["Case 00"]
    assert _cases(client.get(URL, {"shows": "under_way"})) == ["Case 01", "Case 00"]
    response = client.get(URL, {"shows": "signed_off"})
    assert _cases(response) == ["Case 02"]
    assert "Showing 1–1 of 1 review that matches" in response.content.decode()
    # The stages waiting are listed whatever reviews are.
    assert _waiting_cases(response) == ["Case 00"]


def test_it_keeps_the_search_on_the_next_page(client, sam):
    _reviews(sam, 27)
    _reviews(sam, 1, start=27, name="Other")
    client.force_login(sam)

    first = client.get(URL, {"name": "trainee", "shows": "under_way"})
    second = client.get(URL, {"name": "trainee", "shows": "under_way", "page": 2})

    assert 'href="?name=trainee&amp;shows=under_way&amp;page=2"' in first.content.decode()
    assert _cases(second) == ["Case 01", "Case 00"]


def test_it_says_so_when_there_is_nothing_to_show(client, sam):
    client.force_login(sam)
    html = client.get(URL).content.decode()
    assert "You do not supervise any reviews yet." in html
    assert "Nothing is waiting for you." in html

    _reviews(sam, 1)

    html = client.get(URL, {"name": "Nobody"}).content.decode()
    assert "None of your reviews match." in html
    assert "You do not supervise any reviews yet." not in html
    html = client.get(URL, {"name": "Trainee", "shows": "everything"}).content.decode()
    assert "Reviews to list must be one of the options given." in html
    assert "Showing 1–1 of 1 review that matches" in html


def test_it_runs_the_same_queries_on_the_first_and_a_later_page(
    client, sam, django_assert_num_queries
):
    reviews = _reviews(sam, 60)
    _submit_first_stage(reviews[:10])
    client.force_login(sam)
    client.get(URL)

    with django_assert_num_queries(QUEUE_QUERIES):
        first = client.get(URL)
    with django_assert_num_queries(QUEUE_QUERIES):
        later = client.get(URL, {"page": 3, "name": "trainee", "shows": "under_way"})

    assert len(_cases(first)) == 25 and len(_waiting_cases(first)) == 10
    assert _cases(later) == [f"Case {n:02}" for n in range(9, -1, -1)]

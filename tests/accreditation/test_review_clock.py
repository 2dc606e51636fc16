"""The statutory clock and the review's details page: the target date, the milestones, a themed
review's case references, and every bad input refused with its message on the field."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry

import pytest

from accreditation.exceptions import TransitionError
from accreditation.models import ReviewCase, ReviewType, SupervisedReview
from accreditation.services.clock import ReviewDetailsError, review_details_update
from accreditation.services.reviews import review_create

from .award_builders import make_ready, submit
from .factories import SupervisedReviewFactory

pytestmark = pytest.mark.django_db


def _url(review) -> str:
    return reverse("accreditation:review_details_edit", args=[review.pk])


def _date(name: str, day: date | None) -> dict:
    if day is None:
        return {f"{name}_day": "", f"{name}_month": "", f"{name}_year": ""}
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def _post(**values) -> dict:
    data = {}
    for name in (
        "incident_notified_on",
        "rapid_review_on",
        "decision_on",
        "target_publication_date",
        "board_agreed_on",
        "published_on",
    ):
        data.update(_date(name, values.pop(name, None)))
    if values.pop("is_statutory", False):
        data["is_statutory"] = "on"
    data.update(values)
    return data


def _themed(tess, sam, **extra) -> SupervisedReview:
    return SupervisedReviewFactory(
        trainee=tess, supervisor=sam, review_type="themed", case_reference="Themed 1", **extra
    )


# The target date ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "decision, target",
    [
        (date(2026, 2, 10), date(2026, 8, 10)),
        (date(2026, 8, 31), date(2027, 2, 28)),  # no 31 February: the month's last day
        (date(2027, 8, 31), date(2028, 2, 29)),  # a leap year
        (date(2026, 3, 31), date(2026, 9, 30)),
        (date(2026, 9, 30), date(2027, 3, 30)),
    ],
)
def test_it_sets_a_statutory_target_six_months_from_the_decision(review, tess, decision, target):
    review_details_update(
        review=review, user=tess, is_statutory=True, decision_on=decision, today=date(2028, 3, 1)
    )
    review.refresh_from_db()
    assert review.target_publication_date == target


def test_it_moves_a_statutory_target_with_the_decision_and_ignores_one_typed(review, tess):
    review_details_update(
        review=review,
        user=tess,
        is_statutory=True,
        decision_on=date(2026, 1, 5),
        target_publication_date=date(2030, 1, 1),
    )
    review.refresh_from_db()
    assert review.target_publication_date == date(2026, 7, 5)


@pytest.mark.parametrize(
    "code, months, target",
    [
        ("full", 6, date(2026, 7, 12)),
        ("intensive", 4, date(2026, 5, 12)),
        ("speed_plus", 3, date(2026, 4, 12)),
    ],
)
def test_it_defaults_a_non_statutory_target_to_the_types_duration(tess, sam, code, months, target):
    review = SupervisedReviewFactory(trainee=tess, supervisor=sam, review_type=code)
    assert ReviewType.objects.get(code=code).expected_duration_months == months
    assert review.start_date == date(2026, 1, 12)
    assert review.target_publication_date == target


def test_it_falls_back_to_the_default_when_the_target_is_left_blank(review, tess):
    review_details_update(review=review, user=tess, target_publication_date=date(2026, 12, 1))
    review.refresh_from_db()
    assert review.target_publication_date == date(2026, 12, 1)
    review_details_update(review=review, user=tess, target_publication_date=None)
    review.refresh_from_db()
    assert review.target_publication_date == date(2026, 7, 12)


def test_it_returns_to_the_types_duration_when_a_review_comes_off_the_statutory_clock(review, tess):
    review_details_update(review=review, user=tess, is_statutory=True, decision_on=date(2026, 3, 1))
    review.refresh_from_db()
    assert review.target_publication_date == date(2026, 9, 1)
    review_details_update(review=review, user=tess, is_statutory=False)
    review.refresh_from_db()
    assert review.target_publication_date == date(2026, 7, 12)


# Bad input, at the service ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "values, field, words",
    [
        ({"is_statutory": True}, "decision_on", "enter the date they decided"),
        (
            {"incident_notified_on": date(2026, 3, 1), "rapid_review_on": date(2026, 2, 1)},
            "rapid_review_on",
            "The rapid review cannot be before the serious incident was notified on 1 March 2026.",
        ),
        (
            {"rapid_review_on": date(2026, 3, 1), "decision_on": date(2026, 2, 1)},
            "decision_on",
            "before the rapid review on 1 March 2026.",
        ),
        (
            {"board_agreed_on": date(2026, 5, 10), "published_on": date(2026, 5, 9)},
            "published_on",
            "The report cannot be published before the board agreed it on 10 May 2026.",
        ),
        (
            {"published_on": timezone.localdate() + timedelta(days=1)},
            "published_on",
            "The publication date must be today or in the past.",
        ),
        (
            {"board_agreed_on": timezone.localdate() + timedelta(days=1)},
            "board_agreed_on",
            "must be today or in the past.",
        ),
    ],
)
def test_it_refuses_bad_dates_naming_the_field(review, tess, values, field, words):
    before = SupervisedReview.objects.values().get(pk=review.pk)
    with pytest.raises(ReviewDetailsError) as refused:
        review_details_update(review=review, user=tess, **values)
    assert words in refused.value.problems[field]
    assert SupervisedReview.objects.values().get(pk=review.pk) == before


def test_it_refuses_a_themed_review_without_a_case_reference(tess, sam):
    review = _themed(tess, sam, cases=["Child A"])
    with pytest.raises(ReviewDetailsError) as refused:
        review_details_update(review=review, user=tess, cases=[])
    assert refused.value.problems["cases"] == (
        "A themed review covers several cases: add at least one case reference."
    )
    with pytest.raises(ReviewDetailsError):
        review_create(
            trainee=tess,
            supervisor=sam,
            commissioning_organisation=review.commissioning_organisation,
            case_reference="Themed 2",
            review_type="themed",
            start_date=date(2026, 1, 1),
            cases=[],
        )
    assert list(ReviewCase.objects.values_list("reference", flat=True)) == ["Child A"]


def test_it_refuses_a_case_reference_longer_than_60_characters(tess, sam):
    review = _themed(tess, sam, cases=["Child A"])
    with pytest.raises(ReviewDetailsError) as refused:
        review_details_update(review=review, user=tess, cases=["Child B", "x" * 61])
    assert "at most 60" in refused.value.problems["cases"]
    review_details_update(review=review, user=tess, cases=["Child B", "x" * 60])
    assert list(review.cases.values_list("reference", flat=True)) == ["Child B", "x" * 60]


def test_it_keeps_a_themed_reviews_cases_in_order_and_logs_the_change(tess, sam):
    review = _themed(tess, sam, cases=["Child A", "Child B"])
    review_details_update(review=review, user=sam, cases=["Child C", "Child A", "Child B"])
    assert list(review.cases.values_list("reference", "sort_order")) == [
        ("Child C", 1),
        ("Child A", 2),
        ("Child B", 3),
    ]
    entry = ModelLogEntry.objects.get(action="accreditation.review.details", user=sam)
    assert entry.data == {"changed": ["cases"]}


def test_it_lets_only_the_lead_reviewers_and_supervisor_change_the_details(review, uma):
    with pytest.raises(TransitionError, match="Only the lead reviewers and their supervisor"):
        review_details_update(review=review, user=uma, published_report_url="https://x.org")


def test_it_refuses_changes_while_an_application_rests_on_the_review(client, review, tess):
    make_ready(tess, review)
    submit(tess)
    with pytest.raises(TransitionError, match="waiting for a decision"):
        review_details_update(review=review, user=tess, board_agreed_on=date(2026, 6, 1))
    client.force_login(tess)
    page = client.get(_url(review)).content.decode()
    assert 'id="locked"' in page and "Save the review's details" not in page
    response = client.post(_url(review), _post(board_agreed_on=date(2026, 6, 1)))
    assert response.status_code == 200
    assert "waiting for a decision" in response.content.decode()
    review.refresh_from_db()
    assert review.board_agreed_on is None


# The page -------------------------------------------------------------------------------------


def test_it_saves_the_details_from_the_page(client, review, pat):
    client.force_login(pat)
    page = client.get(_url(review))
    assert page.status_code == 200
    assert "Target publication date" in page.content.decode()
    response = client.post(
        _url(review),
        _post(
            is_statutory=True,
            incident_notified_on=date(2026, 1, 2),
            rapid_review_on=date(2026, 1, 20),
            decision_on=date(2026, 2, 3),
            board_agreed_on=date(2026, 7, 1),
            published_on=date(2026, 7, 20),
            published_report_url="www.example.org/report.pdf",
        ),
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/reviews/{review.pk}/#details")
    review.refresh_from_db()
    assert review.is_statutory
    assert review.target_publication_date == date(2026, 8, 3)
    assert review.published_report_url == "https://www.example.org/report.pdf"
    # A statutory review's target is shown computed, not asked for.
    html = client.get(_url(review)).content.decode()
    assert 'id="target-computed"' in html and "target_publication_date_day" not in html
    detail = client.get(reverse("accreditation:review_detail", args=[review.pk])).content.decode()
    assert "Yes: a child safeguarding practice review" in detail
    assert "https://www.example.org/report.pdf" in detail


def test_it_shows_each_refusal_beside_its_field_and_keeps_what_was_typed(client, review, tess):
    client.force_login(tess)
    response = client.post(
        _url(review),
        _post(
            board_agreed_on=date(2026, 5, 10),
            published_on=date(2026, 5, 9),
            published_report_url="https://example.org/r",
            incident_notified_on=date(2026, 3, 1),
            rapid_review_on=date(2026, 2, 1),
        ),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["published_on"] == [
        "The report cannot be published before the board agreed it on 10 May 2026."
    ]
    assert "rapid_review_on" in form.errors
    html = response.content.decode()
    assert 'href="#id_published_on_0"' in html  # the error summary links to the field
    assert 'value="https://example.org/r"' in html
    assert 'name="published_on_year" value="2026"' in html
    review.refresh_from_db()
    assert review.published_on is None


def test_it_asks_for_the_decision_of_a_statutory_review_on_the_page(client, review, tess):
    client.force_login(tess)
    response = client.post(_url(review), _post(is_statutory=True))
    assert "decision_on" in response.context["form"].errors
    assert not SupervisedReview.objects.get(pk=review.pk).is_statutory


def test_it_asks_a_themed_review_for_its_cases_on_the_page(client, tess, sam):
    review = _themed(tess, sam, cases=["Child A", "Child B"])
    client.force_login(tess)
    page = client.get(_url(review)).content.decode()
    assert "Child A\nChild B" in page
    response = client.post(_url(review), _post(case_references="  \n "))
    assert response.context["form"].errors["case_references"] == [
        "A themed review covers several cases: add at least one case reference."
    ]
    response = client.post(_url(review), _post(case_references="Child A\n" + "y" * 61))
    assert "at most 60" in response.context["form"].errors["case_references"][0]
    response = client.post(_url(review), _post(case_references=" Child D \n\nChild A\n"))
    assert response.status_code == 302
    assert list(review.cases.values_list("reference", flat=True)) == ["Child D", "Child A"]
    detail = client.get(reverse("accreditation:review_detail", args=[review.pk])).content.decode()
    assert "<li>Child D</li>" in detail


def test_it_shows_the_days_left_until_the_report_is_approved(client, review, tess):
    client.force_login(tess)
    target = timezone.localdate() + timedelta(days=12)
    SupervisedReview.objects.filter(pk=review.pk).update(target_publication_date=target)
    html = client.get(reverse("accreditation:review_detail", args=[review.pk])).content.decode()
    assert "12 days left" in html
    assert "Change the review&#x27;s details" in html or "Change the review's details" in html
    SupervisedReview.objects.filter(pk=review.pk).update(
        target_publication_date=timezone.localdate() - timedelta(days=3)
    )
    html = client.get(reverse("accreditation:review_detail", args=[review.pk])).content.decode()
    assert "3 days overdue" in html
    review.stages.filter(sort_order=5).update(status="approved")
    html = client.get(reverse("accreditation:review_detail", args=[review.pk])).content.decode()
    assert "overdue" not in html and "days left" not in html


def test_it_offers_the_change_link_only_to_those_who_keep_the_records(client, review, ada):
    client.force_login(ada)
    html = client.get(reverse("accreditation:review_detail", args=[review.pk])).content.decode()
    assert "change-details" not in html


def test_it_shows_a_themed_review_page_in_constant_queries(
    client, tess, sam, django_assert_num_queries
):
    review = _themed(tess, sam, cases=["Child A"])
    client.force_login(tess)
    url = reverse("accreditation:review_detail", args=[review.pk])
    client.get(url)
    # The review page's 11 queries, and one for the themed review's cases.
    with django_assert_num_queries(12):
        assert client.get(url).status_code == 200
    review_details_update(review=review, user=tess, cases=[f"Child {n}" for n in range(20)])
    with django_assert_num_queries(12):
        response = client.get(url)
    assert len(response.context["cases"]) == 20


def test_it_refuses_a_decision_after_a_conversation_or_meeting_already_recorded(review, tess):
    from accreditation.services.conduct import (
        conversation_create,
        meeting_create,
        participant_create,
    )

    nurse = participant_create(review=review, user=tess, role="Health visitor", agency="Health")
    conversation_create(
        review=review,
        user=tess,
        date=date(2026, 3, 2),
        status="held",
        participants=[nurse],
        lead_reviewer=tess,
    )
    meeting_create(review=review, user=tess, kind="review_team", date=date(2026, 2, 20))
    before = SupervisedReview.objects.values().get(pk=review.pk)

    with pytest.raises(ReviewDetailsError) as refused:
        review_details_update(
            review=review, user=tess, is_statutory=True, decision_on=date(2026, 3, 10)
        )

    assert refused.value.problems["decision_on"].startswith(
        "The review-team meeting on 20 February 2026 is before this date"
    )
    assert SupervisedReview.objects.values().get(pk=review.pk) == before
    review_details_update(review=review, user=tess, is_statutory=True, decision_on=date(2026, 2, 1))
    review.refresh_from_db()
    assert review.target_publication_date == date(2026, 8, 1)

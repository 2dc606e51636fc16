"""Reviews at risk: within 30 days of their target publication date or past it, with the Report
stage (the final one) not approved. On the supervisor's queue, the programme dashboard and the
supervisor's Monday digest."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest
import time_machine

from accreditation.events import AccreditationEvent
from accreditation.models import ReviewStage, SupervisedReview
from accreditation.selectors.clock import reviews_at_risk, reviews_at_risk_for_programme
from accreditation.selectors.reminders import supervisor_digests
from accreditation.services.reminders import supervisor_digests_send
from notifications.models import Notification

from .factories import SupervisedReviewFactory, make_trainee

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)


def _target(review, day: date) -> SupervisedReview:
    SupervisedReview.objects.filter(pk=review.pk).update(target_publication_date=day)
    return review


def _approve_report(review) -> None:
    ReviewStage.objects.filter(review=review).update(status=ReviewStage.Status.APPROVED)


def _reviews(supervisor, count: int, *, start: int = 0, days_left: int = 5):
    made = []
    for n in range(start, start + count):
        trainee = make_trainee(f"Trainee {n}", f"t{n}@example.org")
        review = SupervisedReviewFactory(
            trainee=trainee, supervisor=supervisor, case_reference=f"Child R{n}"
        )
        made.append(_target(review, timezone.localdate() + timedelta(days=days_left + n)))
    return made


# The list -------------------------------------------------------------------------------------


def test_it_lists_reviews_within_30_days_or_past_most_urgent_first(sam, tess, pat, uma, sid):
    day = TODAY
    boundary = _target(SupervisedReviewFactory(trainee=tess, supervisor=sam), day + timedelta(30))
    too_far = _target(SupervisedReviewFactory(trainee=pat, supervisor=sam), day + timedelta(31))
    overdue = _target(SupervisedReviewFactory(trainee=uma, supervisor=sid), day - timedelta(3))
    due = _target(SupervisedReviewFactory(supervisor=sid), day)
    found = list(reviews_at_risk(reviews=SupervisedReview.objects.all(), today=day))
    assert [review.pk for review in found] == [overdue.pk, due.pk, boundary.pk]
    assert [review.time_to_target.days for review in found] == [-3, 0, 30]
    assert too_far.pk not in {review.pk for review in found}


def test_it_leaves_out_a_review_whose_report_is_approved(sam, tess, pat):
    approved = _target(SupervisedReviewFactory(trainee=tess, supervisor=sam), TODAY)
    _approve_report(approved)
    # Every stage but the Report approved: still at risk.
    writing = _target(SupervisedReviewFactory(trainee=pat, supervisor=sam), TODAY)
    ReviewStage.objects.filter(review=writing).exclude(sort_order=5).update(status="approved")
    found = list(reviews_at_risk(reviews=SupervisedReview.objects.all(), today=TODAY))
    assert [review.pk for review in found] == [writing.pk]


def test_it_keeps_to_the_reviews_it_is_given(sam, sid, tess, uma):
    mine = _target(SupervisedReviewFactory(trainee=tess, supervisor=sam), TODAY)
    _target(SupervisedReviewFactory(trainee=uma, supervisor=sid), TODAY)
    found = reviews_at_risk(reviews=SupervisedReview.objects.filter(supervisor=sam), today=TODAY)
    assert [review.pk for review in found] == [mine.pk]


# The supervisor's queue -----------------------------------------------------------------------


def test_it_shows_the_supervisor_their_reviews_at_risk(client, sam, review, other_review):
    client.force_login(sam)
    url = reverse("accreditation:supervisor_queue")
    _target(review, timezone.localdate() + timedelta(days=31))
    html = client.get(url).content.decode()
    assert "Reviews near or past their target" in html
    assert "None of your reviews is near or past its target." in html
    _target(review, timezone.localdate() - timedelta(days=4))
    _target(other_review, timezone.localdate())
    response = client.get(url)
    assert [r.pk for r in response.context["at_risk"]] == [review.pk]
    assert "4 days overdue" in response.content.decode()


# The programme dashboard ----------------------------------------------------------------------

# The dashboard's own queries (this world has no cohorts), and one for the first 50 reviews at
# risk.
DASHBOARD_QUERIES = 19


def test_it_shows_the_dashboard_a_bounded_list_in_constant_queries(
    client, ada, sam, django_assert_num_queries
):
    client.force_login(ada)
    url = reverse("accreditation:dashboard")
    _reviews(sam, 3)
    client.get(url)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(url)
    assert response.context["at_risk"].total == 3
    html = response.content.decode()
    assert "Child R0" in html and "Sam Supervisor" in html and "5 days left" in html
    _reviews(sam, 50, start=3, days_left=-40)
    with django_assert_num_queries(DASHBOARD_QUERIES + 1):  # counting them all, past the 50
        response = client.get(url)
    at_risk = response.context["at_risk"]
    assert (len(at_risk.reviews), at_risk.total) == (50, 53)
    assert "The first 50 of 53 are shown." in response.content.decode()
    # The most overdue first: Child R3 was due 37 days ago.
    assert at_risk.reviews[0].case_reference == "Child R3"


def test_it_says_when_no_review_is_at_risk_on_the_dashboard(client, ada, review):
    client.force_login(ada)
    _target(review, timezone.localdate() + timedelta(days=31))
    html = client.get(reverse("accreditation:dashboard")).content.decode()
    assert "No review is near or past its target." in html
    assert reviews_at_risk_for_programme(today=timezone.localdate()).total == 0


# The Monday digest ----------------------------------------------------------------------------

LONDON = ZoneInfo("Europe/London")
MONDAY = datetime(2026, 6, 1, 8, 0, tzinfo=LONDON)


def test_it_sends_a_digest_to_a_supervisor_with_only_reviews_at_risk(
    review, other_review, sam, sid, django_capture_on_commit_callbacks
):
    assert MONDAY.weekday() == 0
    _target(review, date(2026, 6, 20))
    _target(other_review, date(2026, 9, 1))
    with time_machine.travel(MONDAY, tick=False):
        assert set(supervisor_digests(idle_since=MONDAY - timedelta(days=30), today=TODAY)) == {
            sam.pk
        }
        with django_capture_on_commit_callbacks(execute=True):
            assert supervisor_digests_send() == 1
    (digest,) = Notification.objects.filter(event=AccreditationEvent.SUPERVISOR_DIGEST)
    assert digest.recipient == sam
    assert digest.context["at_risk_review_ids"] == [review.pk]
    (email,) = [m for m in mail.outbox if m.to == [sam.email]]
    assert email.subject.endswith("1 review near or past its target")
    assert "Reviews near or past their target:" in email.body
    assert "Review Child K: publication expected by 20 June 2026, 19 days left" in email.body
    html = email.alternatives[0][0]
    assert "<h2>Reviews near or past their target</h2>" in html


def test_it_leaves_a_reported_review_out_of_the_digest(review, sam):
    _target(review, date(2026, 5, 1))
    _approve_report(review)
    with time_machine.travel(MONDAY, tick=False):
        assert supervisor_digests(idle_since=MONDAY - timedelta(days=30), today=TODAY) == {}

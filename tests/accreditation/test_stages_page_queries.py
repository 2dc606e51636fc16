"""The review page, the stage page and the supervisor's queue in a constant number of queries."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

import pytest

from accreditation.models import Evidence, ReviewStage
from accreditation.services.evidence import evidence_add_note

from .factories import SupervisedReviewFactory, make_trainee, stage

pytestmark = pytest.mark.django_db
Status = ReviewStage.Status


def _add_notes(review, user, n):
    s = stage(review, 1)
    evidence_add_note(stage=s, user=user, title="First", note="x")
    Evidence.objects.bulk_create(
        Evidence(stage=s, kind="note", title=f"Note {i}", note="x", uploaded_by=user)
        for i in range(n - 1)
    )


# One query counts what the review's type expects (its conversations, case group and meetings).
# Sam's page costs one more query than Tess's: staff roles must have an authenticator, and the
# two-factor check looks for it on every request.
@pytest.mark.parametrize("persona, queries", [("tess", 12), ("sam", 13)])
def test_it_shows_the_stage_page_in_constant_queries(
    client, review, tess, pat, persona, queries, request, django_assert_num_queries
):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("accreditation:stage_detail", args=[stage(review, 1).pk])
    _add_notes(review, tess, 5)
    client.get(url)  # the first request draws the site's menu
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    Evidence.objects.bulk_create(
        Evidence(stage=stage(review, 1), kind="note", title=f"More {i}", note="x", uploaded_by=pat)
        for i in range(45)
    )
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert len(response.context["evidence"]) == 50


def test_it_shows_the_register_stages_in_constant_queries(
    client, review, tess, django_assert_num_queries
):
    from accreditation.services.registers import episode_create

    from .conduct_helpers import conversation, participant

    client.force_login(tess)
    url = reverse("accreditation:stage_detail", args=[stage(review, 3).pk])
    talk = conversation(review, tess, [participant(review, tess)])
    episode_create(
        stage=stage(review, 3),
        user=tess,
        title="E0",
        what_happened="x",
        assessment="good",
        conversations=[talk],
    )
    # The conversations each episode rests on and who each was with (two), and what the
    # review's type expects (one).
    client.get(url)  # the first request draws the site's menu
    with django_assert_num_queries(16):
        assert client.get(url).status_code == 200
    for i in range(1, 20):
        more = conversation(review, tess, [participant(review, tess, role=f"Role {i}")])
        episode_create(
            stage=stage(review, 3),
            user=tess,
            title=f"E{i}",
            what_happened="x",
            assessment="good",
            conversations=[talk, more],
        )
    with django_assert_num_queries(16):
        response = client.get(url)
    assert len(response.context["episodes"]) == 20


def test_it_shows_the_review_page_in_constant_queries(
    client, review, tess, django_assert_num_queries
):
    client.force_login(tess)
    url = reverse("accreditation:review_detail", args=[review.pk])
    _add_notes(review, tess, 5)
    # One of these counts the review's people, conversations and meetings ("Running the review").
    client.get(url)  # the first request draws the site's menu
    with django_assert_num_queries(11):
        assert client.get(url).status_code == 200
    _add_notes(review, tess, 50)
    with django_assert_num_queries(11):
        assert client.get(url).status_code == 200


def _waiting_reviews(sam, n, start):
    now = timezone.now()
    for i in range(n):
        trainee = make_trainee(f"Trainee {start + i}", f"t{start + i}@example.org")
        r = SupervisedReviewFactory(trainee=trainee, supervisor=sam)
        ReviewStage.objects.filter(review=r, sort_order=1).update(
            status=Status.SUBMITTED, submitted_at=now - timedelta(days=start + i)
        )


def test_it_shows_the_queue_oldest_first_in_constant_queries(
    client, sam, django_assert_num_queries
):
    client.force_login(sam)
    url = reverse("accreditation:supervisor_queue")
    _waiting_reviews(sam, 5, 0)
    # One of them lists the reviews near or past their target, and one counts the reviews
    # supervised, for their pages.
    client.get(url)  # the first request draws the site's menu
    with django_assert_num_queries(13):
        assert len(client.get(url).context["waiting"].stages) == 5
    _waiting_reviews(sam, 45, 5)
    # One more counts the stages waiting, past the 25 shown (those waiting longest).
    with django_assert_num_queries(14):
        response = client.get(url)
    waiting = response.context["waiting"]
    assert (len(waiting.stages), waiting.total) == (25, 50)
    submitted = [s.submitted_at for s in waiting.stages]
    assert submitted == sorted(submitted)
    assert "Trainee 49" in response.content.decode()


# The conversations each episode rests on (none here, so who they were with is not read), and
# what the review's type expects: one query each.
@pytest.mark.parametrize("persona, queries", [("tess", 18), ("sam", 19)])
def test_it_shows_the_findings_stage_in_constant_queries(
    client, review, tess, sam, persona, queries, request, django_assert_num_queries
):
    """The findings, each with its category, episodes and issues, and every episode with its
    factors and their levels: a fixed number of queries however many there are."""
    from accreditation.services.registers import episode_create, finding_create

    from .factories import categories, finding_categories

    def add(n):
        for i in range(n):
            episode = episode_create(
                stage=stage(review, 3),
                user=tess,
                title=f"E{i}",
                what_happened="x",
                assessment="good",
                factors=dict.fromkeys(categories()[:3], "Because."),
            )
            finding_create(
                stage=stage(review, 4),
                user=tess,
                title=f"F{i}",
                category=finding_categories()[i % 6],
                in_this_case="x",
                episodes=[episode],
                issues_for_board=["One?", "Two?"],
            )

    client.force_login(request.getfixturevalue(persona))
    url = reverse("accreditation:stage_detail", args=[stage(review, 4).pk])
    add(1)
    client.get(url)  # the first request draws the site's menu
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    add(10)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert len(response.context["findings"]) == 11

"""The supervisor's recommendation page: a form per trainee of the pair and the history; a
refusal keeps what was typed; the assessor reads the latest in the portfolio."""

from django.urls import reverse

import pytest

from accreditation.models import ReviewStage, SupervisorRecommendation

from .award_builders import approve_all_stages, make_ready, recommend, submit

pytestmark = pytest.mark.django_db
# Session and user, the review, its recommendations, the last stage, and the page's shared
# parts (navigation, notifications): fixed however many recommendations there are.
RECOMMENDATION_QUERIES = 12


def _url(review):
    return reverse("accreditation:recommendation", args=[review.pk])


def _post(client, review, trainee, *, ready="ready", statement="Ready: careful analysis."):
    return client.post(
        _url(review),
        {
            "trainee": trainee.pk,
            f"trainee-{trainee.pk}-ready": ready,
            f"trainee-{trainee.pk}-statement": statement,
        },
    )


def test_it_links_the_supervisor_to_the_page_from_the_review(client, review, sam, tess):
    client.force_login(sam)
    html = client.get(reverse("accreditation:review_detail", args=[review.pk])).content.decode()
    assert _url(review) in html

    client.force_login(tess)
    html = client.get(reverse("accreditation:review_detail", args=[review.pk])).content.decode()
    assert _url(review) not in html


def test_it_records_for_each_trainee_and_shows_the_history(client, review, sam, tess, pat):
    approve_all_stages(review)
    client.force_login(sam)

    assert _post(client, review, pat, ready="not_yet", statement="Not yet.").status_code == 302
    assert _post(client, review, pat, statement="Ready now.").status_code == 302
    assert _post(client, review, tess).status_code == 302

    assert SupervisorRecommendation.objects.filter(trainee=pat).count() == 2
    html = client.get(_url(review)).content.decode()
    pat_section = html[html.index("Pat Partner</h2>") :]
    assert pat_section.index("Ready now.") < pat_section.index("Not yet.")
    assert "Tess Trainee</h2>" in html


def test_it_refuses_before_the_last_stage_and_keeps_what_was_typed(client, review, sam, tess):
    client.force_login(sam)

    page = client.get(_url(review)).content.decode()
    assert "once the last stage of the review has been submitted" in page
    assert "Record your recommendation" not in page

    response = _post(client, review, tess, statement="Typed and kept.")
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    assert "Typed and kept." in html
    assert not SupervisorRecommendation.objects.exists()


def test_it_needs_a_statement_on_the_page(client, review, sam, tess):
    approve_all_stages(review)
    client.force_login(sam)

    response = _post(client, review, tess, statement="")
    assert response.status_code == 400
    assert "Write a statement saying why you make this recommendation." in (
        response.content.decode()
    )
    assert not SupervisorRecommendation.objects.exists()


def test_it_prints_html_in_a_statement_as_text(client, review, sam, tess, ali):
    make_ready(tess, review)
    SupervisorRecommendation.objects.all().delete()
    recommend(tess, review, ready=True, statement="<b>Ready</b><script>x()</script>")
    application = submit(tess)

    client.force_login(sam)
    assert "<script>x()" not in client.get(_url(review)).content.decode()
    client.force_login(ali)
    portfolio = client.get(
        reverse("accreditation:assessment_portfolio", args=[application.pk])
    ).content.decode()
    assert "&lt;b&gt;Ready&lt;/b&gt;&lt;script&gt;x()&lt;/script&gt;" in portfolio


def test_it_shows_the_assessor_the_latest_recommendation(client, review, tess, ali):
    make_ready(tess, review)
    recommend(tess, review, ready=True, statement="The latest word: ready.")
    application = submit(tess)
    client.force_login(ali)

    html = client.get(
        reverse("accreditation:assessment_portfolio", args=[application.pk])
    ).content.decode()

    section = html[html.index('id="recommendation-heading"') : html.index('id="decisions-heading"')]
    assert "Ready to be accredited" in section
    assert "The latest word: ready." in section
    assert "Sam Supervisor" in section


def test_it_runs_a_fixed_number_of_queries(
    client, review, sam, tess, pat, django_assert_num_queries
):
    ReviewStage.objects.filter(review=review).update(status=ReviewStage.Status.APPROVED)
    client.force_login(sam)
    client.get(_url(review))

    with django_assert_num_queries(RECOMMENDATION_QUERIES):
        assert client.get(_url(review)).status_code == 200

    for number in range(5):
        recommend(tess, review, statement=f"Statement {number}")
        recommend(pat, review, statement=f"Statement {number}")
    with django_assert_num_queries(RECOMMENDATION_QUERIES):
        assert client.get(_url(review)).status_code == 200

"""The criteria on the pages: the trainee reads them before applying and the judgement against
each after a decision; the assessor judges each on the portfolio, and a refused approval keeps
everything typed."""

import re

from django.urls import reverse

import pytest

from accreditation.models import AccreditationApplication, Decision

from .award_builders import (
    all_met,
    criteria_form,
    criteria_of,
    make_ready,
    refer,
    submit,
)

pytestmark = pytest.mark.django_db
URL = reverse("accreditation:application")


def test_it_lists_the_criteria_for_the_trainee_before_they_apply(client, tess, review):
    make_ready(tess, review)
    client.force_login(tess)

    html = client.get(URL).content.decode()

    assert "How the assessor will judge your application" in html
    scheme = review.scheme
    criteria = list(scheme.criteria.filter(purpose="accreditation").order_by("sort_order"))
    assert len(criteria) == 5
    for criterion in criteria:
        assert criterion.title in html
    assert html.index(criteria[0].title) < html.index(criteria[-1].title)


def test_it_shows_the_trainee_the_judgement_against_each_criterion(client, tess, review, ali):
    make_ready(tess, review)
    application = submit(tess)
    first = criteria_of(application)[0]
    refer(application, ali)
    client.force_login(tess)

    html = client.get(URL).content.decode()

    decisions = html[html.index("Decisions on your application") :]
    assert "Against the criteria" in decisions
    assert "Not yet met</strong> " + first.title in decisions
    assert "Show how the findings rest on the KPEs." in decisions
    assert decisions.count(">Met</strong>") == len(criteria_of(application)) - 1


def test_it_prints_html_in_a_comment_as_text(client, tess, review, ali):
    from accreditation.services.applications import application_refer

    make_ready(tess, review)
    application = submit(tess)
    answers = all_met(application)
    first = criteria_of(application)[0]
    answers[first.pk] = (False, "<script>alert('x')</script><b>bold</b>")
    application_refer(application=application, assessor=ali, reasons="r", answers=answers)
    client.force_login(tess)

    html = client.get(URL).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in html

    client.force_login(ali)
    portfolio = client.get(reverse("accreditation:assessment_portfolio", args=[application.pk]))
    assert "<b>bold</b>" not in portfolio.content.decode()


def test_it_offers_the_assessor_every_criterion_with_its_description(client, tess, review, ali):
    make_ready(tess, review)
    application = submit(tess)
    client.force_login(ali)

    html = client.get(
        reverse("accreditation:assessment_portfolio", args=[application.pk])
    ).content.decode()

    for criterion in criteria_of(application):
        assert f'name="criterion_{criterion.pk}"' in html
        assert f'name="criterion_{criterion.pk}_comment"' in html
        assert criterion.title in html
        if criterion.description:
            assert criterion.description.splitlines()[0][:40] in html


def test_it_refuses_an_approval_on_the_page_keeping_what_was_typed(client, tess, review, ali):
    make_ready(tess, review)
    application = submit(tess)
    first = criteria_of(application)[0]
    client.force_login(ali)
    url = reverse("accreditation:assessment_decide", args=[application.pk])

    response = client.post(
        url,
        {
            "outcome": "approved",
            "reasons": "Typed reasons to keep.",
            **criteria_form(application, not_met=1, comment="Typed comment to keep."),
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Approval needs every criterion met. Not yet met: " + first.title in html
    assert "Typed reasons to keep." in html
    assert html.count("Typed comment to keep.") == len(criteria_of(application))
    assert re.search(rf'name="criterion_{first.pk}" value="not_met"[^>]*checked', html)
    application.refresh_from_db()
    assert application.status == AccreditationApplication.Status.SUBMITTED
    assert not Decision.objects.exists()


def test_it_refers_back_on_the_page_with_actions_per_criterion(client, tess, review, ali):
    make_ready(tess, review)
    application = submit(tess)
    first = criteria_of(application)[0]
    client.force_login(ali)

    response = client.post(
        reverse("accreditation:assessment_decide", args=[application.pk]),
        {
            "outcome": "referred",
            "reasons": "Nearly.",
            "required_actions": "",
            **criteria_form(application, not_met=1, comment="Add the appraisal."),
        },
    )

    assert response.status_code == 302
    decision = Decision.objects.get(application=application)
    assert decision.required_actions == f"{first.title}: Add the appraisal."


def test_it_shows_earlier_decisions_judgements_in_the_portfolio(client, tess, review, ali):
    from accreditation.services.applications import application_resubmit

    make_ready(tess, review)
    application = submit(tess)
    first = criteria_of(application)[0]
    refer(application, ali)
    application_resubmit(application=application, trainee=tess)
    client.force_login(ali)

    html = client.get(
        reverse("accreditation:assessment_portfolio", args=[application.pk])
    ).content.decode()

    earlier = html[html.index('id="decisions-heading"') : html.index('id="decide"')]
    assert "Not yet met</strong> " + first.title in earlier
    assert "Show how the findings rest on the KPEs." in earlier

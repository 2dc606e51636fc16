"""Staff create a supervised review in the Wagtail admin; its stages come from the scheme."""

from datetime import date

from django.urls import reverse

from wagtail.models import ModelLogEntry

import pytest

from accreditation.exceptions import TransitionError
from accreditation.models import ReviewStage, SupervisedReview
from accreditation.services.reviews import review_create

from ..factories import OrganisationFactory
from .factories import default_scheme

pytestmark = pytest.mark.django_db


def _form(tess, pat, supervisor, organisation, **extra):
    return {
        "scheme": default_scheme().pk,
        "trainee": tess.pk,
        "partner": pat.pk,
        "supervisor": supervisor.pk,
        "commissioning_organisation": organisation.pk,
        "case_reference": "Child Q",
        "review_type": "full",
        "start_date": "2026-04-01",
        "target_publication_date": "",
        **extra,
    }


def test_it_creates_a_review_with_the_schemes_stages(client, ada, tess, pat, sam):
    organisation = OrganisationFactory(name="Northshire Safeguarding Partnership")
    client.force_login(ada)
    add_url = reverse("supervised_reviews:add")
    page = client.get(add_url)
    assert page.status_code == 200
    assert "Never enter a child" in page.content.decode()
    response = client.post(add_url, _form(tess, pat, sam, organisation))
    assert response.status_code == 302, response.content.decode()[:2000]
    review = SupervisedReview.objects.get()
    assert (review.trainee, review.partner, review.supervisor) == (tess, pat, sam)
    assert review.target_publication_date == date(2026, 10, 1)
    titles = list(review.stages.values_list("sort_order", "definition__title", "status"))
    assert titles == [
        (1, "Preparation", "not_started"),
        (2, "Data collection", "not_started"),
        (3, "Organising and analysing data", "not_started"),
        (4, "Findings", "not_started"),
        (5, "Report", "not_started"),
    ]
    assert ModelLogEntry.objects.filter(
        action="accreditation.review.create", user=ada, object_id=str(review.pk)
    ).exists()


def test_it_refuses_a_supervisor_outside_the_supervisor_group(client, ada, tess, pat, uma):
    client.force_login(ada)
    response = client.post(
        reverse("supervised_reviews:add"), _form(tess, pat, uma, OrganisationFactory())
    )
    assert response.status_code == 200
    assert SupervisedReview.objects.count() == 0
    assert ReviewStage.objects.count() == 0


def test_it_refuses_the_trainee_as_their_own_partner(tess, sam):
    with pytest.raises(TransitionError, match="someone other than the trainee"):
        review_create(
            trainee=tess,
            partner=tess,
            supervisor=sam,
            commissioning_organisation=OrganisationFactory(),
            case_reference="Child Z",
            review_type="full",
            start_date=date(2026, 1, 1),
        )
    assert SupervisedReview.objects.count() == 0


@pytest.mark.parametrize("url_name", ["supervised_reviews:index", "accreditation_schemes:index"])
@pytest.mark.parametrize(("persona", "allowed"), [("ada", True), ("sam", False), ("tess", False)])
def test_it_opens_the_admin_screens_only_to_programme_staff(
    client, url_name, persona, allowed, request
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse(url_name))
    if allowed:
        assert response.status_code == 200
    else:
        assert response.status_code in (302, 403)


def test_it_edits_the_schemes_stages_inline(client, ada):
    client.force_login(ada)
    response = client.get(reverse("accreditation_schemes:edit", args=[default_scheme().pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Stages of a review" in content
    assert "Organising and analysing data" in content

"""Staff create a supervised review in the Wagtail admin; its stages come from the scheme."""

from datetime import date

from django.urls import reverse

from wagtail.models import ModelLogEntry
from wagtail.test.utils.form_data import inline_formset, nested_form_data

import pytest

from accreditation.exceptions import TransitionError
from accreditation.models import ReviewStage, ReviewType, SupervisedReview
from accreditation.services.reviews import review_create

from ..factories import OrganisationFactory, UserFactory
from .factories import SupervisedReviewFactory, default_scheme, make_trainee

pytestmark = pytest.mark.django_db


def _form(tess, pat, supervisor, organisation, **extra):
    return {
        "scheme": default_scheme().pk,
        "trainee": tess.pk,
        "partner": pat.pk,
        "supervisor": supervisor.pk,
        "commissioning_organisation": organisation.pk,
        "case_reference": "Child Q",
        "review_type": ReviewType.objects.get(code="full").pk,
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


def _scheme_post(scheme, stages) -> dict:
    return nested_form_data(
        {
            "name": scheme.name,
            "is_active": "on" if scheme.is_active else "",
            "course": scheme.course_id or "",
            "requires_course_completion": "on" if scheme.requires_course_completion else "",
            "min_group_sessions": scheme.min_group_sessions,
            "min_individual_sessions": scheme.min_individual_sessions,
            "requires_reflective_statement": "on" if scheme.requires_reflective_statement else "",
            "min_statement_words": scheme.min_statement_words,
            "reflective_statement_guidance": scheme.reflective_statement_guidance,
            "validity_years": scheme.validity_years,
            "renewal_evidence": scheme.renewal_evidence,
            "public_register_enabled": "on" if scheme.public_register_enabled else "",
            "min_training_days": scheme.min_training_days or "",
            "accreditation_statement": scheme.accreditation_statement,
            "appeal_window_days": scheme.appeal_window_days,
            "renewal_window_days": scheme.renewal_window_days,
            "renewal_grace_days": scheme.renewal_grace_days,
            "renewal_cpd_hours": scheme.renewal_cpd_hours,
            "renewal_reviews_required": scheme.renewal_reviews_required,
            "stages": inline_formset(stages, initial=len(stages)),
            "criteria": inline_formset(_criteria_rows(scheme), initial=scheme.criteria.count()),
        }
    )


def _criteria_rows(scheme) -> list[dict]:
    return [
        {
            "id": criterion.pk,
            "purpose": criterion.purpose,
            "title": criterion.title,
            "description": criterion.description,
        }
        for criterion in scheme.criteria.order_by("sort_order")
    ]


def _stage_rows(scheme, **changes) -> list[dict]:
    rows = []
    for definition in scheme.stages.order_by("sort_order"):
        row = {
            "id": definition.pk,
            "title": definition.title,
            "guidance": definition.guidance,
            "expected_evidence": definition.expected_evidence,
            "register": definition.register,
            "needs": definition.needs,
            "min_register_entries": definition.min_register_entries,
        }
        row.update(changes.get(definition.register or definition.title, {}))
        rows.append(row)
    return rows


def test_it_keeps_the_stages_that_reviews_have(client, ada, review):
    scheme = default_scheme()
    url = reverse("accreditation_schemes:edit", args=[scheme.pk])
    before = list(scheme.stages.values_list("pk", "title", "register"))
    client.force_login(ada)

    removed = client.post(url, _scheme_post(scheme, _stage_rows(scheme, kpe={"DELETE": "1"})))
    changed = client.post(url, _scheme_post(scheme, _stage_rows(scheme, kpe={"register": ""})))

    assert "is part of 1 review, so it cannot be removed" in removed.content.decode()
    assert "so its register cannot be changed" in changed.content.decode()
    assert list(scheme.stages.values_list("pk", "title", "register")) == before
    # A new title is fine: it shows on the review's stage too.
    renamed = client.post(
        url, _scheme_post(scheme, _stage_rows(scheme, kpe={"title": "Key practice episodes"}))
    )
    assert renamed.status_code == 302
    assert review.stages.get(definition__register="kpe").definition.title == (
        "Key practice episodes"
    )


def test_it_lists_3_and_15_reviews_in_the_same_number_of_queries(
    client, ada, sam, django_assert_num_queries
):
    def reviews(count):
        for _ in range(count):
            n = UserFactory._meta.next_sequence()
            partner = make_trainee(f"Partner {n}", f"partner{n}@example.org")
            SupervisedReviewFactory(partner=partner, supervisor=sam)

    url = reverse("supervised_reviews:index")
    client.force_login(ada)
    client.get(url)  # the session and MFA checks settle on the first request
    reviews(3)
    with django_assert_num_queries(16):
        assert client.get(url).content.decode().count("Partner ") >= 3

    reviews(12)
    with django_assert_num_queries(16):
        assert client.get(url).content.decode().count("Partner ") >= 15


def test_it_lets_staff_say_what_a_stage_needs_before_it_is_submitted(client, ada, review):
    scheme = default_scheme()
    url = reverse("accreditation_schemes:edit", args=[scheme.pk])
    client.force_login(ada)

    response = client.post(
        url,
        _scheme_post(
            scheme,
            _stage_rows(
                scheme,
                kpe={"needs": "both", "min_register_entries": 3},
                Report={"needs": "register"},
            ),
        ),
    )

    # The Report stage has no register, so its register cannot be what it needs.
    assert response.status_code == 200
    assert "This stage has no register" in response.content.decode()
    assert scheme.stages.get(register="kpe").needs == "register"

    response = client.post(
        url,
        _scheme_post(scheme, _stage_rows(scheme, kpe={"needs": "both", "min_register_entries": 3})),
    )
    assert response.status_code == 302
    analysis = scheme.stages.get(register="kpe")
    assert (analysis.needs, analysis.min_register_entries) == ("both", 3)
    # A stage reviews already have may change what it needs: the review's stage follows.
    assert review.stages.get(definition=analysis).definition.needs == "both"

"""The scheme and its data as shipped (Guide 24's five stages, the nine contributory-factor
categories with their levels and prompting questions, and the six finding categories), staff
editing them in the admin, and a review's default target publication date."""

from datetime import date

from django.urls import reverse

import pytest

from accreditation.models import FactorLevel, ReviewStage

from .factories import (
    SupervisedReviewFactory,
    categories,
    default_scheme,
    finding_categories,
    stage,
)

pytestmark = pytest.mark.django_db


def test_it_ships_the_default_scheme_with_guide_24s_stages():
    scheme = default_scheme()

    assert (scheme.min_group_sessions, scheme.min_individual_sessions) == (4, 1)
    assert scheme.validity_years == 3
    assert scheme.requires_course_completion and scheme.requires_reflective_statement
    assert scheme.public_register_enabled
    stages = list(scheme.stages.order_by("sort_order"))
    assert [s.title for s in stages] == [
        "Preparation",
        "Data collection",
        "Organising and analysing data",
        "Findings",
        "Report",
    ]
    assert all(s.guidance and s.expected_evidence for s in stages)
    assert [s.register for s in stages] == ["", "", "kpe", "findings", ""]
    # The registers are the evidence of the stages that have one.
    assert [s.needs for s in stages] == ["evidence", "evidence", "register", "register", "evidence"]
    assert all(s.min_register_entries == 1 for s in stages)


def test_it_ships_the_nine_categories_and_the_six_finding_categories():
    assert [c.name for c in categories()] == [
        "Family",
        "Your role",
        "Conditions of work",
        "Personal",
        "Own team",
        "Inter-agency / inter-professional team",
        "Organisational culture and management",
        "Wider political context",
        "Other",
    ]
    assert [category.name for category in finding_categories()] == [
        "Multi-agency working in response to incidents and crises",
        "Multi-agency working in longer-term work",
        "Human reasoning: cognitive and emotional biases",
        "Family–professional interaction",
        "Tools",
        "Management systems",
    ]


def test_it_gives_each_factor_category_its_level_and_prompting_questions():
    levels = {category.name: category.level for category in categories()}
    assert [level.name for level in FactorLevel.objects.all()] == [
        "Frontline",
        "Local strategic",
        "National/government",
    ]
    assert levels["Family"].name == "Frontline"
    assert levels["Organisational culture and management"].name == "Local strategic"
    assert levels["Wider political context"].name == "National/government"
    assert levels["Other"] is None
    for category in categories()[:-1]:
        assert len(category.questions) >= 3, category.name
        assert all(question.endswith("?") for question in category.questions), category.name


def test_it_offers_every_scheme_setting_in_the_admin(client, ada):
    client.force_login(ada)
    response = client.get(reverse("accreditation_schemes:edit", args=[default_scheme().pk]))

    content = response.content.decode()
    assert response.status_code == 200
    for field in (
        "name",
        "course",
        "requires_course_completion",
        "min_group_sessions",
        "min_individual_sessions",
        "requires_reflective_statement",
        "min_statement_words",
        "reflective_statement_guidance",
        "validity_years",
        "renewal_evidence",
        "public_register_enabled",
        "stages-0-title",
        "stages-0-guidance",
        "stages-0-expected_evidence",
        "stages-0-register",
        "stages-0-needs",
        "stages-0-min_register_entries",
    ):
        assert f'name="{field}"' in content, field


def test_it_lets_staff_rename_a_category_and_the_episode_form_follows(client, ada, tess, review):
    category = categories()[2]
    client.force_login(ada)
    response = client.post(
        reverse("contributory_factor_categories:edit", args=[category.pk]),
        {"name": "Working conditions", "description": "Workload and tools.", "sort_order": 2},
    )
    assert response.status_code == 302

    client.force_login(tess)
    form = client.get(reverse("accreditation:episode_add", args=[stage(review, 3).pk]))
    assert "Working conditions" in form.content.decode()
    assert "Conditions of work" not in form.content.decode()


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (date(2026, 1, 12), date(2026, 7, 12)),
        (date(2025, 8, 31), date(2026, 2, 28)),
        (date(2026, 9, 30), date(2027, 3, 30)),
    ],
)
def test_it_targets_publication_six_months_after_the_start(tess, start, target):
    review = SupervisedReviewFactory(trainee=tess, start_date=start)

    assert review.target_publication_date == target
    assert ReviewStage.objects.filter(review=review).count() == 5


def test_it_keeps_a_target_date_staff_chose(tess):
    review = SupervisedReviewFactory(
        trainee=tess, start_date=date(2026, 1, 12), target_publication_date=date(2026, 5, 1)
    )

    assert review.target_publication_date == date(2026, 5, 1)

"""Upgrading a database written when the review type was a fixed label: the six types become
data with what each expects, and every review points at the type its label named."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("accreditation", "0010_analysis_defaults")]
AFTER = [("accreditation", "0013_review_type_required")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest():
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_it_points_every_review_at_the_type_its_label_named(tess, sam, back_to_latest):
    from tests.factories import OrganisationFactory

    organisation = OrganisationFactory()
    old = _migrate(BEFORE)
    Scheme = old.get_model("accreditation", "AccreditationScheme")
    Review = old.get_model("accreditation", "SupervisedReview")
    scheme = Scheme.objects.get()
    made = {}
    for label in ("full", "focused", "themed", "speed_plus"):
        made[label] = Review.objects.create(
            scheme=scheme,
            trainee_id=tess.pk,
            supervisor_id=sam.pk,
            commissioning_organisation_id=organisation.pk,
            case_reference=f"Child {label}",
            review_type=label,
            start_date="2026-01-12",
            target_publication_date="2026-07-12",
        ).pk

    new = _migrate(AFTER)
    Review = new.get_model("accreditation", "SupervisedReview")
    ReviewType = new.get_model("accreditation", "ReviewType")
    for label, pk in made.items():
        review = Review.objects.select_related("review_type").get(pk=pk)
        assert review.review_type.code == label
        assert str(review.target_publication_date) == "2026-07-12"
        assert review.is_statutory is False
    assert list(ReviewType.objects.order_by("sort_order").values_list("code", flat=True)) == [
        "full",
        "intensive",
        "speed_plus",
        "mid_range",
        "focused",
        "themed",
    ]
    full = ReviewType.objects.get(code="full")
    assert (full.expected_team_meetings, full.expected_joint_meetings) == (5, 2)
    assert full.has_conversations and not full.covers_several_cases
    focused = ReviewType.objects.get(code="focused")
    assert not focused.has_conversations and focused.min_conversations == 0
    assert ReviewType.objects.get(code="themed").covers_several_cases


def test_it_turns_the_types_back_into_labels_when_undone(tess, sam, back_to_latest):
    from tests.factories import OrganisationFactory

    organisation = OrganisationFactory()
    new = _migrate(AFTER)
    Scheme = new.get_model("accreditation", "AccreditationScheme")
    Review = new.get_model("accreditation", "SupervisedReview")
    ReviewType = new.get_model("accreditation", "ReviewType")
    review = Review.objects.create(
        scheme=Scheme.objects.get(),
        trainee_id=tess.pk,
        supervisor_id=sam.pk,
        commissioning_organisation_id=organisation.pk,
        case_reference="Child F",
        review_type=ReviewType.objects.get(code="focused"),
        start_date="2026-01-12",
        target_publication_date="2026-07-12",
    )

    old = _migrate(BEFORE)
    assert (
        old.get_model("accreditation", "SupervisedReview").objects.get(pk=review.pk).review_type
        == "focused"
    )

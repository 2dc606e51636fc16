"""Upgrading a database written before the findings register: every underlying pattern becomes
a finding with what was written kept, the typology takes SCIE's published wording in place (so
findings keep their category), the stage keeps its register, and episodes are numbered 1, 2, 3
in their review's order."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("accreditation", "0007_stage_definition_needs")]
AFTER = [("accreditation", "0010_analysis_defaults")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest():
    # Later migrations must be applied again, or every test after this one meets an old schema.
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_it_keeps_every_pattern_as_a_finding_and_numbers_the_episodes(tess, sam, back_to_latest):
    from tests.factories import OrganisationFactory

    organisation = OrganisationFactory()
    old = _migrate(BEFORE)
    try:
        Scheme = old.get_model("accreditation", "AccreditationScheme")
        Review = old.get_model("accreditation", "SupervisedReview")
        Episode = old.get_model("accreditation", "KeyPracticeEpisode")
        PatternType = old.get_model("accreditation", "PatternType")
        Pattern = old.get_model("accreditation", "UnderlyingPattern")
        StageDefinition = old.get_model("accreditation", "StageDefinition")
        scheme = Scheme.objects.get()
        assert StageDefinition.objects.filter(scheme=scheme, register="patterns").count() == 1
        review = Review.objects.create(
            scheme=scheme,
            trainee_id=tess.pk,
            supervisor_id=sam.pk,
            commissioning_organisation_id=organisation.pk,
            case_reference="Child K",
            review_type="full",
            start_date="2026-01-12",
            target_publication_date="2026-07-12",
        )
        episodes = [
            Episode.objects.create(
                review=review, title=title, what_happened="x", assessment="good", sort_order=order
            )
            for title, order in (("Third", 7), ("First", 0), ("Second", 3))
        ]
        tools = PatternType.objects.get(name="Human–tool operation")
        pattern = Pattern.objects.create(
            review=review,
            title="Records hide the history",
            description="The chronology was split across three systems.",
            pattern_type=tools,
            priority=2,
        )
        pattern.episodes.set(episodes[:2])
    finally:
        new = _migrate(AFTER)

    Finding = new.get_model("accreditation", "Finding")
    FindingCategory = new.get_model("accreditation", "FindingCategory")
    Episode = new.get_model("accreditation", "KeyPracticeEpisode")
    StageDefinition = new.get_model("accreditation", "StageDefinition")
    finding = Finding.objects.get()
    assert (finding.title, finding.in_this_case, finding.priority) == (
        "Records hide the history",
        "The chronology was split across three systems.",
        2,
    )
    assert finding.category.name == "Tools"
    assert finding.category.pk == tools.pk
    assert sorted(finding.episodes.values_list("title", flat=True)) == ["First", "Third"]
    assert list(Episode.objects.order_by("sort_order").values_list("title", "sort_order")) == [
        ("First", 1),
        ("Second", 2),
        ("Third", 3),
    ]
    assert FindingCategory.objects.count() == 6
    assert StageDefinition.objects.filter(register="findings").count() == 1
    assert not StageDefinition.objects.filter(register="patterns").exists()

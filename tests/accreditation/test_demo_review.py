"""Tess and Pat's demo review: its analysis is filled in through the services, in the method's
format, once, and only while its stages can be changed."""

import io

from django.core.management import call_command

from wagtail.models import ModelLogEntry

import pytest

from accreditation.demo import CASE_REFERENCE, seed_accreditation
from accreditation.demo_analysis import NARRATIVE_TITLE
from accreditation.models import (
    ContributoryFactor,
    Evidence,
    Finding,
    IssueForBoard,
    KeyPracticeEpisode,
    ReviewStage,
    SupervisedReview,
)
from learning_platform.accounts.demo import DEMO_USERS
from learning_platform.accounts.models import User

Status = ReviewStage.Status


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True  # seed_demo refuses to run otherwise
    call_command("seed_demo", stdout=io.StringIO())
    return SupervisedReview.objects.get(trainee__email="tess@example.org")


def _stages(review) -> dict[str, ReviewStage]:
    return {stage.definition.title: stage for stage in review.stages.select_related("definition")}


def test_it_gives_the_review_six_to_eight_appraised_episodes(seeded):
    episodes = list(seeded.key_practice_episodes.prefetch_related("contributory_factors"))

    assert 6 <= len(episodes) <= 8
    assert [episode.label for episode in episodes] == [
        f"KPE{n}" for n in range(1, len(episodes) + 1)
    ]
    for episode in episodes:
        for field in (
            "title",
            "what_happened",
            "when",
            "agencies",
            "assessment_explanation",
            "local_rationality",
            "data_sources",
        ):
            assert getattr(episode, field), (episode.label, field)
        assert episode.contributory_factors.all(), episode.label
    assert {e.assessment for e in episodes} == set(KeyPracticeEpisode.Assessment.values)
    assert {e.case_group_view for e in episodes} == set(KeyPracticeEpisode.CaseGroupView.values)
    categories = ContributoryFactor.objects.filter(episode__review=seeded)
    levels = set(categories.values_list("category__level__name", flat=True))
    assert categories.values("category").distinct().count() >= 6
    assert {"Frontline", "Local strategic", "National/government"} <= levels


def test_it_gives_the_review_three_complete_findings(seeded):
    findings = list(seeded.findings.prefetch_related("episodes", "issues_for_board"))

    assert len(findings) == 3
    assert [f.priority for f in findings] == [1, 2, 3]
    assert len({f.category_id for f in findings}) == 3
    assert [f.direction for f in findings].count(Finding.Direction.SUPPORTS_SAFE_PRACTICE) == 1
    for finding in findings:
        assert finding.missing() == []
        assert finding.in_this_case and finding.how_we_know
        assert finding.system_reliability and finding.statement
        assert 2 <= len(finding.episodes.all()) <= 3
        issues = [issue.text for issue in finding.issues_for_board.all()]
        assert 2 <= len(issues) <= 3
        assert all(text.endswith("?") for text in issues), issues
        assert {e.review_id for e in finding.episodes.all()} == {seeded.pk}


def test_it_writes_the_analysis_through_the_services_and_keeps_the_stages_as_they_were(seeded):
    stages = _stages(seeded)

    assert stages["Preparation"].status == Status.APPROVED
    assert stages["Data collection"].status == Status.IN_PROGRESS
    analysis = stages["Organising and analysing data"]
    assert analysis.status == Status.IN_PROGRESS
    assert stages["Findings"].status == Status.IN_PROGRESS
    assert stages["Report"].status == Status.NOT_STARTED
    narrative = Evidence.objects.get(stage=analysis, title=NARRATIVE_TITLE)
    assert "Child K" in narrative.note
    # Child K's own entries (the demo's finished reviews have registers of their own).
    logged = ModelLogEntry.objects.filter(
        action__startswith="accreditation.register.",
        object_id__in=[str(pk) for pk in seeded.stages.values_list("pk", flat=True)],
    )
    assert logged.filter(action="accreditation.register.episode_add").count() == (
        seeded.key_practice_episodes.count()
    )
    assert logged.filter(action="accreditation.register.finding_add").count() == 3


def test_it_adds_nothing_the_second_time(seeded):
    before = [
        model.objects.count()
        for model in (KeyPracticeEpisode, ContributoryFactor, Finding, IssueForBoard, Evidence)
    ]

    call_command("seed_demo", stdout=io.StringIO())

    after = [
        model.objects.count()
        for model in (KeyPracticeEpisode, ContributoryFactor, Finding, IssueForBoard, Evidence)
    ]
    assert after == before
    assert SupervisedReview.objects.filter(case_reference=CASE_REFERENCE).count() == 1


def _users() -> dict[str, User]:
    return {demo.key: User.objects.get(email=demo.email) for demo in DEMO_USERS}


def test_it_fills_in_a_review_seeded_before_it_had_an_analysis(seeded):
    seeded.findings.all().delete()
    seeded.key_practice_episodes.all().delete()
    out = io.StringIO()

    seed_accreditation(stdout=out, users=_users())

    assert seeded.key_practice_episodes.count() >= 6
    assert seeded.findings.count() == 3
    assert "Added the analysis" in out.getvalue()


def test_it_leaves_a_submitted_analysis_alone(seeded):
    seeded.findings.all().delete()
    seeded.key_practice_episodes.all().delete()
    ReviewStage.objects.filter(pk=_stages(seeded)["Findings"].pk).update(status=Status.SUBMITTED)
    out = io.StringIO()

    seed_accreditation(stdout=out, users=_users())

    assert not seeded.key_practice_episodes.exists()
    assert not seeded.findings.exists()
    assert "left alone" in out.getvalue()

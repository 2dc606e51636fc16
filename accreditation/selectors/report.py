"""What a review's draft report is built from, read in a fixed number of queries whatever the
size of the review."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from ..models import Finding, FindingCategory, KeyPracticeEpisode, SupervisedReview
from .reviews import review_episodes, review_findings

_REVIEW_RELATED = ("scheme", "trainee", "partner", "supervisor", "commissioning_organisation")


@dataclass(frozen=True)
class ReportContents:
    review: SupervisedReview
    episodes: list[KeyPracticeEpisode]
    findings: list[Finding]
    typology: list[FindingCategory]
    generated_on: date

    @property
    def lead_reviewers(self) -> list[str]:
        people = [self.review.trainee, self.review.partner]
        return [person.full_name or person.email for person in people if person is not None]


def _with_people(review: SupervisedReview) -> SupervisedReview:
    """The review with its scheme, people and commissioning organisation; reloaded only when the
    caller's copy did not bring them (get_review_for_report's does)."""
    if all(SupervisedReview._meta.get_field(name).is_cached(review) for name in _REVIEW_RELATED):
        return review
    return SupervisedReview.objects.select_related(*_REVIEW_RELATED).get(pk=review.pk)


def review_report_contents(*, review: SupervisedReview) -> ReportContents:
    """The review with its people; its episodes with their factors, categories and levels; its
    findings, numbered, with their category, episodes and issues for the board; and the typology
    of findings for the appendix."""
    return ReportContents(
        review=_with_people(review),
        # The report does not list the conversations an episode rests on (they are private).
        episodes=review_episodes(review=review, with_conversations=False),
        findings=review_findings(review=review),
        typology=list(FindingCategory.objects.all()),
        generated_on=timezone.localdate(),
    )

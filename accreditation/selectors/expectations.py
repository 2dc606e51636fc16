"""What a review's type expects of the way it is run (one-to-one conversations, review-team
meetings, joint meetings with the case group), set against what the review has held.

Each row is guidance, or a requirement where the scheme makes the type's expectations
requirements (``AccreditationScheme.review_type_expectations_required``)."""

from dataclasses import dataclass

from ..models import ReviewType, SupervisedReview
from .conduct import ConductCounts, conduct_counts


def _plural(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


@dataclass(frozen=True)
class Expectation:
    label: str
    expected: int
    held: int
    met: bool
    required: bool

    @property
    def short_by(self) -> int:
        return max(self.expected - self.held, 0)

    @property
    def shortfall(self) -> str:
        """What a row that is not met still needs, in words."""
        if self.met:
            return ""
        if not self.expected:
            return f"{self.label}: no case group is recorded yet"
        return f"{self.label}: {self.held} of {self.expected}, {self.short_by} to go"


def type_expectations(*, review_type: ReviewType) -> list[str]:
    """The type's expectations in words, without counts: for the review page."""
    lines = []
    if review_type.has_conversations:
        line = "One-to-one conversations with each member of the case group"
        if review_type.min_conversations:
            line += f" (at least {review_type.min_conversations})"
        lines.append(line)
    else:
        lines.append("No one-to-one conversations")
    if review_type.expected_team_meetings:
        lines.append(f"About {_plural(review_type.expected_team_meetings, 'review-team meeting')}")
    if review_type.expected_joint_meetings:
        lines.append(
            f"{_plural(review_type.expected_joint_meetings, 'joint meeting')} with the case group"
        )
    if review_type.covers_several_cases:
        lines.append("Several cases, each by its pseudonymous reference")
    lines.append(f"About {_plural(review_type.expected_duration_months, 'month')} from the start")
    return lines


def expectations_from_counts(
    *, review_type: ReviewType, counts: ConductCounts, required: bool
) -> list[Expectation]:
    rows = []
    if review_type.has_conversations:
        size = counts.case_group_size
        rows.append(
            Expectation(
                "Case-group members spoken with one to one",
                size,
                counts.participants_spoken_with,
                size > 0 and counts.participants_spoken_with >= size,
                required,
            )
        )
        if review_type.min_conversations:
            rows.append(
                Expectation(
                    "One-to-one conversations held",
                    review_type.min_conversations,
                    counts.conversations_held,
                    counts.conversations_held >= review_type.min_conversations,
                    required,
                )
            )
    if review_type.expected_team_meetings:
        rows.append(
            Expectation(
                "Review-team meetings held",
                review_type.expected_team_meetings,
                counts.team_meetings_held,
                counts.team_meetings_held >= review_type.expected_team_meetings,
                required,
            )
        )
    if review_type.expected_joint_meetings:
        rows.append(
            Expectation(
                "Joint meetings with the case group held",
                review_type.expected_joint_meetings,
                counts.joint_meetings_held,
                counts.joint_meetings_held >= review_type.expected_joint_meetings,
                required,
            )
        )
    return rows


def review_expectations(*, review: SupervisedReview) -> list[Expectation]:
    """One row per expectation of the review's type: expected, held, met, and whether it is a
    requirement. Reads the review's type and scheme (select them with the review) and the
    conduct counts."""
    return expectations_from_counts(
        review_type=review.review_type,
        counts=conduct_counts(review=review),
        required=review.scheme.review_type_expectations_required,
    )

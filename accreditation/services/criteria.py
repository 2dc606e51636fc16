"""Judging against a scheme's assessment criteria: one mechanism for a first accreditation and
for a renewal.

An assessor judges every criterion met or not yet met, with a comment. Approval needs every
criterion met; a referral needs at least one not yet met, and the comment on each one not yet
met says what the person must do, so the required actions are written against the criteria.
The judgements are kept with the decision, append-only, with each criterion's wording as it was.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..exceptions import TransitionError
from ..models import (
    AccreditationScheme,
    AssessmentCriterion,
    CriterionJudgement,
    Decision,
    RenewalDecision,
)

Purpose = AssessmentCriterion.Purpose
COMMENT_MAX_LENGTH = 5_000

APPROVED = "approved"
REFERRED = "referred"


@dataclass(frozen=True)
class Judgement:
    criterion: AssessmentCriterion
    met: bool
    comment: str


def scheme_criteria(*, scheme: AccreditationScheme, purpose: str) -> list[AssessmentCriterion]:
    return list(
        AssessmentCriterion.objects.filter(scheme=scheme, purpose=purpose).order_by(
            "sort_order", "pk"
        )
    )


def judgements_for_decision(
    *,
    scheme: AccreditationScheme,
    purpose: str,
    answers: Mapping[int, tuple[bool | None, str]] | None,
    outcome: str,
) -> list[Judgement]:
    """The judgements of a decision against the scheme's criteria for this purpose as they are
    now (read inside the deciding transaction); a scheme without criteria decides as before."""
    criteria = scheme_criteria(scheme=scheme, purpose=purpose)
    return judgements_check(criteria=criteria, answers=answers or {}, outcome=outcome)


def judgements_check(
    *,
    criteria: Sequence[AssessmentCriterion],
    answers: Mapping[int, tuple[bool | None, str]],
    outcome: str,
) -> list[Judgement]:
    """The judgements for a decision with the given outcome, or a TransitionError saying what
    is wrong. `answers` maps each criterion's id to (met, comment); met is None when the
    assessor has not judged it."""
    judgements, unjudged = [], []
    for criterion in criteria:
        met, comment = answers.get(criterion.pk, (None, ""))
        comment = (comment or "").strip()
        if len(comment) > COMMENT_MAX_LENGTH:
            raise TransitionError(
                f"The comment on “{criterion.title}” is too long: keep it under "
                f"{COMMENT_MAX_LENGTH:,} characters."
            )
        if met is None:
            unjudged.append(criterion.title)
            continue
        judgements.append(Judgement(criterion=criterion, met=bool(met), comment=comment))
    if unjudged:
        raise TransitionError(
            "Judge every criterion met or not yet met. Not judged: " + "; ".join(unjudged) + "."
        )
    not_met = [j for j in judgements if not j.met]
    if outcome == APPROVED and not_met:
        raise TransitionError(
            "Approval needs every criterion met. Not yet met: "
            + "; ".join(j.criterion.title for j in not_met)
            + ". Refer it back instead, with what must be done against each."
        )
    if outcome == REFERRED and criteria:
        if not not_met:
            raise TransitionError(
                "Every criterion is judged met, so there is nothing to refer back. Approve it, "
                "or mark the criteria not yet met."
            )
        silent = [j.criterion.title for j in not_met if not j.comment]
        if silent:
            raise TransitionError(
                "For each criterion not yet met, say what must be done before resubmitting. "
                "Missing for: " + "; ".join(silent) + "."
            )
    return judgements


def required_actions_from(judgements: Sequence[Judgement]) -> str:
    """The required actions of a referral, one per criterion not yet met."""
    return "\n".join(f"{j.criterion.title}: {j.comment}" for j in judgements if not j.met)


def judgements_record(
    *,
    judgements: Sequence[Judgement],
    decision: Decision | None = None,
    renewal_decision: RenewalDecision | None = None,
) -> list[CriterionJudgement]:
    """Keep the judgements with their decision (inside the deciding transaction)."""
    return CriterionJudgement.objects.bulk_create(
        CriterionJudgement(
            decision=decision,
            renewal_decision=renewal_decision,
            criterion=judgement.criterion,
            criterion_title=judgement.criterion.title,
            sort_order=index,
            met=judgement.met,
            comment=judgement.comment,
        )
        for index, judgement in enumerate(judgements)
    )

"""The review's clock: how many days are left to its target publication date, and the reviews
near or past their target whose final stage (the Report) is not yet approved."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)

from ..models import ReviewStage, SupervisedReview

AT_RISK_DAYS = 30  # a review is at risk within this many days of its target, or past it


def _final_stage_status() -> Subquery:
    # The final stage is the one with the highest sort_order: the Report stage.
    return Subquery(
        ReviewStage.objects.filter(review=OuterRef("pk"))
        .order_by("-sort_order", "-pk")
        .values("status")[:1]
    )


def reviews_at_risk(
    *, reviews: QuerySet[SupervisedReview], today: date
) -> QuerySet[SupervisedReview]:
    """Of ``reviews``, those whose target publication date is within AT_RISK_DAYS or past and
    whose final stage is not approved, most urgent (the earliest target) first. Each carries
    ``time_to_target`` (a timedelta, negative when overdue; the ``days_to_target`` template
    filter puts it in words)."""
    Approved = ReviewStage.Status.APPROVED
    return (
        with_time_to_target(
            reviews.filter(target_publication_date__lte=today + timedelta(days=AT_RISK_DAYS)),
            today=today,
        )
        .annotate(final_stage_status=_final_stage_status())
        .filter(Q(final_stage_status__isnull=True) | ~Q(final_stage_status=Approved))
        .order_by("target_publication_date", "pk")
    )


def with_time_to_target(
    reviews: QuerySet[SupervisedReview], *, today: date
) -> QuerySet[SupervisedReview]:
    """Each review annotated with ``time_to_target``: a timedelta from ``today`` to its target
    publication date, negative once the target has passed."""
    return reviews.annotate(
        time_to_target=ExpressionWrapper(
            F("target_publication_date") - Value(today, output_field=DateField()),
            output_field=DurationField(),
        )
    )


@dataclass(frozen=True)
class ReviewClock:
    target: date | None
    days_left: int | None  # negative when the target has passed; None once the Report is approved
    report_approved: bool

    @property
    def overdue_days(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0

    @property
    def at_risk(self) -> bool:
        return self.days_left is not None and self.days_left <= AT_RISK_DAYS


def review_clock(
    *, review: SupervisedReview, stages: list[ReviewStage], today: date
) -> ReviewClock:
    """The review's target and the days left to it, from its stages in order (as the review
    page has them): no query."""
    final = max(stages, key=lambda stage: (stage.sort_order, stage.pk), default=None)
    approved = final is not None and final.status == ReviewStage.Status.APPROVED
    target = review.target_publication_date
    days_left = None if approved or target is None else (target - today).days
    return ReviewClock(target=target, days_left=days_left, report_approved=approved)


@dataclass(frozen=True)
class AtRiskList:
    reviews: list[SupervisedReview]  # the first ``limit``, most urgent first
    total: int


def reviews_at_risk_for_programme(*, today: date, limit: int = 50) -> AtRiskList:
    """Every review near or past its target, for the programme dashboard: the first ``limit``
    with their type and supervisor, and how many there are in all. Two queries."""
    at_risk = reviews_at_risk(reviews=SupervisedReview.objects.all(), today=today)
    shown = list(at_risk.select_related("review_type", "supervisor")[:limit])
    total = len(shown) if len(shown) < limit else at_risk.count()
    return AtRiskList(reviews=shown, total=total)


def reviews_at_risk_for_supervisor(*, supervisor, today: date) -> list[SupervisedReview]:
    """The supervisor's reviews near or past their target, with their type and trainees, for the
    sign-off queue. One query."""
    reviews = SupervisedReview.objects.filter(supervisor=supervisor).select_related(
        "review_type", "trainee", "partner"
    )
    return list(reviews_at_risk(reviews=reviews, today=today))

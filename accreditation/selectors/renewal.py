"""Renewing a certificate: its renewal window, whether the holder is ready to apply, the holder's
current certificate and renewals, and what the assessor reads."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from courses.models import Enrolment
from learning_platform.accounts.models import User

from ..models import (
    AssessmentCriterion,
    Certificate,
    CpdEntry,
    CriterionJudgement,
    RenewalApplication,
    RenewalDecision,
    RenewalReview,
    SupervisedReview,
)
from .certificates import certificate_superseded_by
from .cpd import CpdSummary, cpd_summary
from .readiness import ReadinessItem

RenewalStatus = RenewalApplication.Status
OPEN_STATUSES = (RenewalStatus.SUBMITTED, RenewalStatus.REFERRED)


@dataclass(frozen=True)
class RenewalWindow:
    opens_on: date
    closes_on: date  # the last day of the grace period
    valid_until: date
    today: date

    @property
    def is_open(self) -> bool:
        return self.opens_on <= self.today <= self.closes_on

    @property
    def not_yet_open(self) -> bool:
        return self.today < self.opens_on

    @property
    def has_closed(self) -> bool:
        return self.today > self.closes_on

    @property
    def in_grace(self) -> bool:
        return self.valid_until < self.today <= self.closes_on

    @property
    def days_left(self) -> int:
        """Days left to apply, counting today."""
        return (self.closes_on - self.today).days + 1

    @property
    def days_to_expiry(self) -> int:
        return (self.valid_until - self.today).days


def renewal_window(*, certificate: Certificate, today: date | None = None) -> RenewalWindow:
    today = today or timezone.localdate()
    scheme = certificate.scheme
    return RenewalWindow(
        opens_on=certificate.valid_until - timedelta(days=scheme.renewal_window_days),
        closes_on=certificate.valid_until + timedelta(days=scheme.renewal_grace_days),
        valid_until=certificate.valid_until,
        today=today,
    )


def certificate_renewable(certificate: Certificate) -> bool:
    """Issued (not suspended, revoked or pending) and not already superseded by a renewal."""
    return (
        certificate.status == Certificate.Status.ISSUED
        and certificate_superseded_by(certificate) is None
    )


def platform_reviews_for_renewal(*, holder: User, since: date) -> list[SupervisedReview]:
    """Reviews on the platform the holder led (as trainee) or co-led (as partner), published
    since the certificate was issued."""
    return list(
        SupervisedReview.objects.filter(Q(trainee=holder) | Q(partner=holder))
        .filter(published_on__isnull=False, published_on__gte=since)
        .select_related("review_type")
        .order_by("published_on", "pk")
    )


def review_role(*, review: SupervisedReview, holder: User) -> str:
    return RenewalReview.Role.LED if review.trainee_id == holder.pk else RenewalReview.Role.CO_LED


@dataclass
class RenewalReadiness:
    certificate: Certificate
    window: RenewalWindow
    cpd: CpdSummary
    platform_reviews: list[SupervisedReview]
    criteria: list[AssessmentCriterion]
    items: list[ReadinessItem] = field(default_factory=list)

    @property
    def all_met(self) -> bool:
        return all(item.met for item in self.items if item.required)

    @property
    def missing(self) -> list[ReadinessItem]:
        return [item for item in self.items if item.required and not item.met]


def _hours(value: Decimal) -> str:
    value = value.normalize() if value else Decimal("0")
    text = f"{value:f}"
    return f"{text} hour" if value == 1 else f"{text} hours"


def cpd_item(*, hours: Decimal, required: int) -> ReadinessItem:
    short = Decimal(required) - hours
    return ReadinessItem(
        key="cpd",
        label="CPD",
        met=short <= 0,
        detail=(
            f"{_hours(hours)} logged of the {required} needed."
            if short <= 0
            else f"{_hours(hours)} logged of the {required} needed: {_hours(short)} short."
        ),
    )


def reviews_item(*, count: int, required: int) -> ReadinessItem:
    short = required - count
    noun = "review" if required == 1 else "reviews"
    return ReadinessItem(
        key="reviews",
        label="Reviews led or co-led",
        met=short <= 0,
        detail=(
            f"{count} of the {required} {noun} needed."
            if short <= 0
            else f"{count} of the {required} {noun} needed: {short} more to name."
        ),
    )


def renewal_readiness(
    *, certificate: Certificate, today: date | None = None, outside_reviews: int = 0
) -> RenewalReadiness:
    """CPD logged over the validity (issue to today) and reviews led or co-led since the issue,
    against the scheme; the renewal criteria are listed as guidance."""
    today = today or timezone.localdate()
    scheme = certificate.scheme
    holder = certificate.holder
    cpd = cpd_summary(person=holder, since=certificate.issued_at, until=today)
    reviews = platform_reviews_for_renewal(holder=holder, since=certificate.issued_at)
    criteria = list(
        AssessmentCriterion.objects.filter(
            scheme=scheme, purpose=AssessmentCriterion.Purpose.RENEWAL
        ).order_by("sort_order", "pk")
    )
    readiness = RenewalReadiness(
        certificate=certificate,
        window=renewal_window(certificate=certificate, today=today),
        cpd=cpd,
        platform_reviews=reviews,
        criteria=criteria,
    )
    readiness.items = [
        cpd_item(hours=cpd.hours, required=scheme.renewal_cpd_hours),
        reviews_item(
            count=len(reviews) + outside_reviews, required=scheme.renewal_reviews_required
        ),
        *(
            ReadinessItem(
                key=f"criterion-{c.pk}",
                label=c.title,
                met=True,
                detail=c.description,
                required=False,
            )
            for c in criteria
        ),
    ]
    return readiness


def current_certificate(*, holder: User) -> Certificate | None:
    """The holder's latest certificate that has not been superseded."""
    return (
        Certificate.objects.filter(holder=holder, superseded_by__isnull=True)
        .exclude(status=Certificate.Status.PENDING)
        .select_related("scheme")
        .order_by("-issued_at", "-pk")
        .first()
    )


def open_renewal(*, certificate: Certificate) -> RenewalApplication | None:
    return (
        RenewalApplication.objects.filter(certificate=certificate, status__in=OPEN_STATUSES)
        .order_by("-pk")
        .first()
    )


def renewals_open_for(*, certificates: list[Certificate]) -> dict[int, RenewalApplication]:
    """The open renewal of each certificate that has one, in one query."""
    renewals = RenewalApplication.objects.filter(
        certificate__in=[c.pk for c in certificates], status__in=OPEN_STATUSES
    ).order_by("pk")
    return {renewal.certificate_id: renewal for renewal in renewals}


def _decisions_prefetch() -> Prefetch:
    return Prefetch(
        "decisions",
        queryset=RenewalDecision.objects.select_related("assessor")
        .prefetch_related(
            Prefetch(
                "judgements",
                queryset=CriterionJudgement.objects.order_by("sort_order", "pk"),
            )
        )
        .order_by("created_at", "pk"),
    )


def renewals_with_detail() -> QuerySet[RenewalApplication]:
    return RenewalApplication.objects.select_related(
        "holder__organisation", "certificate__scheme", "scheme", "new_certificate"
    ).prefetch_related(
        _decisions_prefetch(),
        Prefetch("reviews", queryset=RenewalReview.objects.order_by("pk")),
    )


def renewals_for_holder(*, holder: User) -> QuerySet[RenewalApplication]:
    return renewals_with_detail().filter(holder=holder).order_by("-pk")


def renewal_queue(*, assessor: User) -> list[RenewalApplication]:
    """Submitted renewals, oldest first, each marked `assessor_supervises` when this assessor
    supervises the holder and so may not decide."""
    return list(
        RenewalApplication.objects.filter(status=RenewalStatus.SUBMITTED)
        .select_related("holder__organisation", "scheme", "certificate")
        .annotate(assessor_supervises=_supervises_holder(assessor))
        .order_by("submitted_at", "pk")
    )


def _supervises_holder(assessor: User) -> Q:
    return Q(application__review__supervisor=assessor) | Q(
        Exists(Enrolment.objects.filter(user=OuterRef("holder"), supervisor=assessor))
    )


def assessor_supervises_holder(*, assessor: User, renewal: RenewalApplication) -> bool:
    """The same rule as for applications: the supervisor of the review that first accredited
    the holder, or of any of their enrolments, does not decide on their renewal."""
    return (
        RenewalApplication.objects.filter(pk=renewal.pk)
        .filter(_supervises_holder(assessor))
        .exists()
    )


def recent_renewal_decisions(*, limit: int = 20) -> list[RenewalDecision]:
    return list(
        RenewalDecision.objects.select_related("renewal__holder", "assessor").order_by(
            "-created_at", "-pk"
        )[:limit]
    )


def renewal_cpd_entries(*, renewal: RenewalApplication, today: date | None = None):
    """The holder's CPD entries the renewal counted: over the renewed certificate's validity,
    up to the day it was (last) submitted."""
    until = today or timezone.localdate()
    if renewal.submitted_at is not None:
        until = min(until, timezone.localdate(renewal.submitted_at))
    return list(
        CpdEntry.objects.filter(
            person_id=renewal.holder_id,
            date__gte=renewal.certificate.issued_at,
            date__lte=until,
        )
        .select_related("activity_type")
        .order_by("date", "pk")
    )

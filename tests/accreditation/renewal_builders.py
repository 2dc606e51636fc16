"""Builders for renewal: an accredited holder whose certificate is placed in (or around) its
renewal window, CPD logged directly, a review published since the certificate was issued, and
answers that judge every renewal criterion."""

import datetime
from decimal import Decimal

from django.utils import timezone

from accreditation.models import (
    AssessmentCriterion,
    Certificate,
    CpdActivityType,
    CpdEntry,
    SupervisedReview,
)
from accreditation.services import renewal as renewal_services
from accreditation.services.renewal import ReviewClaim

from .award_builders import approve, make_ready, submit
from .factories import SupervisedReviewFactory

STATEMENT = "Since accreditation I have led two reviews and supervised a new pair of reviewers."


def accredited(holder, review, assessor) -> Certificate:
    make_ready(holder, review)
    return approve(submit(holder), assessor)


def place(certificate: Certificate, *, days_to_expiry: int, today=None) -> Certificate:
    """Move the certificate's dates so it expires `days_to_expiry` days from today (negative:
    expired that many days ago), issued three years before that."""
    today = today or timezone.localdate()
    valid_until = today + datetime.timedelta(days=days_to_expiry)
    issued_at = valid_until.replace(year=valid_until.year - 3)
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_at=issued_at, awarded_at=issued_at, valid_until=valid_until
    )
    certificate.refresh_from_db()
    return certificate


def log_cpd(person, *, hours=30, on=None, title="Safeguarding conference", **extra) -> CpdEntry:
    on = on or timezone.localdate() - datetime.timedelta(days=40)
    return CpdEntry.objects.create(
        person=person,
        date=on,
        activity_type=CpdActivityType.objects.order_by("sort_order", "pk").first(),
        title=title,
        hours=Decimal(hours),
        **extra,
    )


def log_plenty_cpd(person, *, total=30, on=None) -> None:
    for _ in range(total // 10):
        log_cpd(person, hours=10, on=on)


def published_review(holder, supervisor, *, on=None, **kwargs) -> SupervisedReview:
    review = SupervisedReviewFactory(trainee=holder, supervisor=supervisor, **kwargs)
    on = on or timezone.localdate() - datetime.timedelta(days=60)
    SupervisedReview.objects.filter(pk=review.pk).update(
        published_on=on, published_report_url="https://example.org/reports/child-r"
    )
    review.refresh_from_db()
    return review


def outside_review(**overrides) -> ReviewClaim:
    values = {
        "title": "Family N: a multi-agency review",
        "role": "co_led",
        "completed_on": timezone.localdate() - datetime.timedelta(days=100),
        "published_report_url": "https://example.org/reports/family-n",
        **overrides,
    }
    return ReviewClaim(**values)


def apply(certificate, holder, *, reviews=None, statement=STATEMENT, **kwargs):
    return renewal_services.renewal_apply(
        certificate=certificate,
        holder=holder,
        practice_statement=statement,
        declaration=kwargs.pop("declaration", True),
        reviews=[outside_review()] if reviews is None else reviews,
        **kwargs,
    )


def renewal_answers(scheme, *, met=True, comment="Shown in the statement."):
    criteria = AssessmentCriterion.objects.filter(
        scheme=scheme, purpose=AssessmentCriterion.Purpose.RENEWAL
    )
    return {c.pk: (met, comment) for c in criteria}


def ready_to_renew(holder, review, assessor, *, days_to_expiry=30) -> Certificate:
    certificate = place(accredited(holder, review, assessor), days_to_expiry=days_to_expiry)
    log_plenty_cpd(holder)
    return certificate

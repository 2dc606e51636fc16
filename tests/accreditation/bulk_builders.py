"""Builders for bulk issuance: many approved applications in a cohort, made with bulk inserts
rather than one journey each (the whole-path tests walk that journey)."""

from datetime import date

from django.utils import timezone

from accreditation.models import (
    AccreditationApplication,
    BulkIssue,
    BulkIssueItem,
    ReviewType,
    SupervisedReview,
)
from courses.models import Enrolment
from learning_platform.accounts.models import User
from tests.courses.factories import CohortFactory

from ..factories import OrganisationFactory
from .factories import default_scheme, make_supervisor


def make_approved_applications(
    n: int, *, cohort=None, prefix: str = "holder", status: str = "approved"
) -> tuple[object, list[AccreditationApplication]]:
    """``n`` trainees enrolled in a cohort, each with a review and an application in ``status``
    (approved by default) and no certificate yet."""
    cohort = cohort or CohortFactory()
    scheme = default_scheme()
    supervisor = User.objects.filter(email="bulk-supervisor@example.org").first()
    supervisor = supervisor or make_supervisor("Bea Supervisor", "bulk-supervisor@example.org")
    organisation = OrganisationFactory(name="Northshire Safeguarding Partnership")
    start = User.objects.count()
    trainees = User.objects.bulk_create(
        User(email=f"{prefix}{start + i}@example.org", full_name=f"Trainee {prefix} {i:04d}")
        for i in range(n)
    )
    Enrolment.objects.bulk_create(
        Enrolment(user=t, cohort=cohort, status=Enrolment.Status.ACTIVE) for t in trainees
    )
    reviews = SupervisedReview.objects.bulk_create(
        SupervisedReview(
            scheme=scheme,
            trainee=t,
            supervisor=supervisor,
            commissioning_organisation=organisation,
            case_reference=f"Case {t.pk}",
            review_type=ReviewType.objects.get(code="full"),
            start_date=date(2026, 1, 12),
            target_publication_date=date(2026, 7, 12),
        )
        for t in trainees
    )
    applications = AccreditationApplication.objects.bulk_create(
        AccreditationApplication(
            trainee=t,
            review=r,
            scheme=scheme,
            status=status,
            reflective_statement="A systems review.",
            submitted_at=timezone.now(),
        )
        for t, r in zip(trainees, reviews, strict=True)
    )
    return cohort, applications


def make_job(by, *, items: int, failed: int = 0, cohort=None) -> BulkIssue:
    """A job with ``items`` items, the first ``failed`` of them failed with an error."""
    cohort, applications = make_approved_applications(items, cohort=cohort, prefix="job")
    bulk = BulkIssue.objects.create(
        cohort=cohort,
        requested_by=by,
        kind=BulkIssue.Kind.ISSUE,
        status=BulkIssue.Status.RUNNING,
        total=items,
        failed=failed,
    )
    BulkIssueItem.objects.bulk_create(
        BulkIssueItem(
            bulk=bulk,
            application=a,
            status=BulkIssueItem.Status.FAILED if i < failed else BulkIssueItem.Status.PENDING,
            error="The certificate could not be rendered." if i < failed else "",
        )
        for i, a in enumerate(applications)
    )
    return bulk

"""Reads for bulk certificate issuance: a cohort's approved applications, the jobs, and the
progress a job's page and status endpoint show."""

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from courses.models import Cohort, Enrolment

from ..models import AccreditationApplication, BulkIssue, BulkIssueItem, Certificate

# The page and the endpoint list at most this many failures; the counts are always exact.
FAILURES_SHOWN = 50


def cohort_approved_applications(*, cohort: Cohort) -> QuerySet[AccreditationApplication]:
    """Approved applications of trainees enrolled in the cohort, with their certificates.

    Not those of a trainee whose personal data was erased: issuing or re-rendering would print
    their name again."""
    enrolled = Enrolment.objects.filter(cohort=cohort, user=OuterRef("trainee"))
    return (
        AccreditationApplication.objects.filter(
            status=AccreditationApplication.Status.APPROVED, trainee__erased_at__isnull=True
        )
        .filter(Exists(enrolled))
        .annotate(has_certificate=Exists(Certificate.objects.filter(application=OuterRef("pk"))))
        .select_related("trainee", "certificate")
        .order_by("trainee__full_name", "pk")
    )


def cohorts_for_bulk_issue() -> QuerySet[Cohort]:
    """Every cohort, with how many approved applications it has and how many lack a
    certificate."""
    approved = Q(enrolments__user__applications__status=AccreditationApplication.Status.APPROVED)
    return Cohort.objects.select_related("course").annotate(
        approved=Count("enrolments__user__applications", filter=approved, distinct=True),
        without_certificate=Count(
            "enrolments__user__applications",
            filter=approved & Q(enrolments__user__applications__certificate__isnull=True),
            distinct=True,
        ),
    )


def bulk_issues_recent(*, limit: int = 50) -> QuerySet[BulkIssue]:
    return BulkIssue.objects.select_related("cohort", "requested_by")[:limit]


def bulk_issue_settled(*, bulk_id: int) -> bool:
    """Every item is done or failed, and the job has not finished yet."""
    return (
        BulkIssue.objects.filter(pk=bulk_id, total=F("done") + F("failed"))
        .exclude(status=BulkIssue.Status.FINISHED)
        .exists()
    )


def bulk_issue_failures(*, bulk: BulkIssue, limit: int = FAILURES_SHOWN) -> list[BulkIssueItem]:
    return list(
        bulk.items.filter(status=BulkIssueItem.Status.FAILED)
        .select_related("application__trainee")
        .order_by("pk")[:limit]
    )


@dataclass(frozen=True)
class Progress:
    status: str
    status_label: str
    total: int
    done: int
    failed: int
    finished: bool
    has_zip: bool
    # The ZIP was deleted because a certificate holder's personal data was erased.
    zip_withdrawn: bool = False

    @property
    def settled(self) -> int:
        return self.done + self.failed

    @property
    def percent(self) -> int:
        return round(100 * self.settled / self.total) if self.total else 100


def bulk_issue_progress(*, bulk: BulkIssue) -> Progress:
    return Progress(
        status=bulk.status,
        status_label=bulk.get_status_display(),
        total=bulk.total,
        done=bulk.done,
        failed=bulk.failed,
        finished=bulk.status == BulkIssue.Status.FINISHED,
        has_zip=bool(bulk.zip_file),
        zip_withdrawn=not bulk.zip_file and bulk.zip_withdrawn_at is not None,
    )

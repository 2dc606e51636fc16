"""Reads for the periodic jobs: evidence past its retention period, certificates whose PDF was
never rendered, and bulk issue work left unfinished."""

from datetime import datetime

from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet

from ..models import (
    AccreditationApplication,
    BulkIssue,
    BulkIssueItem,
    Certificate,
    Decision,
    Evidence,
    SupervisedReview,
)

AppStatus = AccreditationApplication.Status

# Approved and declined are final: no transition leaves them, and a trainee cannot start another
# application on the same review. Referred is not: the trainee resubmits.
DECIDED = (AppStatus.APPROVED, AppStatus.DECLINED)
OPEN = (AppStatus.DRAFT, AppStatus.SUBMITTED, AppStatus.REFERRED)
FINAL_OUTCOMES = (Decision.Outcome.APPROVED, Decision.Outcome.DECLINED)


def reviews_due_for_evidence_purge(*, decided_before: datetime) -> QuerySet[SupervisedReview]:
    """Reviews whose evidence files have outlived the retention period.

    A review is *decided* when at least one application rests on it, every application on it is
    approved or declined (none is a draft, submitted or referred back), and the assessor's final
    decision on each was recorded in an append-only ``Decision`` with that outcome. The retention
    period runs from the latest of those decisions, so when a pair of trainees share a review the
    clock starts only once the second of them is decided, and a partner's application that is
    still open keeps the files for the assessor reading it. A trainee partner who has not applied
    yet keeps them too: they may still apply on the same review.
    """
    open_application = AccreditationApplication.objects.filter(
        review=OuterRef("pk"), status__in=OPEN
    )
    decided = AccreditationApplication.objects.filter(review=OuterRef("pk"), status__in=DECIDED)
    return (
        SupervisedReview.objects.annotate(
            decided_at=Max(
                "applications__decisions__created_at",
                filter=Q(
                    applications__status__in=DECIDED,
                    applications__decisions__outcome__in=FINAL_OUTCOMES,
                ),
            ),
            has_open=Exists(open_application),
            trainee_decided=Exists(decided.filter(trainee=OuterRef("trainee"))),
            partner_decided=Exists(decided.filter(trainee=OuterRef("partner"))),
        )
        .filter(decided_at__lt=decided_before, has_open=False)
        # Each trainee on the review needs it until their own application is decided, even one
        # who has not applied yet; a person whose data was erased no longer does.
        .filter(Q(trainee_decided=True) | Q(trainee__erased_at__isnull=False))
        .filter(
            Q(partner__isnull=True)
            | Q(partner_is_accredited=True)
            | Q(partner_decided=True)
            | Q(partner__erased_at__isnull=False)
        )
        .order_by("pk")
    )


def evidence_files_due_for_purge(*, decided_before: datetime) -> QuerySet[Evidence]:
    return Evidence.objects.filter(
        kind=Evidence.Kind.FILE,
        purged_at__isnull=True,
        stage__review__in=reviews_due_for_evidence_purge(decided_before=decided_before).values(
            "pk"
        ),
    ).exclude(file="")


def evidence_purged_with_file_left(*, purged_before: datetime) -> QuerySet[Evidence]:
    """Rows marked purged whose file deletion never ran (the process stopped between the commit
    and the deletion): the file name is cleared only once storage has deleted it."""
    return Evidence.objects.filter(purged_at__lt=purged_before).exclude(file="")


def certificates_missing_pdf(*, issued_before: datetime, claimed_before: datetime):
    """Certificates that should have a PDF by now and that no worker is rendering: issued (or
    suspended since) before ``issued_before``, with no file, and never claimed or claimed before
    ``claimed_before`` by a worker that must have died. A holder whose personal data was erased
    has no PDF on purpose: it printed their name."""
    return (
        Certificate.objects.filter(
            status__in=(Certificate.Status.ISSUED, Certificate.Status.SUSPENDED),
            pdf="",
            created_at__lt=issued_before,
            holder__erased_at__isnull=True,
        )
        .filter(Q(rendering_started_at__isnull=True) | Q(rendering_started_at__lt=claimed_before))
        .order_by("pk")
    )


def bulk_items_stuck(*, queued_before: datetime, claimed_before: datetime):
    """Bulk issue items no worker will finish on its own: still pending in a job started before
    ``queued_before`` (their message never reached the broker, or was lost), or running under a
    claim taken before ``claimed_before`` by a worker that died with its message."""
    return (
        BulkIssueItem.objects.filter(
            Q(status=BulkIssueItem.Status.PENDING, bulk__created_at__lt=queued_before)
            | Q(status=BulkIssueItem.Status.RUNNING, claimed_at__lt=claimed_before)
        )
        .exclude(bulk__status=BulkIssue.Status.FINISHED)
        .order_by("pk")
    )


def bulk_issues_settled_without_zip(*, claimed_before: datetime):
    """Jobs whose every item has settled but that were never finished: the finaliser's message
    was lost, or its worker died while writing the ZIP."""
    return (
        BulkIssue.objects.exclude(status=BulkIssue.Status.FINISHED)
        .filter(total__gt=0, total__lte=F("done") + F("failed"))
        .filter(Q(zip_started_at__isnull=True) | Q(zip_started_at__lt=claimed_before))
        .order_by("pk")
    )

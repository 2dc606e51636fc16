"""Housekeeping run by Celery beat: the evidence retention purge, and the sweeper that enqueues
again any work a lost message left undone.

The database is the source of truth for both. The purge marks rows in a transaction and deletes
files only after it commits; the sweeper reads which certificates and emails are still
unfinished and enqueues them, relying on each task's own claim to do the work once.
"""

import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from wagtail.log_actions import log

from ..models import Evidence, SupervisedReview
from ..selectors.maintenance import (
    bulk_issues_settled_without_zip,
    bulk_items_stuck,
    certificates_missing_pdf,
    evidence_files_due_for_purge,
    evidence_purged_with_file_left,
    reviews_due_for_evidence_purge,
)
from .bulk import STALE_CLAIM_AFTER as BULK_STALE_CLAIM_AFTER
from .pdf import STALE_CLAIM_AFTER

logger = logging.getLogger(__name__)

# Work younger than this may still be in the queue; the sweeper leaves it to its first message.
STUCK_AFTER = timedelta(minutes=10)
# A purge whose file deletion has not happened this long after its commit was interrupted.
INTERRUPTED_PURGE_AFTER = timedelta(hours=1)


def _evidence_storage():
    # The field's own storage (private), so the name deleted is the name the field saved.
    return Evidence._meta.get_field("file").storage


# Evidence retention ------------------------------------------------------------------------


def evidence_purge_expired(*, now: datetime | None = None) -> int:
    """Delete the evidence files of reviews decided more than EVIDENCE_RETENTION_DAYS ago.

    The rows stay (title, original name, size, who added it and when) with ``purged_at`` set, as
    do the sign-offs, decisions, audit trail and certificate. Returns how many files were marked
    for deletion; a file that storage fails to delete is un-marked and tried again next run.
    """
    now = now or timezone.now()
    decided_before = now - timedelta(days=settings.EVIDENCE_RETENTION_DAYS)
    _finish_interrupted_purges(now=now)
    review_ids = (
        evidence_files_due_for_purge(decided_before=decided_before)
        .order_by()
        .values_list("stage__review_id", flat=True)
        .distinct()
    )
    return sum(
        evidence_purge_review(review_id=review_id, decided_before=decided_before, now=now)
        for review_id in sorted(set(review_ids))
    )


@transaction.atomic
def evidence_purge_review(*, review_id: int, decided_before: datetime, now: datetime) -> int:
    # Locking the review serialises the purge with a trainee starting an application on it
    # (application_save_draft locks the same row), so the check below cannot go stale.
    review = SupervisedReview.objects.select_for_update().get(pk=review_id)
    decided = (
        reviews_due_for_evidence_purge(decided_before=decided_before)
        .filter(pk=review.pk)
        .values_list("decided_at", flat=True)
        .first()
    )
    if decided is None:
        return 0
    items = list(
        Evidence.objects.select_for_update(of=("self",))
        .filter(
            stage__review=review,
            kind=Evidence.Kind.FILE,
            purged_at__isnull=True,
        )
        .exclude(file="")
        .order_by("pk")
        .values_list("pk", "file")
    )
    if not items:
        return 0
    Evidence.objects.filter(pk__in=[pk for pk, _ in items]).update(purged_at=now)
    # The count and ids only: never a file's name or contents.
    log(
        instance=review,
        action="accreditation.evidence.purge",
        user=None,
        data={
            "count": len(items),
            "evidence_ids": [pk for pk, _ in items],
            "retention_days": settings.EVIDENCE_RETENTION_DAYS,
            "decided_at": decided.isoformat(),
        },
    )
    transaction.on_commit(
        lambda: _delete_purged_files(review_id=review.pk, items=items, purged_at=now)
    )
    return len(items)


def _delete_purged_files(
    *, review_id: int, items: list[tuple[int, str]], purged_at: datetime
) -> None:
    storage = _evidence_storage()
    failed: list[int] = []
    for pk, name in items:
        try:
            storage.delete(name)
        except Exception:
            logger.exception("Could not delete the file of evidence %s; will retry.", pk)
            # Un-purged, so the next run selects it again and the pages keep offering the file
            # that is still there.
            Evidence.objects.filter(pk=pk, purged_at=purged_at).update(purged_at=None)
            failed.append(pk)
        else:
            # The name is cleared only now: a purged row that still names a file tells the next
            # run that this deletion never happened.
            Evidence.objects.filter(pk=pk).update(file="")
    if failed:
        log(
            instance=SupervisedReview.objects.get(pk=review_id),
            action="accreditation.evidence.purge_failed",
            user=None,
            data={"count": len(failed), "evidence_ids": failed},
        )


def _finish_interrupted_purges(*, now: datetime) -> None:
    stuck = list(
        evidence_purged_with_file_left(purged_before=now - INTERRUPTED_PURGE_AFTER).values_list(
            "pk", "file", "stage__review_id", "purged_at"
        )
    )
    for pk, name, review_id, purged_at in stuck:
        _delete_purged_files(review_id=review_id, items=[(pk, name)], purged_at=purged_at)


# The sweeper -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepResult:
    certificates: int
    notifications: int
    bulk_items: int = 0
    bulk_issues: int = 0
    invitations: int = 0
    enquiries: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _first_in_a_while(kind: str, pk: int) -> bool:
    # While a long queue (a bulk issue) drains, the same item stays unfinished across several
    # sweeps; enqueue it again once per STUCK_AFTER rather than every five minutes.
    return cache.add(f"sweeper:{kind}:{pk}", 1, timeout=int(STUCK_AFTER.total_seconds()))


def stuck_work_requeue(*, now: datetime | None = None) -> SweepResult:
    """Enqueue again, ten minutes after they should have been done, the certificates that still
    have no PDF, the notifications whose email is still unsent, the bulk issue items no worker
    holds, and the bulk issues whose items have all settled but whose ZIP was never built; it
    sends a fresh link to invitations whose email never went, and enqueues again the staff
    e-mail of public enquiries that never went."""
    from content.services import enquiries_resend_unsent
    from courses.services.invitations.lifecycle import invitations_resend_unsent
    from notifications.selectors import notifications_unsent_ids
    from notifications.tasks import send_notification_email

    from ..tasks import bulk_issue_finish_task, bulk_issue_item, render_certificate_pdf

    now = now or timezone.now()
    certificates = _enqueue(
        render_certificate_pdf,
        certificates_missing_pdf(
            issued_before=now - STUCK_AFTER, claimed_before=now - STALE_CLAIM_AFTER
        ).values_list("pk", flat=True),
        "certificate",
    )
    notifications = _enqueue(
        send_notification_email,
        notifications_unsent_ids(older_than=STUCK_AFTER),
        "notification",
    )
    # A bulk item's claim goes stale after the same ten minutes, so the new message may take it.
    bulk_items = _enqueue(
        bulk_issue_item,
        bulk_items_stuck(
            queued_before=now - STUCK_AFTER, claimed_before=now - BULK_STALE_CLAIM_AFTER
        ).values_list("pk", flat=True),
        "bulk-item",
    )
    bulk_issues = _enqueue(
        bulk_issue_finish_task,
        bulk_issues_settled_without_zip(claimed_before=now - BULK_STALE_CLAIM_AFTER).values_list(
            "pk", flat=True
        ),
        "bulk-issue",
    )
    return SweepResult(
        certificates=certificates,
        notifications=notifications,
        bulk_items=bulk_items,
        bulk_issues=bulk_issues,
        invitations=invitations_resend_unsent(now=now),
        enquiries=enquiries_resend_unsent(now=now),
    )


def _enqueue(task, ids: Iterable[int], kind: str) -> int:
    enqueued = []
    for pk in ids:
        if not _first_in_a_while(kind, pk):
            continue
        try:
            task.delay(pk)
        except Exception:
            # One item must not stop the sweep: with no broker the next sweep tries again, and
            # (running tasks in-process) a task's own failure is already recorded on its row.
            cache.delete(f"sweeper:{kind}:{pk}")
            logger.exception("Sweeper could not enqueue %s %s again.", kind, pk)
            continue
        enqueued.append(pk)
    if enqueued:
        logger.warning("Sweeper enqueued %s %s(s) again: %s", len(enqueued), kind, enqueued)
    return len(enqueued)

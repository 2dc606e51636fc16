"""The accreditation app's sweep: certificates still without a PDF, bulk issue items no worker
holds, and bulk issues whose items have all settled but whose ZIP was never built."""

from datetime import datetime

from django.utils import timezone

from learning_platform.sweeps import STUCK_AFTER, enqueue_again, register_sweep

from .selectors.maintenance import (
    bulk_issues_settled_without_zip,
    bulk_items_stuck,
    certificates_missing_pdf,
)
from .services.bulk import STALE_CLAIM_AFTER as BULK_STALE_CLAIM_AFTER
from .services.pdf import STALE_CLAIM_AFTER
from .tasks import bulk_issue_finish_task, bulk_issue_item, render_certificate_pdf


@register_sweep
def sweep_accreditation(*, now: datetime | None = None) -> dict[str, int]:
    """Enqueue again, ten minutes after they should have been done, the certificates that still
    have no PDF (or whose render claim went stale), the bulk issue items no worker holds, and
    the bulk issues whose items have all settled but whose ZIP was never built."""
    now = now or timezone.now()
    certificates = enqueue_again(
        render_certificate_pdf,
        certificates_missing_pdf(
            issued_before=now - STUCK_AFTER, claimed_before=now - STALE_CLAIM_AFTER
        ).values_list("pk", flat=True),
        "certificate",
    )
    # A bulk item's claim goes stale after the same ten minutes, so the new message may take it.
    bulk_items = enqueue_again(
        bulk_issue_item,
        bulk_items_stuck(
            queued_before=now - STUCK_AFTER, claimed_before=now - BULK_STALE_CLAIM_AFTER
        ).values_list("pk", flat=True),
        "bulk-item",
    )
    bulk_issues = enqueue_again(
        bulk_issue_finish_task,
        bulk_issues_settled_without_zip(claimed_before=now - BULK_STALE_CLAIM_AFTER).values_list(
            "pk", flat=True
        ),
        "bulk-issue",
    )
    return {"certificates": certificates, "bulk_items": bulk_items, "bulk_issues": bulk_issues}

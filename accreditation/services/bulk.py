"""Bulk certificate issuance: issue the certificates of a cohort's approved applications, or
render fresh PDFs of the certificates they already have, one Celery task per application.

The database is the source of truth for progress. Each item is claimed with a conditional UPDATE
(pending → running), so a duplicated message finds nothing to claim; a message the broker
redelivers after its worker died carries the same task id and may take its own claim back. The
job's counters move with F() expressions in the same transaction as the item's final state, and
the ZIP of the PDFs is claimed once more, so it is built exactly once whoever finishes last.
"""

import hashlib
import logging
import tempfile
import zipfile
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import timedelta

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify

from wagtail.log_actions import log

from kombu.exceptions import OperationalError as BrokerError

from courses.models import Cohort
from learning_platform.accounts.models import User
from learning_platform.accounts.roles import user_is_programme_staff

from ..exceptions import TransitionError
from ..models import AccreditationApplication, BulkIssue, BulkIssueItem, Certificate
from .bulk_selection import bulk_applications_for_cohort, bulk_applications_selected
from .certificates import certificate_issue
from .pdf import (
    certificate_claim_render,
    certificate_html,
    certificate_render_pdf,
    certificate_take_over_render,
    html_to_pdf,
    sign_pdf,
)

logger = logging.getLogger(__name__)

Kind = BulkIssue.Kind
ItemStatus = BulkIssueItem.Status
# A claim older than this belongs to a worker that died and whose message was lost with it.
STALE_CLAIM_AFTER = timedelta(minutes=10)
ERROR_MAX_LENGTH = BulkIssueItem._meta.get_field("error").max_length


class CertificateBeingRendered(Exception):
    """Another task holds the certificate's render claim; try again shortly."""


@dataclass(frozen=True)
class ItemOutcome:
    status: str  # "done", "failed", "busy" or "skipped" (nothing to claim)
    bulk_id: int | None = None


# Starting a job ------------------------------------------------------------------------------


def bulk_issue_start_for_cohort(*, cohort: Cohort, by: User, kind: str) -> BulkIssue:
    """Start a job for every approved application in the cohort that ``kind`` applies to."""
    return _start(
        cohort=cohort,
        by=by,
        kind=kind,
        choose=lambda: bulk_applications_for_cohort(cohort=cohort, kind=kind),
    )


def bulk_issue_start_for_applications(
    *, cohort: Cohort, application_ids: Collection[int], by: User, kind: str
) -> BulkIssue:
    """Start a job for the selected applications of the cohort."""
    return _start(
        cohort=cohort,
        by=by,
        kind=kind,
        choose=lambda: bulk_applications_selected(
            cohort=cohort, application_ids=application_ids, kind=kind
        ),
    )


def _start(
    *,
    cohort: Cohort,
    by: User,
    kind: str,
    choose: Callable[[], list[AccreditationApplication]],
) -> BulkIssue:
    """Validate the selection, create the job and its items in one transaction, and enqueue one
    task per item once it commits."""
    if not user_is_programme_staff(by):
        raise TransitionError("Only programme staff can issue certificates in bulk.")
    if kind not in Kind.values:
        raise TransitionError("Choose whether to issue certificates or re-render their PDFs.")
    with transaction.atomic():
        chosen = choose()
        bulk = BulkIssue.objects.create(
            cohort=cohort, requested_by=by, kind=kind, total=len(chosen)
        )
        items = BulkIssueItem.objects.bulk_create(
            BulkIssueItem(
                bulk=bulk,
                application=application,
                certificate=application.certificate if application.has_certificate else None,
            )
            for application in chosen
        )
        log(
            instance=bulk,
            action="accreditation.bulk_issue.start",
            user=by,
            data={"kind": kind, "total": len(chosen), "cohort": cohort.pk},
        )
        item_ids = [item.pk for item in items]
        transaction.on_commit(lambda: _enqueue_items(item_ids))
    return bulk


def _enqueue_items(item_ids: list[int]) -> None:
    """Send one task per item. A broker that cannot be reached is logged, not raised into the
    request: the job and its pending items are committed, and stay on the job's page."""
    from ..tasks import bulk_issue_item

    try:
        # One connection for the whole batch rather than one per message.
        with bulk_issue_item.app.producer_or_acquire() as producer:
            for item_id in item_ids:
                bulk_issue_item.apply_async((item_id,), producer=producer)
    except BrokerError:
        logger.exception("Could not enqueue %s bulk issue item(s)", len(item_ids))


@transaction.atomic
def bulk_issue_retry_failed(*, bulk: BulkIssue, by: User) -> int:
    """Put the failed items of a finished job back in the queue; returns how many."""
    if not user_is_programme_staff(by):
        raise TransitionError("Only programme staff can retry a bulk issue.")
    bulk = BulkIssue.objects.select_for_update().get(pk=bulk.pk)
    if bulk.status != BulkIssue.Status.FINISHED:
        raise TransitionError("Wait until this job has finished before retrying its failures.")
    failed = list(bulk.items.filter(status=ItemStatus.FAILED).values_list("pk", flat=True))
    if not failed:
        raise TransitionError("Nothing to retry: no item failed.")
    BulkIssueItem.objects.filter(pk__in=failed).update(
        status=ItemStatus.PENDING, error="", task_id="", claimed_at=None, finished_at=None
    )
    old_zip = bulk.zip_file.name
    BulkIssue.objects.filter(pk=bulk.pk).update(
        failed=F("failed") - len(failed),
        status=BulkIssue.Status.RUNNING,
        finished_at=None,
        zip_file="",
        zip_started_at=None,
    )
    log(
        instance=bulk,
        action="accreditation.bulk_issue.retry",
        user=by,
        data={"items": len(failed)},
    )
    if old_zip:
        # The ZIP will be built again with the retried certificates in it.
        storage = BulkIssue._meta.get_field("zip_file").storage
        transaction.on_commit(lambda: storage.delete(old_zip))
    transaction.on_commit(lambda: _enqueue_items(failed))
    return len(failed)


# Working an item ----------------------------------------------------------------------------


def bulk_item_claim(*, item_id: int, task_id: str) -> bool:
    """True for exactly one task: the first to take a pending item, the same message coming back
    after its worker died, or anyone once a claim has gone stale."""
    now = timezone.now()
    claimed = (
        BulkIssueItem.objects.filter(pk=item_id)
        .filter(
            Q(status=ItemStatus.PENDING)
            | Q(status=ItemStatus.RUNNING, task_id=task_id)
            | Q(status=ItemStatus.RUNNING, claimed_at__lt=now - STALE_CLAIM_AFTER)
        )
        .update(status=ItemStatus.RUNNING, task_id=task_id, claimed_at=now)
    )
    return claimed == 1


def _issue(item: BulkIssueItem) -> Certificate:
    existing = Certificate.objects.filter(application_id=item.application_id).first()
    if existing is not None:
        # Issued by an earlier delivery of this task that died before it finished.
        return existing
    application = AccreditationApplication.objects.select_related("scheme").get(
        pk=item.application_id
    )
    return certificate_issue(application=application, by=item.bulk.requested_by)


def _render_missing(certificate: Certificate, *, redelivered: bool) -> None:
    if certificate_claim_render(certificate_id=certificate.pk):
        certificate_render_pdf(certificate_id=certificate.pk)
        return
    certificate.refresh_from_db(fields=["pdf"])
    if certificate.pdf:
        return
    if User.objects.filter(pk=certificate.holder_id, erased_at__isnull=False).exists():
        raise TransitionError(
            f"{certificate.number} is not rendered: its holder's personal data was erased."
        )
    if redelivered and certificate_take_over_render(certificate_id=certificate.pk):
        certificate_render_pdf(certificate_id=certificate.pk)
        return
    raise CertificateBeingRendered(certificate.number)


def _render_fresh(certificate: Certificate) -> None:
    """Replace the PDF with a freshly rendered one, swapping file names only if nobody else
    changed it meanwhile (a redelivered task then simply renders once more)."""
    certificate = Certificate.objects.select_related("holder", "scheme").get(pk=certificate.pk)
    old_name = certificate.pdf.name
    storage = Certificate._meta.get_field("pdf").storage
    pdf = sign_pdf(html_to_pdf(certificate_html(certificate)))
    saved = storage.save(f"certificates/{certificate.number}.pdf", ContentFile(pdf))
    swapped = Certificate.objects.filter(pk=certificate.pk, pdf=old_name).update(
        pdf=saved, pdf_sha256=hashlib.sha256(pdf).hexdigest()
    )
    if swapped != 1:
        storage.delete(saved)
        raise TransitionError("The certificate's PDF changed while it was being re-rendered.")
    if old_name and old_name != saved:
        storage.delete(old_name)


def _short(error: Exception) -> str:
    text = str(error).strip() or error.__class__.__name__
    return text[:ERROR_MAX_LENGTH]


def _settle(item: BulkIssueItem, *, task_id: str, status: str, error: str = "", certificate=None):
    with transaction.atomic():
        updates = {"status": status, "error": error, "finished_at": timezone.now()}
        if certificate is not None:
            updates["certificate"] = certificate
        moved = BulkIssueItem.objects.filter(
            pk=item.pk, status=ItemStatus.RUNNING, task_id=task_id
        ).update(**updates)
        if moved == 1:
            counter = "done" if status == ItemStatus.DONE else "failed"
            BulkIssue.objects.filter(pk=item.bulk_id).update(**{counter: F(counter) + 1})
    return moved == 1


def bulk_item_process(*, item_id: int, task_id: str, redelivered: bool = False) -> ItemOutcome:
    """Claim the item, issue or re-render its certificate, and settle it as done or failed.

    Returns "busy" when another task is rendering the same certificate: the caller tries again
    later, still holding the item's claim under the same task id."""
    if not bulk_item_claim(item_id=item_id, task_id=task_id):
        bulk_id = BulkIssueItem.objects.filter(pk=item_id).values_list("bulk_id", flat=True).first()
        return ItemOutcome("skipped", bulk_id)
    item = BulkIssueItem.objects.select_related("bulk__requested_by").get(pk=item_id)
    BulkIssue.objects.filter(pk=item.bulk_id, status=BulkIssue.Status.QUEUED).update(
        status=BulkIssue.Status.RUNNING
    )
    try:
        if item.bulk.kind == Kind.ISSUE:
            certificate = _issue(item)
            _render_missing(certificate, redelivered=redelivered)
        else:
            certificate = item.certificate
            if certificate.pdf:
                _render_fresh(certificate)
            else:
                _render_missing(certificate, redelivered=redelivered)
    except CertificateBeingRendered:
        return ItemOutcome("busy", item.bulk_id)
    except DatabaseError:
        # Transient (a lost connection, a lock): the task retries under the same claim.
        raise
    except Exception as error:  # noqa: BLE001 - any failure is recorded on the item
        logger.warning("Bulk issue item %s failed", item_id, exc_info=True)
        _settle(item, task_id=task_id, status=ItemStatus.FAILED, error=_short(error))
        return ItemOutcome("failed", item.bulk_id)
    _settle(item, task_id=task_id, status=ItemStatus.DONE, certificate=certificate)
    return ItemOutcome("done", item.bulk_id)


def bulk_item_fail(*, item_id: int, task_id: str, error: str) -> None:
    """Give up on an item this task holds (for example, its certificate stayed busy)."""
    item = BulkIssueItem.objects.get(pk=item_id)
    _settle(item, task_id=task_id, status=ItemStatus.FAILED, error=error[:ERROR_MAX_LENGTH])


# Finishing a job -----------------------------------------------------------------------------


def bulk_issue_claim_zip(*, bulk_id: int) -> bool:
    """True for exactly one caller once every item has settled and no ZIP exists yet."""
    now = timezone.now()
    claimed = (
        BulkIssue.objects.filter(pk=bulk_id, zip_file="", total=F("done") + F("failed"))
        .exclude(status=BulkIssue.Status.FINISHED)
        .filter(Q(zip_started_at__isnull=True) | Q(zip_started_at__lt=now - STALE_CLAIM_AFTER))
        .update(zip_started_at=now)
    )
    return claimed == 1


# An erasure that lands while the ZIP is written makes it stale; so few are expected that a job
# still changing after this many builds is left for the sweeper to finish later.
ZIP_BUILD_ATTEMPTS = 3


def bulk_issue_finish(*, bulk_id: int) -> bool:
    """Build the ZIP of the job's PDFs into private storage and mark the job finished, if every
    item has settled and nobody else is doing it. Safe to call from every item's task.

    The ZIP is attached only while the certificates it copied are locked and still have those
    PDFs. An erasure takes the same locks before it removes a PDF, so either it came first (the
    ZIP is stale: build it again without that certificate) or it waits and then withdraws the
    ZIP it finds attached."""
    if not bulk_issue_claim_zip(bulk_id=bulk_id):
        return False
    bulk = BulkIssue.objects.select_related("cohort").get(pk=bulk_id)
    field = BulkIssue._meta.get_field("zip_file")
    for _attempt in range(ZIP_BUILD_ATTEMPTS):
        names = _zip_contents(bulk_id)
        saved = ""
        try:
            if names:
                saved = _write_zip(bulk, names)
            with transaction.atomic():
                stale = bool(names) and _zip_contents(bulk_id, lock=True) != names
                finished = 0
                if not stale:
                    finished = (
                        BulkIssue.objects.filter(pk=bulk_id, zip_file="")
                        .exclude(status=BulkIssue.Status.FINISHED)
                        .update(
                            zip_file=saved,
                            status=BulkIssue.Status.FINISHED,
                            finished_at=timezone.now(),
                        )
                    )
        except Exception:
            # Let the next caller build it at once rather than after the claim goes stale.
            BulkIssue.objects.filter(pk=bulk_id, zip_file="").update(zip_started_at=None)
            if saved:
                field.storage.delete(saved)
            raise
        if finished != 1 and saved:
            field.storage.delete(saved)
        if not stale:
            return finished == 1
        logger.info(
            "Bulk issue %s: a PDF changed while its ZIP was written; building again.", bulk_id
        )
    # Still changing: the claim goes stale and the sweeper builds the ZIP later.
    return False


def _zip_contents(bulk_id: int, *, lock: bool = False) -> list[tuple[str, str]]:
    """(certificate number, PDF name) of each certificate the job's ZIP holds, locked if asked."""
    certificate_ids = BulkIssueItem.objects.filter(
        bulk_id=bulk_id, status=ItemStatus.DONE, certificate__isnull=False
    ).values("certificate_id")
    certificates = Certificate.objects.filter(pk__in=certificate_ids).exclude(pdf="")
    if lock:
        certificates = certificates.select_for_update()
    return list(certificates.order_by("number").values_list("number", "pdf"))


def _write_zip(bulk: BulkIssue, names: list[tuple[str, str]]) -> str:
    pdf_storage = Certificate._meta.get_field("pdf").storage
    zip_storage = BulkIssue._meta.get_field("zip_file").storage
    # PDFs are compressed already; storing them is as small and much faster.
    with tempfile.TemporaryFile() as spool:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_STORED) as archive:
            for number, pdf_name in names:
                with pdf_storage.open(pdf_name, "rb") as pdf:
                    archive.writestr(f"{number}.pdf", pdf.read())
        spool.seek(0)
        return zip_storage.save(bulk_issue_zip_name(bulk), File(spool))


def bulk_issue_zip_name(bulk: BulkIssue) -> str:
    return f"bulk-issues/certificates-{slugify(bulk.cohort.name) or 'cohort'}-{bulk.pk}.zip"

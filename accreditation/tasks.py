"""Celery tasks for accreditation, declared and retried as learning_platform.background says.
Each takes ids and calls one service, and is safe to run twice."""

from django.db import DatabaseError

from learning_platform.background import background_task

from .selectors.bulk import bulk_issue_settled
from .services.bulk import bulk_issue_finish, bulk_item_fail, bulk_item_process
from .services.pdf import (
    certificate_claim_render,
    certificate_render_pdf,
    certificate_take_over_render,
)

# How often, and how far apart, an item waits for another task rendering its certificate.
BUSY_RETRIES = 30
BUSY_COUNTDOWN_SECONDS = 2


def _redelivered(task) -> bool:
    # The broker sets this when it hands back a message whose worker died before acking it.
    return bool((task.request.delivery_info or {}).get("redelivered"))


@background_task(transient=(OSError, DatabaseError))
def render_certificate_pdf(self, certificate_id: int) -> None:
    # Claim the work: a duplicated task finds nothing to claim and stops. A redelivered one finds
    # the claim its dead worker left, and a retry the claim its own failed attempt may have left
    # (a database error can stop it releasing the claim); both take it over rather than wait
    # for it to go stale.
    claimed = certificate_claim_render(certificate_id=certificate_id) or (
        (_redelivered(self) or self.request.retries > 0)
        and certificate_take_over_render(certificate_id=certificate_id)
    )
    if not claimed:
        return
    certificate_render_pdf(certificate_id=certificate_id)


# A database that fails between claiming and settling leaves the item claimed by this task id;
# the retry carries the same id, so it takes the claim back and finishes the item.
@background_task(transient=(DatabaseError,))
def bulk_issue_item(self, item_id: int) -> None:
    outcome = bulk_item_process(
        item_id=item_id, task_id=self.request.id, redelivered=_redelivered(self)
    )
    if outcome.status == "busy":
        # Waiting for another task, not a failure: a short fixed countdown, then given up.
        if self.request.retries < BUSY_RETRIES:
            # The retry keeps this task id, so it may take its own claim on the item back.
            raise self.retry(countdown=BUSY_COUNTDOWN_SECONDS, max_retries=BUSY_RETRIES)
        bulk_item_fail(
            item_id=item_id,
            task_id=self.request.id,
            error="Another task kept rendering this certificate; retry the failed items.",
        )
    if outcome.bulk_id is not None and bulk_issue_settled(bulk_id=outcome.bulk_id):
        # Every item has settled: the finaliser builds the ZIP, once, whoever asks first.
        bulk_issue_finish_task.delay(outcome.bulk_id)


@background_task(transient=(OSError,))
def bulk_issue_finish_task(self, bulk_id: int) -> None:
    bulk_issue_finish(bulk_id=bulk_id)

"""How every Celery task of ours is declared, retried and given up on.

Every task is written the same way::

    @background_task(transient=(OSError,))
    def bulk_issue_finish_task(self, bulk_id: int) -> None:
        bulk_issue_finish(bulk_id=bulk_id)

- **It takes ids and calls one service**, which claims its row before doing the work, so a task
  run twice (a duplicate message, a redelivery, the sweeper's extra copy) does the work once.
- **Acknowledged late, rejected on a lost worker.** The broker forgets a message only once its
  task has finished, and a message whose worker died goes back on the queue. This is set once
  for every task, by CELERY_TASK_ACKS_LATE and CELERY_TASK_REJECT_ON_WORKER_LOST, not per task:
  tests/platform/test_task_acknowledgement.py checks each task resolves both to True.
- **Transient errors are retried with backoff.** ``transient`` names the errors that may pass
  (a refused or timed-out mail server is an OSError, a lock or lost connection a DatabaseError).
  The retry waits ``first_wait`` seconds, then twice as long each time, up to ``max_retries``
  retries. An error that carries ``retry_after`` (seconds) says itself when to try again; one
  whose ``retry_after`` is None is not tried again. Any other error fails the task at once:
  retrying a bug repeats it.
- **Giving up.** A task gives up on a transient error after its last retry, and at once when it
  runs eagerly (no broker: a retry would run at once, inside the request that enqueued it). The
  work is still unfinished in the database, so the sweeper (learning_platform.sweeps) finds it ten
  minutes on and enqueues it again: it is the backstop after the last retry. By default giving up
  raises the error, so Celery records the failure (run eagerly, the caller sees Celery's Retry
  and the row is left for the sweeper). ``give_up="log"`` logs a warning and returns instead,
  for a task whose service already records each failure on its row where people see it, or
  whose caller must not fail with it.
- **Waiting is not failing.** A task that finds its work held by another task (a bulk item
  whose certificate someone else is rendering) retries itself on a short fixed countdown with
  ``self.retry``, and gives the work up explicitly when the wait runs out.
"""

import functools
import inspect
import logging
from collections.abc import Callable
from typing import Literal

from celery import shared_task

logger = logging.getLogger(__name__)

# The longest wait between two retries, whatever the backoff has grown to.
LONGEST_WAIT_SECONDS = 600


def background_task(
    *,
    transient: tuple[type[BaseException], ...] = (),
    first_wait: int = 1,
    max_retries: int = 5,
    give_up: Literal["raise", "log"] = "raise",
) -> Callable:
    """Declare a Celery task (bound: its first argument is the task) retried as described in this
    module's docstring."""

    def decorate(run: Callable) -> Callable:
        @functools.wraps(run)
        def run_with_retries(self, *args, **kwargs):
            try:
                return run(self, *args, **kwargs)
            except transient as error:
                wait = _wait_before_retry(self, error, first_wait=first_wait)
                out_of_retries = self.request.retries >= self.max_retries
                if give_up == "log" and (wait is None or out_of_retries or self.request.is_eager):
                    # Only the first argument, the row's id: a later one (an invitation's link)
                    # must stay out of the log.
                    logger.warning(
                        "%s for %s gave up (%s); the sweeper enqueues it again.",
                        self.name,
                        args[0] if args else "",
                        error,
                    )
                    return None
                if wait is None:
                    raise
                # Past max_retries Celery raises the error itself; run eagerly it raises Retry.
                raise self.retry(exc=error, countdown=wait) from error

        # Celery checks the arguments of .delay() against this, not the wrapper's *args.
        run_with_retries.__signature__ = inspect.signature(run)
        return shared_task(bind=True, max_retries=max_retries)(run_with_retries)

    return decorate


def _wait_before_retry(task, error: BaseException, *, first_wait: int) -> int | None:
    if hasattr(error, "retry_after"):
        return error.retry_after
    return min(first_wait * 2**task.request.retries, LONGEST_WAIT_SECONDS)

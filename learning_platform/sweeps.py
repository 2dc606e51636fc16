"""The sweeper: every app finds and enqueues again its own work that a lost message left undone.

The database is the source of truth, so a lost message (a broker down when the work was asked
for, a worker that died, a task that gave up after its last retry) delays work but never loses
it. Each app that leaves work to a worker has a ``sweeps`` module with ONE function, registered
with ``@register_sweep``, that reads what is still unfinished and enqueues it again::

    @register_sweep
    def sweep_notifications(*, now: datetime | None = None) -> dict[str, int]:
        return {"notifications": enqueue_again(send_notification_email, ids, "notification")}

It returns how many of each kind it enqueued. Work younger than STUCK_AFTER may still be in the
queue, so a sweep leaves it to its first message; each task's own claim makes an extra copy
harmless. Beat runs ``sweep_stuck_work`` every five minutes; a sweep that raises is logged and
the others still run. This module imports no app: the apps' sweeps modules are found the way
their privacy modules are, by autodiscovery.
"""

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.apps import apps
from django.core.cache import cache
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .background import background_task

logger = logging.getLogger(__name__)

# Work younger than this may still be in the queue; the sweeper leaves it to its first message.
STUCK_AFTER = timedelta(minutes=10)

Sweep = Callable[..., dict[str, int]]

_sweeps: dict[str, Sweep] = {}


class SweepCounts(dict[str, int]):
    """How many of each kind of work the sweeps enqueued again (``counts.certificates`` reads
    ``counts["certificates"]``)."""

    def __getattr__(self, kind: str) -> int:
        try:
            return self[kind]
        except KeyError:
            raise AttributeError(kind) from None


def register_sweep(sweep: Sweep) -> Sweep:
    """Register an app's sweep (one per ``sweeps`` module; registering again replaces it)."""
    _sweeps[sweep.__module__] = sweep
    return sweep


def registered_sweeps() -> list[tuple[str, Sweep]]:
    """Each app's sweeps module and its sweep, in INSTALLED_APPS order."""
    autodiscover_modules("sweeps")
    modules = [f"{config.name}.sweeps" for config in apps.get_app_configs()]
    return [(module, _sweeps[module]) for module in modules if module in _sweeps]


def stuck_work_requeue(*, now: datetime | None = None) -> SweepCounts:
    """Run every app's sweep and return what each enqueued again, by kind of work."""
    now = now or timezone.now()
    counts = SweepCounts()
    for module, sweep in registered_sweeps():
        try:
            counts.update(sweep(now=now))
        except Exception:
            # One app's failure (its database query, its broker) must not leave the other apps'
            # work unswept; it is tried again on the next run.
            logger.exception("The sweep in %s failed; the other sweeps still run.", module)
    return counts


@background_task()
def sweep_stuck_work(self) -> dict[str, int]:
    return dict(stuck_work_requeue())


def first_in_a_while(kind: str, pk: int) -> bool:
    """Whether this item may be enqueued again now: once per STUCK_AFTER, not every sweep."""
    # While a long queue (a bulk issue) drains, the same item stays unfinished across several
    # sweeps; enqueue it again once per STUCK_AFTER rather than every five minutes.
    return cache.add(f"sweeper:{kind}:{pk}", 1, timeout=int(STUCK_AFTER.total_seconds()))


def enqueue_again(task, ids: Iterable[int], kind: str) -> int:
    """Enqueue ``task`` again for each id not enqueued again in the last STUCK_AFTER; returns how
    many were enqueued."""
    enqueued = []
    for pk in ids:
        if not first_in_a_while(kind, pk):
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

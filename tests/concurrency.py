"""Make two or more calls overlap inside a locked section, every time, on PostgreSQL.

Threads released together by a barrier rarely meet inside a section that lasts a millisecond, so
a test built on them passes with the lock removed. ``overlap`` forces the meeting instead:

1. the first call runs in its own thread and connection, inside an outer transaction that stays
   open after the call returns, so its row locks are held and its writes are not yet visible;
2. only then do the other calls start, each in its own thread and connection;
3. the first transaction commits once every other call has either finished or is observably
   waiting for a lock (``pg_stat_activity.wait_event_type = 'Lock'`` for its backend).

With the lock in place the others wait for it and then read what the first committed. Without
it they read the state from before the first call, which is the race the lock exists to stop.
Nothing sleeps for timing: the wait is for a state the database reports.
"""

import threading
import time
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction

# Generous: a call waiting for the first transaction is seen within milliseconds; this only
# bounds how long a broken setup can hang a test.
TIMEOUT = 20.0


class _Call(threading.Thread):
    def __init__(self, call: Callable[[], Any], *, hold: threading.Event | None = None):
        super().__init__(daemon=True)
        self.call = call
        self.hold = hold
        self.result: Any = None
        self.pid: int | None = None
        self.started_call = threading.Event()
        self.returned = threading.Event()

    def run(self) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.pid = cursor.fetchone()[0]
            self.started_call.set()
            if self.hold is None:
                self.result = self._call()
            else:
                with transaction.atomic():
                    self.result = self._call()
                    self.returned.set()
                    # Holds the transaction, and with it the locks, until the others wait.
                    if not self.hold.wait(TIMEOUT * 2):
                        raise TimeoutError("the first call was never released")
        except Exception as error:  # noqa: BLE001 - a commit failure is a result too
            self.result = error
        finally:
            self.returned.set()
            connection.close()

    def _call(self) -> Any:
        try:
            return self.call()
        except Exception as error:  # noqa: BLE001 - the test inspects what was raised
            return error


def _waiting_for_lock(pids: list[int]) -> set[int]:
    with connection.cursor() as cursor:
        # Statistics are read once per transaction unless the snapshot is dropped.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE pid = ANY(%s) AND wait_event_type = 'Lock'",
            [pids],
        )
        return {row[0] for row in cursor.fetchall()}


def overlap(first: Callable[[], Any], *others: Callable[[], Any]) -> list[Any]:
    """Run ``first`` and hold its transaction open while ``others`` start; return what each call
    returned or raised, in order (an exception is returned, not raised)."""
    release = threading.Event()
    holder = _Call(first, hold=release)
    holder.start()
    if not holder.returned.wait(TIMEOUT):
        release.set()
        raise AssertionError("the first call did not return")

    calls = [_Call(call) for call in others]
    for call in calls:
        call.start()
    try:
        deadline = time.monotonic() + TIMEOUT
        while True:
            for call in calls:
                call.started_call.wait(TIMEOUT)
            running = [c for c in calls if not c.returned.is_set()]
            waiting = _waiting_for_lock([c.pid for c in running]) if running else set()
            if all(c.pid in waiting for c in running):
                break
            if time.monotonic() > deadline:
                raise AssertionError(
                    "the other calls neither finished nor waited for a lock: "
                    f"{[c.pid for c in running if c.pid not in waiting]}"
                )
            time.sleep(0.005)
    finally:
        release.set()
        holder.join(TIMEOUT * 2)
        for call in calls:
            call.join(TIMEOUT * 2)
    stuck = [c for c in (holder, *calls) if c.is_alive()]
    assert not stuck, "a call never finished"
    return [holder.result, *(c.result for c in calls)]


def errors(results: list[Any]) -> list[Exception]:
    return [result for result in results if isinstance(result, Exception)]

"""A render task whose process is killed mid-run is redelivered and completes, once, on the worker
the Procfile runs in production: the prefork pool, at the Procfile's concurrency.

The worker runs as a separate process (so it can be SIGKILLed), started from the Procfile's own
worker command, so the pool and concurrency tested cannot drift from production's. It needs a
database another process can open: the PostgreSQL tier's. SQLite's test database lives in this
process's memory, so these tests belong to the PostgreSQL tier only.

Under prefork the main process fetches and acknowledges messages and a pool child runs the task.
Losing a child is the common failure (out of memory, a crash in a C library): the main process
sees the child die and, because the task acknowledges late and rejects on a lost worker, puts
the message back on the queue at once, where the same worker takes it again. Losing the whole
worker (its machine) leaves the message unacknowledged in Redis, and another worker restores it
once the broker's visibility timeout has passed.

What breaks these tests (each tried by hand, then restored):

- ``acks_late=False`` on ``render_certificate_pdf`` together with ``CELERY_TASK_ACKS_LATE=False``:
  the main process acknowledges the message when a child accepts it, so neither killing the
  child nor killing the worker brings it back; both tests time out waiting for the second start.
- ``CELERY_TASK_REJECT_ON_WORKER_LOST=False``: the main process acknowledges the message of the
  lost child as failed, so the child test times out. (The whole-worker test still passes: a
  dead main process acknowledges nothing, which is what the visibility timeout is for.)

Celery's solo pool would hide the first break: there the task runs in the process that
would send the early acknowledgement, and a killed process sends nothing.
"""

import contextlib
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.core.files.storage import FileSystemStorage
from django.db import connection

import pytest
import redis

from accreditation.models import Certificate
from learning_platform.celery import app
from tests.conftest import _reset_connection_pools

from .award_builders import approve, make_ready, submit
from .gated_storage import GATE_OPEN, GATE_PIDS, GATE_STARTED

pytestmark = [pytest.mark.celery, pytest.mark.postgres]

ROOT = Path(__file__).resolve().parent.parent.parent
PROCFILE = ROOT / "Procfile"
# Longer than any of these tests: a requeue seen within it came from the lost child's rejection,
# not from Redis restoring a message nobody acknowledged.
NO_VISIBILITY_RESTORE = 3600
# Longer than the first worker takes to start and reach the gate on a busy machine. A shorter one
# would let that worker's main process, alive and sweeping, restore its own message (still held
# by a child waiting at the gate) to its second child: the timeout must outlast the longest task.
WHOLE_WORKER_VISIBILITY_TIMEOUT = 30
QUEUE = "celery"
# kombu's Redis transport keeps delivered but unacknowledged messages here.
UNACKED = "unacked"


def procfile_worker_arguments() -> list[str]:
    """The production worker's command after ``celery``, each ``${NAME:-default}`` at its
    default."""
    for line in PROCFILE.read_text().splitlines():
        kind, _, command = line.partition(":")
        if kind.strip() == "worker":
            words = shlex.split(re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", command))
            assert words[0] == "celery", f"the Procfile's worker is not celery: {command}"
            return words[1:]
    raise AssertionError("the Procfile has no worker process")


def _option(arguments: list[str], long: str, short: str) -> str | None:
    for index, word in enumerate(arguments):
        if word.startswith(f"{long}="):
            return word.split("=", 1)[1]
        if word in (long, short):
            return arguments[index + 1]
    return None


def _parent_of(pid: int) -> int:
    # /proc/<pid>/stat is "pid (comm) state ppid ..."; comm may hold spaces and brackets.
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


def test_it_runs_the_worker_the_procfile_runs_with_a_pool_of_child_processes():
    arguments = procfile_worker_arguments()
    pool = _option(arguments, "--pool", "-P") or app.conf.worker_pool
    concurrency = _option(arguments, "--concurrency", "-c")
    # The tests below kill a pool child, which only the prefork pool has; a Procfile that names
    # another pool needs another way of losing the process that holds a task.
    assert pool == "prefork"
    assert concurrency is not None and int(concurrency) >= 2


@pytest.fixture
def broker(redis_url, postgres_db, transactional_db, settings):
    """Tasks sent from this process go to Redis; no worker runs in this process."""
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    previous = {
        "broker_url": app.conf.broker_url,
        "task_always_eager": app.conf.task_always_eager,
    }
    settings.CELERY_TASK_ALWAYS_EAGER = False
    _reset_connection_pools(app)
    app.conf.update(broker_url=redis_url, task_always_eager=False)
    try:
        yield client
    finally:
        app.conf.update(**previous)
        _reset_connection_pools(app)
        client.flushdb()


@pytest.fixture
def private_dir(tmp_path, monkeypatch):
    folder = tmp_path / "private"
    folder.mkdir()
    monkeypatch.setattr(
        Certificate._meta.get_field("pdf"), "storage", FileSystemStorage(location=folder)
    )
    return folder


class Worker:
    """The Procfile's worker command, in its own session so it and its pool can be killed."""

    def __init__(
        self, name: str, redis_url: str, private_dir: Path, log: Path, *, visibility_timeout: int
    ):
        db = connection.settings_dict
        database_url = (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        )
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.accreditation.worker_process_settings",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": redis_url,
            "CELERY_VISIBILITY_TIMEOUT": str(visibility_timeout),
            "PRIVATE_MEDIA_ROOT": str(private_dir),
        }
        self.log = log
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [
                sys.executable,
                "-m",
                "celery",
                *procfile_worker_arguments(),
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
                "-n",
                f"{name}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.pid = self.process.pid

    def kill_all(self) -> None:
        """SIGKILL the main process and its pool together, as when the machine is lost."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=30)
        self.kill_all()  # and any pool child the main process left behind


def _wait_for(predicate, *, what: str, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}; worker log:\n{log.read_text()[-4000:]}")


def _gate_pids(broker) -> list[int]:
    return [int(pid) for pid in broker.lrange(GATE_PIDS, 0, -1)]


def _assert_rendered_once(broker, certificate, private_dir: Path) -> None:
    certificate.refresh_from_db()
    assert broker.llen(GATE_STARTED) == 2  # the killed attempt, then the redelivered one
    assert certificate.pdf.name == f"certificates/{certificate.number}.pdf"
    assert sorted(os.listdir(private_dir / "certificates")) == [f"{certificate.number}.pdf"]
    assert Certificate.objects.count() == 1
    # Nothing is left to deliver a third time: not queued, not awaiting acknowledgement.
    assert broker.llen(QUEUE) == 0
    assert broker.hlen(UNACKED) == 0


def test_it_requeues_a_render_whose_pool_child_is_killed_and_completes_it_once(
    broker, redis_url, private_dir, tmp_path, tess, review, ali
):
    make_ready(tess, review)
    certificate = approve(submit(tess), ali)  # sends the render task once the approval commits
    log = tmp_path / "worker.log"

    worker = Worker(
        "prefork", redis_url, private_dir, log, visibility_timeout=NO_VISIBILITY_RESTORE
    )
    try:
        _wait_for(lambda: broker.llen(GATE_STARTED) == 1, what="the first render", log=log)
        (holder,) = _gate_pids(broker)
        assert holder != worker.pid
        assert _parent_of(holder) == worker.pid  # a child of the pool holds the task
        os.kill(holder, signal.SIGKILL)

        _wait_for(lambda: broker.llen(GATE_STARTED) == 2, what="the requeued render", log=log)
        certificate.refresh_from_db()
        assert certificate.pdf == ""  # the killed child rendered, but stored nothing
        assert certificate.rendering_started_at is not None  # and left its claim behind
        _, second = _gate_pids(broker)
        assert second != holder
        assert _parent_of(second) == worker.pid  # another child of the same, living worker

        broker.set(GATE_OPEN, "1")
        _wait_for(
            lambda: (
                broker.hlen(UNACKED) == 0
                and Certificate.objects.filter(pk=certificate.pk).exclude(pdf="").exists()
            ),
            what="the requeued render to be stored and acknowledged",
            log=log,
        )
        assert worker.process.poll() is None
    finally:
        worker.stop()

    _assert_rendered_once(broker, certificate, private_dir)


def test_it_redelivers_a_render_to_another_worker_when_the_whole_worker_is_lost(
    broker, redis_url, private_dir, tmp_path, tess, review, ali
):
    make_ready(tess, review)
    certificate = approve(submit(tess), ali)
    log = tmp_path / "workers.log"
    timeout = WHOLE_WORKER_VISIBILITY_TIMEOUT

    first = Worker("first", redis_url, private_dir, log, visibility_timeout=timeout)
    try:
        _wait_for(lambda: broker.llen(GATE_STARTED) == 1, what="the first render", log=log)
        (holder,) = _gate_pids(broker)
        assert _parent_of(holder) == first.pid
        first.kill_all()
    finally:
        first.stop()
    certificate.refresh_from_db()
    assert certificate.pdf == ""  # killed after rendering, before storing
    assert certificate.rendering_started_at is not None  # and holding the claim
    assert broker.hlen(UNACKED) == 1  # nobody acknowledged it

    broker.set(GATE_OPEN, "1")
    # The second worker's main process sweeps for messages unacknowledged for longer than the
    # visibility timeout, and restores this one once it has passed.
    second = Worker("second", redis_url, private_dir, log, visibility_timeout=timeout)
    try:
        _wait_for(
            lambda: (
                broker.hlen(UNACKED) == 0
                and Certificate.objects.filter(pk=certificate.pk).exclude(pdf="").exists()
            ),
            what="the redelivered render to be stored and acknowledged",
            log=log,
            timeout=120 + timeout,
        )
        assert _parent_of(_gate_pids(broker)[1]) == second.pid
    finally:
        second.stop()

    _assert_rendered_once(broker, certificate, private_dir)

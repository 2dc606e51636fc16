"""A render task whose worker process is killed mid-run is redelivered to the next worker and
completes, once.

The worker runs as a separate process (so it can be SIGKILLed), which needs a database another
process can open: the PostgreSQL tier's. SQLite's test database lives in this process's memory,
so this test belongs to the PostgreSQL tier only.
"""

import os
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
from .gated_storage import GATE_OPEN, GATE_STARTED

pytestmark = [pytest.mark.celery, pytest.mark.postgres]

ROOT = Path(__file__).resolve().parent.parent.parent
VISIBILITY_TIMEOUT = 2


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
    def __init__(self, name: str, redis_url: str, private_dir: Path, log: Path):
        db = connection.settings_dict
        database_url = (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        )
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.accreditation.worker_process_settings",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": redis_url,
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "PRIVATE_MEDIA_ROOT": str(private_dir),
        }
        self.log = log
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "learning_platform",
                "worker",
                "--pool=solo",
                "-c",
                "1",
                "-l",
                "info",
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

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def _wait_for(predicate, *, what: str, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}; worker log:\n{log.read_text()[-4000:]}")


def test_it_redelivers_a_render_killed_mid_run_and_completes_it_once(
    broker, redis_url, private_dir, tmp_path, tess, review, ali
):
    make_ready(tess, review)
    certificate = approve(submit(tess), ali)  # sends the render task once the approval commits
    log = tmp_path / "workers.log"

    first = Worker("first", redis_url, private_dir, log)
    try:
        _wait_for(lambda: broker.llen(GATE_STARTED) == 1, what="the first render", log=log)
        first.kill()
    finally:
        first.stop()
    certificate.refresh_from_db()
    assert certificate.pdf == ""  # killed after rendering, before storing
    assert certificate.rendering_started_at is not None  # and holding the claim

    broker.set(GATE_OPEN, "1")
    # The broker hands the unacknowledged message back once its visibility timeout has passed.
    time.sleep(VISIBILITY_TIMEOUT + 1)
    second = Worker("second", redis_url, private_dir, log)
    try:
        _wait_for(
            lambda: Certificate.objects.filter(pk=certificate.pk).exclude(pdf="").exists(),
            what="the redelivered render",
            log=log,
        )
    finally:
        second.stop()

    certificate.refresh_from_db()
    assert broker.llen(GATE_STARTED) == 2  # the killed attempt, then the redelivered one
    assert certificate.pdf.name == f"certificates/{certificate.number}.pdf"
    assert sorted(os.listdir(private_dir / "certificates")) == [f"{certificate.number}.pdf"]
    assert Certificate.objects.count() == 1

"""Private storage for a worker process under test: saving a certificate PDF waits until the
test opens a gate in Redis, and says first that it has started, and in which process, so the test
can kill the process that holds the task at a point it chooses (after the render, before the file
is stored)."""

import os
import time

from django.core.files.storage import FileSystemStorage

import redis

GATE_STARTED = "lt-test:gate:started"
GATE_OPEN = "lt-test:gate:open"
# The id of each process that reached the gate, in order: under the prefork pool it is the pool's
# child, not the worker's main process.
GATE_PIDS = "lt-test:gate:pids"
GATE_WAIT_SECONDS = 120


class GatedStorage(FileSystemStorage):
    def _save(self, name, content):
        if name.startswith("certificates/"):
            client = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])
            client.rpush(GATE_PIDS, os.getpid())
            client.rpush(GATE_STARTED, name)
            deadline = time.monotonic() + GATE_WAIT_SECONDS
            while not client.exists(GATE_OPEN):
                if time.monotonic() > deadline:
                    raise OSError("The test never opened the gate.")
                time.sleep(0.05)
        return super()._save(name, content)

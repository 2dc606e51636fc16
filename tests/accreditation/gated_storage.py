"""Private storage for a worker process under test: saving a certificate PDF waits until the
test opens a gate in Redis, and says first that it has started, so the test can kill the worker
at a point it chooses (after the render, before the file is stored)."""

import os
import time

from django.core.files.storage import FileSystemStorage

import redis

GATE_STARTED = "lt-test:gate:started"
GATE_OPEN = "lt-test:gate:open"
GATE_WAIT_SECONDS = 120


class GatedStorage(FileSystemStorage):
    def _save(self, name, content):
        if name.startswith("certificates/"):
            client = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])
            client.rpush(GATE_STARTED, name)
            deadline = time.monotonic() + GATE_WAIT_SECONDS
            while not client.exists(GATE_OPEN):
                if time.monotonic() > deadline:
                    raise OSError("The test never opened the gate.")
                time.sleep(0.05)
        return super()._save(name, content)

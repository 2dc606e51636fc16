"""Settings for a Celery worker the worker-tier tests start as a separate process: the test
settings, the broker and database the test names in the environment, and private files in the
test's folder behind a gate the test controls."""

import os

from learning_platform.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
PRIVATE_MEDIA_ROOT = os.environ["PRIVATE_MEDIA_ROOT"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "private": {
        "BACKEND": "tests.accreditation.gated_storage.GatedStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
}
# A worker sweeps Redis for messages left unacknowledged past the visibility timeout about every
# 100 seconds (10 s between sweeps, a scan on every 10th). A test waiting for that sweep would
# mostly wait, so this worker scans every second.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}

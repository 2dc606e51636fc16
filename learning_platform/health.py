"""Checks behind /health/: each returns None when healthy, or a short reason."""

import contextlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection


def check_database() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return None


def check_cache() -> str | None:
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "ok", 10)
    value = cache.get(key)
    cache.delete(key)
    return None if value == "ok" else "cache did not return the value it stored"


def check_broker() -> str | None:
    if not settings.CELERY_BROKER_URL:
        return None  # tasks run in-process; there is no broker to reach
    from learning_platform.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return None


# /health/ is public, so the storage check must not write a file for every probe: its result
# is kept this long, and a stream of requests costs one write per period (an outage is still
# reported within it).
STORAGE_CHECK_SECONDS = 30
STORAGE_CHECK_CACHE_KEY = "health:storage"


def check_storage() -> str | None:
    cached = None
    # A broken cache is for the cache check to report; storage is then checked every time.
    with contextlib.suppress(Exception):
        cached = cache.get(STORAGE_CHECK_CACHE_KEY)
    if cached is not None:
        return cached or None
    try:
        problem = _storage_write_read_delete()
    except Exception as exc:  # noqa: BLE001 - any failure makes storage unhealthy
        problem = type(exc).__name__
    with contextlib.suppress(Exception):
        cache.set(STORAGE_CHECK_CACHE_KEY, problem or "", STORAGE_CHECK_SECONDS)
    return problem


def _storage_write_read_delete() -> str | None:
    storage = storages["private"]
    name = storage.save(f"health/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        return None if storage.exists(name) else "private storage lost a file it saved"
    finally:
        storage.delete(name)


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "storage": check_storage,
}


def run_checks() -> dict[str, str]:
    results = {}
    for name, check in CHECKS.items():
        try:
            problem = check()
        except Exception as exc:  # noqa: BLE001 - any failure makes the component unhealthy
            problem = f"{type(exc).__name__}"
        results[name] = "ok" if problem is None else f"error: {problem}"
    return results

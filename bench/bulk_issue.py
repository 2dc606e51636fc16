"""Bulk issuance end to end: issue N certificates (default 1,000) to one cohort through real
Celery workers, and set the result against the floor, a bare ReportLab one-page render of the
same text, measured in the same run. Prints figures; never part of the pass/fail suite.

    .venv/bin/python bench/bulk_issue.py            # N=1000
    .venv/bin/python bench/bulk_issue.py --n 50     # a quick smoke run

It creates its own PostgreSQL database (``lt_bench`` by default) and drops it afterwards, uses one
Redis database (flushed before and after), and starts ``--workers`` worker processes
(``celery worker --pool=solo``, default one per core). Each certificate is one task: issue
(numbered in a locked sequence), render HTML → PDF with xhtml2pdf, sign with pyHanko, store; the
last task builds the ZIP.

Measured 2026-11-27 on the development machine: 2 otherwise idle cores, 2 workers, PostgreSQL
and Redis on the same machine, the certificate set in embedded DejaVu Sans:

    certificates:            1000 (2 worker(s), one task each)
    wall time:               54.18 s (start to ZIP built)
    certificates per second: 18.5
    ZIP:                     55.9 MB
    floor, same N in-process with bare ReportLab: 3.47 s
    ratio, bulk issue / floor: 15.6x
    per-PDF median, xhtml2pdf + sign: 40.9 ms
    per-PDF median, bare ReportLab:   3.7 ms
    per-PDF ratio: 11.0x

Each certificate also costs an email notification task and a second render task that finds the
PDF already claimed, so the machine runs three tasks per certificate.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="certificates to issue (1000)")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="worker processes (one per core)"
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server URL, without a database name",
    )
    parser.add_argument("--database", default="lt_bench", help="database to create and drop")
    parser.add_argument(
        "--redis",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
        help="Redis database for the broker (flushed)",
    )
    parser.add_argument(
        "--samples", type=int, default=30, help="in-process renders for the per-PDF medians"
    )
    return parser.parse_args()


ARGS = _arguments()
FILES = Path(tempfile.mkdtemp(prefix="lt-bench-"))
ENV = {
    "DJANGO_SETTINGS_MODULE": "learning_platform.settings.dev",
    "DEBUG": "false",
    "DATABASE_URL": f"{ARGS.postgres.rstrip('/')}/{ARGS.database}",
    "CELERY_BROKER_URL": ARGS.redis,
    "CACHE_URL": ARGS.redis,
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "MEDIA_ROOT": str(FILES / "media"),
    "PRIVATE_MEDIA_ROOT": str(FILES / "private"),
}
os.environ.update(ENV)


def _create_database() -> None:
    import psycopg

    server = ARGS.postgres.replace("postgres://", "postgresql://", 1).rstrip("/") + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{ARGS.database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{ARGS.database}"')


def _drop_database() -> None:
    import psycopg

    server = ARGS.postgres.replace("postgres://", "postgresql://", 1).rstrip("/") + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{ARGS.database}" WITH (FORCE)')


_create_database()

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402

import redis  # noqa: E402

from accreditation.models import BulkIssue, Certificate  # noqa: E402
from accreditation.services import pdf  # noqa: E402
from accreditation.services.bulk import bulk_issue_start  # noqa: E402
from bench.floor import reportlab_page  # noqa: E402
from learning_platform.accounts.models import User  # noqa: E402
from learning_platform.accounts.roles import Role  # noqa: E402


def _start_workers(log: Path) -> list[subprocess.Popen]:
    return [
        subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "learning_platform",
                "worker",
                "--pool=solo",
                "-l",
                "warning",
                "--without-mingle",
                "--without-gossip",
                "-n",
                f"bench{number}@%h",
            ],
            cwd=ROOT,
            env={**os.environ, **ENV},
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        for number in range(ARGS.workers)
    ]


def _stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        worker.terminate()
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()


def _issue(n: int, *, by: User, label: str) -> tuple[float, BulkIssue]:
    from tests.accreditation.bulk_builders import make_approved_applications

    cohort, _ = make_approved_applications(n, prefix=label)
    started = time.perf_counter()
    bulk = bulk_issue_start(cohort=cohort, applications=None, by=by, kind="issue")
    while not BulkIssue.objects.filter(pk=bulk.pk, status="finished").exists():
        time.sleep(0.1)
    elapsed = time.perf_counter() - started
    bulk.refresh_from_db()
    return elapsed, bulk


def _reportlab_page(certificate: Certificate, url: str) -> bytes:
    """The floor: the certificate's text on one page with a bare ReportLab canvas."""
    return reportlab_page(
        holder=certificate.holder.get_full_name(),
        scheme=certificate.scheme.name,
        number=certificate.number,
        awarded=certificate.awarded_at,
        valid_until=certificate.valid_until,
        url=url,
    )


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main() -> None:
    print(f"Preparing database {ARGS.database} and {ARGS.workers} worker(s)...", flush=True)
    call_command("migrate", verbosity=0)
    redis.Redis.from_url(ARGS.redis).flushdb()
    admin = User.objects.create_user(email="bench-admin@example.org", full_name="Bench Admin")
    admin.groups.add(Group.objects.get(name=Role.PROGRAMME_ADMIN.value))
    log = FILES / "workers.log"
    workers = _start_workers(log)
    try:
        # Warm every worker: imports, fonts, the signing key (created by the first render).
        warm_seconds, warm = _issue(ARGS.workers * 3, by=admin, label="warm")
        if warm.failed:
            raise SystemExit(f"Warm-up failed; worker log: {log}")
        print(f"warm-up: {warm.total} certificates in {warm_seconds:.1f} s", flush=True)

        wall, bulk = _issue(ARGS.n, by=admin, label="bench")
    finally:
        _stop_workers(workers)

    certificates = list(
        Certificate.objects.filter(application__trainee__email__startswith="bench")
        .select_related("holder", "scheme")
        .order_by("pk")
    )
    assert bulk.done == ARGS.n and bulk.failed == 0, (bulk.done, bulk.failed, str(log))
    assert len(certificates) == ARGS.n

    # The floor, in this process: the same N certificates as bare ReportLab pages.
    urls = [pdf.verification_url(c) for c in certificates]
    _reportlab_page(certificates[0], urls[0])  # warm
    floor_started = time.perf_counter()
    for certificate, url in zip(certificates, urls, strict=True):
        _reportlab_page(certificate, url)
    floor_wall = time.perf_counter() - floor_started

    # Per-PDF medians, warm, on one core: the real render (xhtml2pdf + signing) and the floor.
    sample = certificates[: ARGS.samples]
    pdf.sign_pdf(pdf.html_to_pdf(pdf.certificate_html(sample[0])))  # warm
    real, bare = [], []
    for certificate in sample:
        started = time.perf_counter()
        pdf.sign_pdf(pdf.html_to_pdf(pdf.certificate_html(certificate)))
        real.append(time.perf_counter() - started)
        started = time.perf_counter()
        _reportlab_page(certificate, pdf.verification_url(certificate))
        bare.append(time.perf_counter() - started)

    rate = ARGS.n / wall
    print(f"certificates:            {ARGS.n} ({ARGS.workers} worker(s), one task each)")
    print(f"wall time:               {wall:.2f} s (start to ZIP built)")
    print(f"certificates per second: {rate:.1f}")
    print(f"ZIP:                     {bulk.zip_file.size / 1_000_000:.1f} MB")
    print(f"floor, same N in-process with bare ReportLab: {floor_wall:.2f} s")
    print(f"ratio, bulk issue / floor: {wall / floor_wall:.1f}x")
    print(f"per-PDF median, xhtml2pdf + sign: {_ms(statistics.median(real))}")
    print(f"per-PDF median, bare ReportLab:   {_ms(statistics.median(bare))}")
    print(f"per-PDF ratio: {statistics.median(real) / statistics.median(bare):.1f}x")


if __name__ == "__main__":
    try:
        main()
    finally:
        connections.close_all()
        redis.Redis.from_url(ARGS.redis).flushdb()
        _drop_database()

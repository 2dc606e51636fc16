"""Bulk issuance end to end: issue N certificates (default 1,000) to one cohort through real
Celery workers, twice in the same run: once as the application does it, and once as the floor,
with the certificate page drawn by bare ReportLab instead of the template and xhtml2pdf
(bench/floor_worker.py). Prints figures; never part of the pass/fail suite.

    .venv/bin/python bench/bulk_issue.py            # N=1000
    .venv/bin/python bench/bulk_issue.py --n 50     # a quick smoke run

The floor does the same work in the same number of processes: the same ``--workers`` worker
processes (``celery worker --pool=solo``, default one per core), the same database rows and
numbering lock, the same broker and tasks (an email notification and a second render task that
finds the PDF already claimed, besides the item itself), the same signing with the application's
sign_pdf, the same storage and the same ZIP. The page carries the same text and the same QR code.
So the bulk ratio is the cost of the HTML layout engine within the whole job, nothing else.

It creates its own PostgreSQL database (``lt_bench`` by default) and drops it afterwards, uses one
Redis database (flushed before and after), and keeps its files in a temporary folder that it
removes. Each certificate is one task: issue (numbered in a locked sequence), render, sign,
store; the last task builds the ZIP. Figures measured on the development machine are in the
README.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Run as a script, this folder would come first on the path, where bench/http.py would hide the
# standard library's http package; the project's root goes there instead.
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != HERE)]


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
        "--rounds",
        type=int,
        default=1,
        help="runs of each kind, alternating which goes first; medians are printed (1)",
    )
    parser.add_argument(
        "--samples", type=int, default=30, help="in-process runs for the per-PDF medians (30)"
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
from accreditation.services.bulk import bulk_issue_start_for_cohort  # noqa: E402
from bench.certificate_pdf import measure, report  # noqa: E402
from learning_platform.accounts.models import User  # noqa: E402
from learning_platform.accounts.roles import Role  # noqa: E402

# The application's worker, and the same worker with the floor's page (bench/floor_worker.py).
WORKER_COMMANDS = {
    "application": [sys.executable, "-m", "celery", "-A", "learning_platform", "worker"],
    "floor": [sys.executable, "-m", "bench.floor_worker", "worker"],
}


def _start_workers(kind: str, log: Path) -> list[subprocess.Popen]:
    return [
        subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [
                *WORKER_COMMANDS[kind],
                "--pool=solo",
                "-l",
                "warning",
                "--without-mingle",
                "--without-gossip",
                "-n",
                f"bench-{kind}{number}@%h",
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
            worker.wait()


def _issue(n: int, *, by: User, label: str) -> tuple[float, BulkIssue]:
    from tests.accreditation.bulk_builders import make_approved_applications

    cohort, _ = make_approved_applications(n, prefix=label)
    started = time.perf_counter()
    bulk = bulk_issue_start_for_cohort(cohort=cohort, by=by, kind="issue")
    while not BulkIssue.objects.filter(pk=bulk.pk, status="finished").exists():
        time.sleep(0.1)
    elapsed = time.perf_counter() - started
    bulk.refresh_from_db()
    return elapsed, bulk


def _cpu_seconds(workers: list[subprocess.Popen]) -> float:
    """CPU time the worker processes have used so far (Linux /proc). On a busy machine this is
    steadier than wall time, though it leaves out PostgreSQL and Redis."""
    ticks = 0
    for worker in workers:
        # Fields after the command name, which is in parentheses: utime and stime are 12th, 13th.
        fields = Path(f"/proc/{worker.pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _run(kind: str, *, by: User) -> tuple[float, float, BulkIssue]:
    """Issue N certificates through fresh workers of one kind, warmed first: wall time, the
    workers' CPU time, and the job."""
    log = FILES / f"workers-{kind}.log"
    workers = _start_workers(kind, log)
    try:
        # Warm every worker: imports, fonts, the signing key (created by the first render).
        warm_seconds, warm = _issue(ARGS.workers * 3, by=by, label=f"warm-{kind}-")
        if warm.failed:
            raise SystemExit(f"Warm-up failed; worker log: {log}")
        print(f"{kind}: warm-up, {warm.total} certificates in {warm_seconds:.1f} s", flush=True)
        cpu = _cpu_seconds(workers)
        wall, bulk = _issue(ARGS.n, by=by, label=f"bench-{kind}-")
        cpu = _cpu_seconds(workers) - cpu
    finally:
        _stop_workers(workers)
    assert bulk.done == ARGS.n and bulk.failed == 0, (bulk.done, bulk.failed, str(log))
    print(f"{kind}: {ARGS.n} certificates in {wall:.2f} s, workers' CPU {cpu:.2f} s", flush=True)
    return wall, cpu, bulk


def _producer(certificate: Certificate) -> str:
    from pypdf import PdfReader

    with certificate.pdf.open("rb") as stored:
        return str(PdfReader(stored).metadata.get("/Producer", ""))


def main() -> None:
    print(f"Preparing database {ARGS.database} and {ARGS.workers} worker(s)...", flush=True)
    call_command("migrate", verbosity=0)
    redis.Redis.from_url(ARGS.redis).flushdb()
    admin = User.objects.create_user(email="bench-admin@example.org", full_name="Bench Admin")
    admin.groups.add(Group.objects.get(name=Role.PROGRAMME_ADMIN.value))
    walls: dict[str, list[float]] = {kind: [] for kind in WORKER_COMMANDS}
    cpus: dict[str, list[float]] = {kind: [] for kind in WORKER_COMMANDS}
    bulks: dict[str, BulkIssue] = {}
    for round_number in range(ARGS.rounds):
        # Alternate the order, so that a machine getting busier or quieter favours neither.
        kinds = list(WORKER_COMMANDS)[:: 1 if round_number % 2 == 0 else -1]
        for kind in kinds:
            wall, cpu, bulks[kind] = _run(kind, by=admin)
            walls[kind].append(wall)
            cpus[kind].append(cpu)

    # Each run's certificates really carry its own page: xhtml2pdf names itself as producer.
    for kind, bulk in bulks.items():
        first = Certificate.objects.filter(pk__in=bulk.items.values("certificate_id")).first()
        made_by_xhtml2pdf = "xhtml2pdf" in _producer(first).lower()
        assert made_by_xhtml2pdf == (kind == "application"), (kind, _producer(first))

    wall, floor_wall = statistics.median(walls["application"]), statistics.median(walls["floor"])
    bulk, floor_bulk = bulks["application"], bulks["floor"]
    print()
    print(
        f"certificates: {ARGS.n} per run, {ARGS.rounds} run(s) of each kind, "
        f"{ARGS.workers} worker process(es) each, one task each"
    )
    print(
        "floor: the same bulk issue through the same number of worker processes (database rows,\n"
        "  numbering lock, broker, tasks, signing, storage, ZIP), with the page drawn by bare\n"
        "  ReportLab (same text, same QR code) instead of the template and xhtml2pdf"
    )
    print(f"{'':<26}{'application':>12}{'floor':>10}{'ratio':>8}")
    ratio = wall / floor_wall
    print(f"{'wall time, start to ZIP':<26}{wall:>10.2f} s{floor_wall:>8.2f} s{ratio:>7.1f}x")
    cpu, floor_cpu = statistics.median(cpus["application"]), statistics.median(cpus["floor"])
    ratio = cpu / floor_cpu
    label = "workers' CPU time"
    print(f"{label:<26}{cpu:>10.2f} s{floor_cpu:>8.2f} s{ratio:>7.1f}x")
    print(f"{'certificates per second':<26}{ARGS.n / wall:>12.1f}{ARGS.n / floor_wall:>10.1f}")
    print(
        f"{'ZIP':<26}{bulk.zip_file.size / 1_000_000:>9.1f} MB"
        f"{floor_bulk.zip_file.size / 1_000_000:>7.1f} MB"
    )

    # Per-PDF medians, warm, in this one process: render and sign, each against its floor.
    sample = list(
        Certificate.objects.filter(pk__in=bulk.items.values("certificate_id"))
        .select_related("holder", "scheme")
        .order_by("pk")[: ARGS.samples]
    )
    print()
    print(f"per PDF, in this process, {ARGS.samples} runs, medians:")
    report(measure(sample, ARGS.samples))


if __name__ == "__main__":
    try:
        main()
    finally:
        connections.close_all()
        redis.Redis.from_url(ARGS.redis).flushdb()
        _drop_database()
        shutil.rmtree(FILES, ignore_errors=True)

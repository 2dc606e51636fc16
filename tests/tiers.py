"""Run the test suite on every tier, the two databases side by side.

1. SQLite: the whole suite less the PostgreSQL-only tests, including the browser tier.
2. PostgreSQL: the same suite against a real server, with the Celery-worker tier and the
   PostgreSQL-only tests, less the browser journeys.

The tiers share no service a test writes to (each has its own database, the worker tier's Redis
database is used by the PostgreSQL tier alone, and each gets its own temporary directory), so
they run at the same time: on a two-core machine the whole run takes about as long as the
longer tier instead of the sum of both. Each line of output is prefixed with its tier, and each
tier's time and result are printed at the end.

A tier whose service is missing is skipped with its reason, or fails when REQUIRE_ALL_TIERS=1.
"""

import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field

# pytest's last line: "12 passed, 1 skipped in 3.4s", with or without the "=" rule round it.
SUMMARY = re.compile(r"\d+ (passed|failed|errors?|skipped)")
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/learning_together"


def _postgres_problem(url: str) -> str | None:
    try:
        import psycopg
    except ImportError as exc:  # pragma: no cover - psycopg is a dependency
        return f"psycopg is not installed ({exc})"
    server_url = url.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(
            server_url.replace("postgres://", "postgresql://", 1), connect_timeout=3
        ):
            return None
    except psycopg.Error as exc:
        return f"PostgreSQL is not reachable at {server_url}: {exc}".strip()


@dataclass
class Tier:
    name: str
    args: list[str]
    env: dict[str, str]
    returncode: int | None = None
    started: float = 0.0
    seconds: float = 0.0
    summary: str = ""
    process: subprocess.Popen | None = field(default=None, repr=False)


_print_lock = threading.Lock()


def _relay(tier: Tier) -> None:
    """Copy the tier's output to ours a line at a time, prefixed, keeping pytest's last line."""
    assert tier.process is not None and tier.process.stdout is not None
    for line in tier.process.stdout:
        text = line.rstrip("\n")
        if SUMMARY.search(text) and " in " in text:
            tier.summary = text.strip("= ")
        with _print_lock:
            print(f"[{tier.name}] {text}", flush=True)
    tier.returncode = tier.process.wait()
    tier.seconds = time.monotonic() - tier.started


def _start(tier: Tier) -> threading.Thread:
    command = [sys.executable, "-m", "pytest", *tier.args]
    with _print_lock:
        print(f"[{tier.name}] + {' '.join(command)}", flush=True)
    tier.started = time.monotonic()
    tier.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        command,
        env=tier.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    )
    relay = threading.Thread(target=_relay, args=(tier,), daemon=True)
    relay.start()
    return relay


def _run_all(tiers: list[Tier]) -> None:
    running = [(tier, _start(tier)) for tier in tiers]
    try:
        for _, relay in running:
            relay.join()
    except KeyboardInterrupt:
        for tier, _ in running:
            tier.process.terminate()
        raise


def main(argv: list[str]) -> int:
    require_all = os.environ.get("REQUIRE_ALL_TIERS") == "1"
    base_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    base_env["DJANGO_SETTINGS_MODULE"] = "learning_platform.settings.test"
    # Each tier gets its own pytest temporary directory, so neither cleans up the other's.
    scratch = tempfile.mkdtemp(prefix="lt-tiers-")

    tiers = [
        Tier(
            "sqlite",
            ["-m", "not postgres and not celery", f"--basetemp={scratch}/sqlite", *argv],
            base_env,
        )
    ]
    skipped = []
    postgres_url = os.environ.get("TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    problem = _postgres_problem(postgres_url)
    if problem and require_all:
        print(f"FAILED PostgreSQL tier: {problem} (REQUIRE_ALL_TIERS=1)", flush=True)
        return 1
    if problem:
        skipped.append(f"SKIPPED PostgreSQL tier: {problem}")
    else:
        tiers.append(
            Tier(
                "postgres",
                ["-m", "not browser", f"--basetemp={scratch}/postgres", *argv],
                {**base_env, "DATABASE_URL": postgres_url},
            )
        )

    print("== Tiers: SQLite (unit, integration, browser) and PostgreSQL (unit, integration,")
    print("   Celery worker), side by side ==", flush=True)
    _run_all(tiers)

    print("\n== Tiers ==")
    for tier in tiers:
        result = "passed" if tier.returncode == 0 else f"FAILED (exit {tier.returncode})"
        print(f"{tier.name:<9} {tier.seconds:7.1f} s  {result}  {tier.summary}")
    for line in skipped:
        print(line)
    sys.stdout.flush()
    return next((tier.returncode for tier in tiers if tier.returncode), 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Run the test suite on every tier.

1. SQLite: the whole suite less the PostgreSQL-only tests, including the browser tier.
2. PostgreSQL: the same suite against a real server, with the Celery-worker tier and the
   PostgreSQL-only tests, less the browser journeys.

A tier whose service is missing is skipped with its reason, or fails when REQUIRE_ALL_TIERS=1.
"""

import os
import subprocess
import sys

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


def _pytest(args: list[str], env: dict[str, str]) -> int:
    command = [sys.executable, "-m", "pytest", *args]
    print("+", " ".join(command), flush=True)
    return subprocess.call(command, env=env)  # noqa: S603 - our own interpreter and arguments


def main(argv: list[str]) -> int:
    require_all = os.environ.get("REQUIRE_ALL_TIERS") == "1"
    base_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    base_env["DJANGO_SETTINGS_MODULE"] = "learning_platform.settings.test"

    print("== Tier: SQLite (unit, integration, browser) ==", flush=True)
    sqlite_rc = _pytest(["-m", "not postgres and not celery", *argv], base_env)

    print("== Tier: PostgreSQL (unit, integration, Celery worker) ==", flush=True)
    postgres_url = os.environ.get("TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    problem = _postgres_problem(postgres_url)
    if problem:
        if require_all:
            print(f"FAILED PostgreSQL tier: {problem} (REQUIRE_ALL_TIERS=1)", flush=True)
            return 1
        print(f"SKIPPED PostgreSQL tier: {problem}", flush=True)
        return sqlite_rc
    pg_env = {**base_env, "DATABASE_URL": postgres_url}
    postgres_rc = _pytest(["-m", "not browser", *argv], pg_env)
    return sqlite_rc or postgres_rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

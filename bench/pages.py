"""Every user-facing page at two sizes of the world: queries, median time, growth, and speed
against a bare Django view measured in the same run.

Two PostgreSQL databases are seeded by ``manage.py seed_scale``: a small world (scale 0.01, with
a 100-trainee extra cohort) and the national one (scale 1, with a 10,000-trainee cohort, the
one the exports and the largest grid are measured on). Each page is requested in-process
through Django's test client, signed in as the persona who uses it, under the production
settings (learning_platform.settings.bench: DEBUG off, Redis cache, every middleware).

    .venv/bin/python bench/pages.py prepare     # (re)creates and seeds both databases, ~3 min
    .venv/bin/python bench/pages.py             # measures both and prints the table

Options: ``--rounds N`` (timed requests per page, default 15), ``--small-db`` / ``--large-db``
(database URLs; default postgres://postgres@127.0.0.1:5432/lt_scale_small and …/lt_scale).

The table: queries at each scale (one request after a warm-up), median milliseconds at each
scale, growth (median at scale 1 ÷ median at scale 0.01; budget ≤ 1.5), and the ratio to the
bare view at scale 1 (the bare view's median ÷ the page's: the share of the bare view's speed the
page keeps). In-process, the bare view costs a fraction of a millisecond, so this ratio is far
harsher than the same ratio over HTTP, where every request also pays for the connection and
the WSGI server: the throughput budgets (≥ 0.5 anonymous, ≥ 0.1 signed in, ≥ 0.05 for the
dashboard and the largest grid) are judged by bench/http.py, and this table judges growth.
Anonymous pages are measured as visitors get them, from the shared cache after the first
request; the "(drawn)" row is that first, uncached request.
"""

import sys
from pathlib import Path

# Run as a script, this folder would come first on the path, where bench/http.py would hide the
# standard library's http package; the project's root goes there instead.
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != HERE)]

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402

SETTINGS = "learning_platform.settings.bench"
SMALL_DB = "postgres://postgres@127.0.0.1:5432/lt_scale_small"
LARGE_DB = "postgres://postgres@127.0.0.1:5432/lt_scale"
CACHE_URL = "redis://127.0.0.1:6379/2"
WORLDS = (("0.01", "100"), ("1", "10000"))  # (scale, trainees in the extra cohort)

GROWTH_BUDGET = 1.5


def bench_env(database_url: str, settings: str = SETTINGS) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings,
        "DATABASE_URL": database_url,
        # The bench settings' cache, for the seeding's development settings too.
        "CACHE_URL": os.environ.get("CACHE_URL", CACHE_URL),
    }


def manage(database_url: str, *args: str, settings: str = SETTINGS) -> None:
    subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=bench_env(database_url, settings),
        check=True,
    )


def recreate_database(database_url: str) -> None:
    import psycopg

    server, name = database_url.rsplit("/", 1)
    with psycopg.connect(
        server.replace("postgres://", "postgresql://", 1) + "/postgres", autocommit=True
    ) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def prepare(small_db: str, large_db: str) -> None:
    """Fresh databases, migrated and seeded, and the static files the manifest storage needs."""
    manage(small_db, "collectstatic", "--noinput", "-v", "0")
    for database_url, (scale, huge) in zip((small_db, large_db), WORLDS, strict=True):
        started = time.perf_counter()
        recreate_database(database_url)
        manage(database_url, "migrate", "--noinput", "-v", "0")
        # seed_scale refuses production's settings, which these are built on: it makes
        # thousands of logins with a published password.
        manage(
            database_url,
            "seed_scale",
            "--scale",
            scale,
            "--huge-cohort",
            huge,
            settings="learning_platform.settings.dev",
        )
        print(f"prepared scale {scale} in {time.perf_counter() - started:.0f} s", flush=True)


# Measuring, inside one database's process -----------------------------------------------------


def pages(h) -> list[tuple[str, str, str, str]]:
    """(label, persona, kind, url) for every page, from the world's handles."""
    from django.urls import reverse

    r = reverse
    return [
        # Anonymous visitors.
        ("home", "anonymous", "anonymous", "/"),
        ("publications", "anonymous", "anonymous", h.publications_url),
        ("a publication", "anonymous", "anonymous", h.publication_url),
        ("news", "anonymous", "anonymous", h.news_url),
        ("course page", "anonymous", "anonymous", h.course_url),
        ("module landing", "anonymous", "anonymous", h.module_url),
        ("/verify/<code>/", "anonymous", "anonymous", r("certificate_verify_code", args=[h.code])),
        ("/register/", "anonymous", "anonymous", r("public_register")),
        ("/register/?page=2", "anonymous", "anonymous", r("public_register") + "?page=2"),
        ("/verify/ (form)", "anonymous", "signed in", r("certificate_verify")),
        ("credential.json", "anonymous", "signed in", f"/verify/{h.code}/credential.json"),
        ("status list", "anonymous", "signed in", r("credential_status_list", args=[1])),
        ("issuer.json", "anonymous", "anonymous", r("credential_issuer")),
        ("sign-in page", "anonymous", "signed in", r("account_login")),
        # Trainee.
        ("My learning", "trainee", "signed in", r("courses:my_learning")),
        ("module (enrolled)", "trainee", "signed in", h.module_url),
        (
            "review detail",
            "trainee",
            "signed in",
            r("accreditation:review_detail", args=[h.review]),
        ),
        ("stage detail", "trainee", "signed in", r("accreditation:stage_detail", args=[h.stage])),
        ("my supervision", "trainee", "signed in", r("accreditation:my_supervision")),
        ("application", "trainee", "signed in", r("accreditation:application")),
        ("notifications", "trainee", "signed in", r("notifications:list")),
        ("profile", "trainee", "signed in", r("accounts_profile")),
        ("my certificates", "holder", "signed in", r("accreditation:my_certificates")),
        ("CPD log", "holder", "signed in", r("accreditation:cpd_log")),
        # Supervisor.
        ("supervisor home", "supervisor", "signed in", r("courses:supervisor_home")),
        (
            "supervisor home, page 3",
            "supervisor",
            "signed in",
            r("courses:supervisor_home") + "?page=3",
        ),
        ("sign-off queue", "supervisor", "signed in", r("accreditation:supervisor_queue")),
        ("supervision log", "supervisor", "signed in", r("accreditation:supervision_log")),
        (
            "trainee's progress",
            "supervisor",
            "signed in",
            r("courses:enrolment_progress", args=[h.supervised_enrolment]),
        ),
        # Assessor.
        ("assessment queue", "assessor", "signed in", r("accreditation:assessment_queue")),
        (
            "assessor portfolio",
            "assessor",
            "signed in",
            r("accreditation:assessment_portfolio", args=[h.application]),
        ),
        ("certificates", "assessor", "signed in", r("accreditation:assessment_certificates")),
        ("appeals", "assessor", "signed in", r("accreditation:appeal_queue")),
        # Programme staff.
        ("programme dashboard", "admin", "heavy", r("accreditation:dashboard")),
        ("cohort list", "admin", "signed in", r("courses:cohort_list")),
        ("cohort page", "admin", "signed in", r("courses:cohort_detail", args=[h.cohort])),
        (
            "cohort page (largest)",
            "admin",
            "heavy",
            r("courses:cohort_detail", args=[h.largest_cohort]),
        ),
        (
            "cohort page (largest), page 4",
            "admin",
            "heavy",
            r("courses:cohort_detail", args=[h.largest_cohort]) + "?page=4",
        ),
        (
            "largest grid",
            "admin",
            "heavy",
            r("courses:cohort_grid", args=[h.largest_cohort]),
        ),
        (
            "largest grid, page 40",
            "admin",
            "heavy",
            r("courses:cohort_grid", args=[h.largest_cohort]) + "?page=40",
        ),
        # Wagtail admin listings.
        ("admin: dashboard", "admin", "signed in", "/admin/"),
        ("admin: pages", "admin", "signed in", f"/admin/pages/{h.course_page}/"),
        ("admin: users", "admin", "signed in", "/admin/users/"),
        ("admin: cohorts", "admin", "signed in", "/admin/programme/cohorts/"),
        ("admin: enrolments", "admin", "signed in", "/admin/programme/enrolments/"),
        ("admin: invitations", "admin", "signed in", "/admin/programme/invitations/"),
        ("admin: reviews", "admin", "signed in", "/admin/accreditation/reviews/"),
        ("admin: bulk issues", "admin", "signed in", "/admin/accreditation/bulk-issues/"),
        # Exports (the grid's are of the 10,000-trainee cohort at scale 1).
        (
            "grid CSV (largest)",
            "admin",
            "export",
            r("courses:cohort_grid_csv", args=[h.largest_cohort]),
        ),
        (
            "grid XLSX (largest)",
            "admin",
            "export",
            r("courses:cohort_grid_xlsx", args=[h.largest_cohort]),
        ),
        ("dashboard CSV", "admin", "export", r("accreditation:dashboard_csv")),
    ]


def _consume(response) -> None:
    if response.streaming:
        for _ in response.streaming_content:
            pass
    else:
        _ = response.content


def measure(rounds: int) -> dict:
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.world import bench_world

    cache.clear()
    h = bench_world()
    clients = {"anonymous": Client()}
    for persona, user in h.personas.items():
        clients[persona] = Client()
        clients[persona].force_login(user)

    def timed(client, url, n):
        times = []
        for _ in range(n):
            started = time.perf_counter()
            response = client.get(url)
            _consume(response)
            times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
        return statistics.median(times)

    results = {}
    bare = Client()
    timed(bare, "/bench/ok/", 20)
    results["bare view"] = {"ms": timed(bare, "/bench/ok/", rounds * 4), "queries": 0}
    for label, persona, kind, url in pages(h):
        client = clients[persona]
        try:
            if kind == "anonymous":
                cache.clear()
                reset_queries()
                with CaptureQueriesContext(connection) as drawn:
                    started = time.perf_counter()
                    _consume(client.get(url))
                    drawn_ms = (time.perf_counter() - started) * 1000
                results[f"{label} (drawn)"] = {
                    "ms": drawn_ms,
                    "queries": len(drawn),
                    "kind": "drawn",
                }
            else:
                _consume(client.get(url))
            # The query log keeps at most 9,000 entries; a full one would count nothing.
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
                _consume(response)
            # Read now: every request starts by emptying the query log these figures come from.
            count = len(queries)
            n = max(3, rounds // 5) if kind == "export" else rounds
            results[label] = {"ms": timed(client, url, n), "queries": count, "kind": kind}
        except Exception as error:  # noqa: BLE001 - one broken page must not hide the others
            results[label] = {"error": f"{type(error).__name__}: {error}"}
    return results


# The table ----------------------------------------------------------------------------------


def _verdict(row_small: dict, row_large: dict, bare_ms: float) -> tuple[str, str, str]:
    growth = row_large["ms"] / row_small["ms"] if row_small["ms"] else float("inf")
    ratio = bare_ms / row_large["ms"] if row_large["ms"] else float("inf")
    verdict = "ok"
    if row_large.get("kind") not in ("drawn", "export") and growth > GROWTH_BUDGET:
        verdict = f"growth > {GROWTH_BUDGET}"
    return f"{growth:.2f}", f"{ratio:.3f}", verdict


def print_table(small: dict, large: dict) -> None:
    bare_small, bare_large = small["bare view"]["ms"], large["bare view"]["ms"]
    print(f"\nbare view: {bare_small:.2f} ms (scale 0.01), {bare_large:.2f} ms (scale 1)\n")
    header = (
        f"{'page':30} {'q 0.01':>6} {'q 1':>5} {'ms 0.01':>8} {'ms 1':>8} "
        f"{'growth':>6} {'÷bare':>6}  growth budget"
    )
    print(header)
    print("-" * len(header))
    for label in small:
        if label == "bare view":
            continue
        a, b = small[label], large.get(label, {"error": "missing"})
        if "error" in a or "error" in b:
            print(f"{label:30} error: {a.get('error') or b.get('error')}")
            continue
        growth, ratio, verdict = _verdict(a, b, bare_large)
        print(
            f"{label:30} {a['queries']:>6} {b['queries']:>5} {a['ms']:>8.2f} {b['ms']:>8.2f} "
            f"{growth:>6} {ratio:>6}  {verdict}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", nargs="?", default="measure", choices=["measure", "prepare"])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--small-db", default=SMALL_DB)
    parser.add_argument("--large-db", default=LARGE_DB)
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        print(json.dumps(measure(args.rounds)))
        return
    if args.action == "prepare":
        prepare(args.small_db, args.large_db)
        return
    figures = []
    for database_url in (args.small_db, args.large_db):
        done = subprocess.run(  # noqa: S603 - this script, in a process of its own
            [sys.executable, __file__, "--inside", "--rounds", str(args.rounds)],
            cwd=ROOT,
            env=bench_env(database_url),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            sys.exit(f"measuring {database_url} failed:\n{done.stderr[-3000:]}")
        figures.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print_table(*figures)


if __name__ == "__main__":
    main()

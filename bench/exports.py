"""Exports at national scale: the peak memory each one costs above a baseline process, and its
seconds. Prints figures; never part of the pass/fail suite.

    grid CSV      the largest cohort's progress grid as CSV (every trainee)
    grid XLSX     the same as an Excel workbook
    grid HTML     the grid page itself: its first page of trainees, not the whole cohort
    dashboard CSV the programme dashboard's download
    GDPR export   a trainee's personal data ZIP (a trainee with a review under way, so the
                  export carries a review's records and evidence)

Each measurement runs in a fresh Python process of its own: Django is set up, a test client
signs in (force_login; for the GDPR export the password check is recorded as just passed), asks
for a trivial page once to load the URLconf and middleware, then makes the one request and
reads the response chunk by chunk, as a WSGI server would send it. The process then reports its
peak resident set size (ru_maxrss). The baseline is the same process asking for the trivial
page a second time instead of the export, so each figure is what the export itself costs. (The
process that prints the table never loads Django: Linux carries a process's peak RSS across
fork and exec, so children of a large parent would all report the parent's peak.) The
trivial page is the bench settings' bare view (/bench/ok/), or the favicon redirect under other
settings. Seconds are the one request, read to its end, wall clock, median over the runs. The
budget is 50 MB above the baseline for each.

Run it against the national-scale database with its 10,000-trainee cohort that
``bench/pages.py prepare`` seeds (lt_scale; PostgreSQL and Redis at 127.0.0.1):

    .venv/bin/python bench/pages.py prepare     # once
    .venv/bin/python bench/exports.py
    RUNS=1 .venv/bin/python bench/exports.py    # a quick run (default 3)

DATABASE_URL names another database.

Settings: DJANGO_SETTINGS_MODULE if set, else learning_platform.settings.bench (production's,
DEBUG off, so no query is logged in memory), else learning_platform.settings.dev with DEBUG
off. Static files are collected first if the manifest storage needs them. The people and the
cohort come from the seeded world's handles (content.scale); on a database seed_scale did not
make, they are read from the data: the largest cohort, an active programme administrator with
an authenticator (the two-factor check lets nobody else through) and the trainee who leads the
first review.
"""

import sys
from pathlib import Path

# Run as a script, this folder comes first on the path, and its http.py would hide the standard
# library's http package from Django: modules are looked up from the project root instead.
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != HERE)]

import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402

BUDGET_MB = 50
RUNS = int(os.environ.get("RUNS", "3"))
BASELINE = "baseline"


@dataclass(frozen=True)
class Case:
    name: str
    label: str
    persona: str  # "admin" or "trainee"


CASES = (
    Case("grid_csv", "grid CSV (whole cohort)", "admin"),
    Case("grid_xlsx", "grid XLSX (whole cohort)", "admin"),
    Case("grid_html", "grid HTML (first page only)", "admin"),
    Case("dashboard_csv", "dashboard CSV", "admin"),
    Case("gdpr", "GDPR export (trainee ZIP)", "trainee"),
)


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    if "DJANGO_SETTINGS_MODULE" not in env:
        # Looked for as a file: importing the package would load the project into this process.
        if (ROOT / "learning_platform" / "settings" / "bench.py").exists():
            env["DJANGO_SETTINGS_MODULE"] = "learning_platform.settings.bench"
        else:
            env["DJANGO_SETTINGS_MODULE"] = "learning_platform.settings.dev"
            env["DEBUG"] = "0"
    return env


def _setup(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


# Preparing, in a process of its own: the static files, the people and the cohort ----------------


def _scale_handles() -> dict[str, int] | None:
    """The seeded world's own handles, or None for a database seed_scale did not make."""
    try:
        from content.scale.handles import NoScaleWorld, scale_handles
    except ImportError:
        return None
    from learning_platform.accounts.models import User

    try:
        h = scale_handles()
    except NoScaleWorld:
        return None
    return {
        "cohort": h.largest_cohort_pk,
        "cohort_size": h.largest_cohort_size,
        "admin": User.objects.get(email=h.administrator_email).pk,
        "trainee": User.objects.get(email=h.trainee_email).pk,
    }


def _found_handles() -> dict[str, int]:
    """The same read from any database: the largest cohort, an administrator who can pass the
    two-factor check, and the trainee who leads the first review."""
    from django.db.models import Count

    from allauth.mfa.models import Authenticator

    from accreditation.models import SupervisedReview
    from courses.models import Cohort, Enrolment
    from learning_platform.accounts.models import User
    from learning_platform.accounts.roles import Role

    cohort = Cohort.objects.annotate(size=Count("enrolments")).order_by("-size", "pk").first()
    if cohort is None:
        sys.exit("No cohort in this database: seed it first (see the docstring).")
    admin = (
        User.objects.filter(
            groups__name=Role.PROGRAMME_ADMIN.value,
            is_active=True,
            pk__in=Authenticator.objects.filter(type=Authenticator.Type.TOTP).values("user"),
        )
        .order_by("pk")
        .first()
    )
    if admin is None:
        sys.exit("No active programme administrator with an authenticator in this database.")
    trainee = (
        SupervisedReview.objects.order_by("pk").values_list("trainee", flat=True).first()
        or Enrolment.objects.filter(cohort=cohort).order_by("pk").values_list("user", flat=True)[0]
    )
    return {
        "cohort": cohort.pk,
        "cohort_size": cohort.size,
        "admin": admin.pk,
        "trainee": trainee,
    }


def _collect_static() -> None:
    """Production's manifest storage cannot render a page until collectstatic has run."""
    from django.conf import settings
    from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage

    if isinstance(staticfiles_storage, ManifestFilesMixin):
        manifest = Path(settings.STATIC_ROOT) / staticfiles_storage.manifest_name
        if not manifest.exists():
            from django.core.management import call_command

            call_command("collectstatic", interactive=False, verbosity=0)


def prepare() -> None:
    _setup({})
    _collect_static()
    print(json.dumps(_scale_handles() or _found_handles()))


# The parent: runs each case in a fresh process ---------------------------------------------------


class CaseFailed(Exception):
    pass


def _run_child(case: str, handles: dict[str, int], env: dict[str, str]) -> dict:
    completed = subprocess.run(
        [sys.executable, __file__, "--child", case, json.dumps(handles)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if completed.returncode != 0:
        lines = completed.stderr.strip().splitlines() or ["no output"]
        raise CaseFailed(lines[-1][:80])
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    if case != BASELINE and result["status"] != 200:
        # A redirect is the sign-in or two-factor page: its figures would mean nothing.
        raise CaseFailed(f"answered {result['status']}, not 200")
    return result


def _measure(case: Case, handles: dict[str, int], env: dict[str, str], baseline_kb: float):
    try:
        results = [_run_child(case.name, handles, env) for _ in range(RUNS)]
    except CaseFailed as failure:
        return (case.label, "-", "-", "-", "-", f"failed: {failure}")
    # The worst run decides the verdict; the median run gives the time. An export that streams
    # may never raise the peak that setting up and signing in reached: 0 MB above.
    peak_kb = max(r["max_rss_kb"] for r in results)
    above_mb = max(peak_kb - baseline_kb, 0) / 1024
    seconds = statistics.median(r["seconds"] for r in results)
    verdict = "within budget" if above_mb <= BUDGET_MB else f"over by {above_mb - BUDGET_MB:.1f} MB"
    return (
        case.label,
        f"{peak_kb / 1024:.1f} MB",
        f"{above_mb:.1f} MB",
        f"{seconds:.2f}",
        f"{results[0]['bytes'] / 1024:,.0f} KB",
        verdict,
    )


def main() -> None:
    env = _environment()
    # This process never sets Django up: Linux keeps a process's peak RSS across fork and exec,
    # so every child would start from this one's peak and hide what its own request cost.
    prepared = subprocess.run(
        [sys.executable, __file__, "--prepare"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if prepared.returncode != 0:
        sys.exit(prepared.stderr)
    handles = json.loads(prepared.stdout.strip().splitlines()[-1])
    print(
        f"Settings {env['DJANGO_SETTINGS_MODULE']}"
        f"{' with DEBUG off' if env.get('DEBUG') == '0' else ''}; "
        f"cohort {handles['cohort']} with {handles['cohort_size']:,} trainees; "
        f"{RUNS} fresh process{'es' if RUNS != 1 else ''} per row."
    )
    baselines = [_run_child(BASELINE, handles, env) for _ in range(RUNS)]
    baseline_kb = statistics.median(b["max_rss_kb"] for b in baselines)
    print(
        f"Baseline process ({baselines[0]['path']} twice): {baseline_kb / 1024:.1f} MB peak RSS.\n"
    )

    header = ("export", "peak RSS", "above baseline", "seconds", "size", "verdict")
    rows = [_measure(case, handles, env, baseline_kb) for case in CASES]
    widths = [max(len(str(row[i])) for row in (header, *rows)) for i in range(len(header))]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)))
    print(f"\nBudget: {BUDGET_MB} MB of peak RSS above the baseline for a 10,000-row export.")


# The child: one request in a fresh process ------------------------------------------------------


def _sign_in(client, user, *, reauthenticated: bool) -> None:
    client.force_login(user)
    if reauthenticated:
        # The export asks for the password again; record that it was just given, as the
        # reauthentication page does, so the bench measures the export and not the form.
        from types import SimpleNamespace

        from allauth.account.internal.flows.login import record_authentication

        session = client.session
        record_authentication(
            SimpleNamespace(session=session),
            user,
            "password",
            email=user.email,
            reauthenticated=True,
        )
        session.save()


def _read(response) -> int:
    if not response.streaming:
        return len(response.content)
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
    response.close()
    return size


def child(case: str, handles: dict[str, int]) -> None:
    _setup({})
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from learning_platform.accounts.models import User

    persona = next((c.persona for c in CASES if c.name == case), "admin")
    user = User.objects.get(pk=handles[persona])
    # A host the settings allow whatever DEBUG is; the test client's own "testserver" is only
    # allowed inside the test runner.
    client = Client(HTTP_HOST="localhost")
    _sign_in(client, user, reauthenticated=case == "gdpr")
    try:
        # The bench settings' bare view: the same middleware as every page, and nothing else.
        trivial = reverse("bench_ok")
    except NoReverseMatch:
        trivial = "/favicon.ico"
    _read(client.get(trivial))

    cohort = handles["cohort"]
    requests = {
        BASELINE: lambda: client.get(trivial),
        "grid_csv": lambda: client.get(reverse("courses:cohort_grid_csv", args=[cohort])),
        "grid_xlsx": lambda: client.get(reverse("courses:cohort_grid_xlsx", args=[cohort])),
        "grid_html": lambda: client.get(reverse("courses:cohort_grid", args=[cohort])),
        "dashboard_csv": lambda: client.get(reverse("accreditation:dashboard_csv")),
        "gdpr": lambda: client.post(reverse("accounts_data_export")),
    }
    start = time.perf_counter()
    response = requests[case]()
    size = _read(response)
    seconds = time.perf_counter() - start
    print(
        json.dumps(
            {
                "status": response.status_code,
                "path": trivial,
                "bytes": size,
                "seconds": seconds,
                "max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            }
        )
    )


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], json.loads(sys.argv[3]))
    elif sys.argv[1:] == ["--prepare"]:
        prepare()
    else:
        main()

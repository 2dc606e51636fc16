"""The mutation check: break one guarantee at a time and show that the tests catch it.

    .venv/bin/python -m tests.mutations               # every break
    .venv/bin/python -m tests.mutations --list        # what each break does and its tests
    .venv/bin/python -m tests.mutations --only NAME   # one break (repeat --only for more)

Each break is a small edit to the application code (an exact snippet and its replacement). For
each break in turn, the repository is copied to a temporary directory, the break is applied to
the copy, and the break's tests run there with this checkout's interpreter; the working tree is
never touched. First the same tests run on an unbroken copy, so a test that fails anyway cannot
pass for one that catches a break (``--no-baseline`` skips that).

A break is CAUGHT when pytest reports failed tests (exit code 1), MISSED when its tests pass, and
ERROR for anything else: a collection error, a skipped tier, a listed test file that does not
exist, a snippet no longer found exactly once. The script exits non-zero unless every break is
caught.

The PostgreSQL and Celery breaks need the services the full suite needs: PostgreSQL (database
from MUTATION_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/lt_mutations) and Redis
(database TEST_REDIS_DB, as for the suite). Not collected by pytest, and not part of `make test`.
"""

import argparse
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.tiers import _postgres_problem

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/lt_mutations"
APP_PACKAGES = ("accreditation", "content", "courses", "learning_platform", "notifications")
SKIP_ANYWHERE = {".git", ".venv", "node_modules", "__pycache__", ".pytest_cache", ".ruff_cache"}
SKIP_AT_TOP = {"media", "private_media", "static_collected", "test-artifacts", "db.sqlite3"}
RUN_TIMEOUT_SECONDS = 900


@dataclass(frozen=True)
class Edit:
    path: str
    find: str
    replace: str


@dataclass(frozen=True)
class Break:
    name: str
    guarantee: str
    tier: str  # "sqlite", "postgres" or "celery"
    edits: tuple[Edit, ...]
    tests: tuple[str, ...]  # files or node ids, all of which must exist


BREAKS = (
    Break(
        name="stage-reviewer-check",
        guarantee="only the trainee and their partner may start, submit or change a stage",
        tier="sqlite",
        edits=(
            Edit(
                "accreditation/services/stages.py",
                "def _require_reviewer(stage: ReviewStage, user: User, doing: str) -> None:\n",
                "def _require_reviewer(stage: ReviewStage, user: User, doing: str) -> None:\n"
                "    return\n",
            ),
        ),
        tests=("tests/accreditation/test_access_outcomes.py",),
    ),
    Break(
        name="certificate-number-lock",
        guarantee="parallel approvals take distinct, gapless certificate numbers",
        tier="postgres",
        edits=(
            Edit(
                "accreditation/services/certificates.py",
                "CertificateNumberSequence.objects.select_for_update().get(year=year)",
                "CertificateNumberSequence.objects.get(year=year)",
            ),
        ),
        tests=("tests/accreditation/test_locks.py",),
    ),
    Break(
        name="render-late-ack",
        guarantee="a certificate render whose worker dies is redelivered and completes once",
        tier="celery",
        edits=(
            Edit(
                "learning_platform/settings/base.py",
                "CELERY_TASK_ACKS_LATE = True",
                "CELERY_TASK_ACKS_LATE = False",
            ),
        ),
        tests=("tests/accreditation/test_redelivery_worker.py",),
    ),
    Break(
        name="reject-on-worker-lost",
        guarantee="a task whose worker child is killed is put back on the queue, not dropped",
        tier="celery",
        edits=(
            Edit(
                "learning_platform/settings/base.py",
                "CELERY_TASK_REJECT_ON_WORKER_LOST = True",
                "CELERY_TASK_REJECT_ON_WORKER_LOST = False",
            ),
        ),
        tests=(
            "tests/platform/test_task_acknowledgement.py",
            "tests/accreditation/test_redelivery_worker.py",
        ),
    ),
    Break(
        name="application-lock",
        guarantee="two assessors deciding one application at once leave exactly one decision",
        tier="postgres",
        edits=(
            Edit(
                "accreditation/services/applications.py",
                "AccreditationApplication.objects.select_for_update()\n"
                '        .select_related("review", "scheme", "trainee")',
                "AccreditationApplication.objects.all()\n"
                '        .select_related("review", "scheme", "trainee")',
            ),
        ),
        tests=("tests/accreditation/test_locks.py",),
    ),
    Break(
        name="stage-lock",
        guarantee="two people acting on one stage at once cannot both pass its state check",
        tier="postgres",
        edits=(
            Edit(
                "accreditation/services/stages.py",
                "ReviewStage.objects.select_for_update()\n        .select_related",
                "ReviewStage.objects.all()\n        .select_related",
            ),
        ),
        tests=("tests/accreditation/test_locks.py",),
    ),
    Break(
        name="decision-state-check",
        guarantee="only a submitted application can be approved, referred or declined",
        tier="sqlite",
        edits=(
            Edit(
                "accreditation/services/applications.py",
                "    if application.status != Status.SUBMITTED:\n"
                "        raise TransitionError(\n"
                '            "Only a submitted application can be decided',
                "    if False:\n"
                "        raise TransitionError(\n"
                '            "Only a submitted application can be decided',
            ),
        ),
        tests=("tests/accreditation/test_applications_transitions.py",),
    ),
    Break(
        name="revoked-verifies-valid",
        guarantee="anyone checking a revoked certificate is told it is revoked",
        tier="sqlite",
        edits=(
            Edit(
                "accreditation/selectors/certificates.py",
                "    if certificate.status == Certificate.Status.REVOKED:\n"
                "        return PublicStatus.REVOKED\n",
                "",
            ),
        ),
        tests=("tests/accreditation/test_verification_pages.py",),
    ),
    Break(
        name="render-claim-once",
        guarantee="a certificate's PDF is rendered by one task however often the task runs",
        tier="sqlite",
        edits=(
            Edit(
                "accreditation/services/pdf.py",
                "        .filter(\n"
                "            Q(rendering_started_at__isnull=True)\n"
                "            | Q(rendering_started_at__lt=now - STALE_CLAIM_AFTER)\n"
                "        )\n"
                "        .update(rendering_started_at=now)\n",
                "        .update(rendering_started_at=now)\n",
            ),
        ),
        tests=("tests/accreditation/test_pdf_render.py",),
    ),
    Break(
        name="cohort-membership",
        guarantee="trainees and supervisors open only the cohorts they belong to",
        tier="sqlite",
        edits=(
            Edit(
                "courses/access.py",
                "    return Cohort.objects.filter(\n"
                "        Q(supervisors=user) | Q(pk__in=member_of) | Q(pk__in=supervises)\n"
                "    ).distinct()\n",
                "    return Cohort.objects.all()\n",
            ),
        ),
        tests=("tests/courses/test_access_personas.py",),
    ),
    Break(
        name="assignments-staff-only",
        guarantee="only programme staff set a cohort's supervisors and review partners",
        tier="sqlite",
        edits=(
            Edit(
                "courses/views/cohorts.py",
                "    cohort = access.get_cohort_for_staff(request.user, pk)\n"
                "    if not _can_assign(request.user):\n"
                "        raise Http404\n",
                "    cohort = access.get_cohort_for_user(request.user, pk)\n",
            ),
        ),
        tests=("tests/courses/test_cohorts_assignments.py",),
    ),
    Break(
        name="staff-mfa",
        guarantee="superusers and staff accounts must set up two-factor before anything else",
        tier="sqlite",
        edits=(
            Edit(
                "learning_platform/accounts/selectors.py",
                "    if user.is_superuser or user.is_staff:\n        return True\n",
                "",
            ),
        ),
        tests=("tests/accounts/test_mfa.py",),
    ),
    Break(
        name="erasure-reflections",
        guarantee="erasing a person deletes the reflections they wrote in their modules",
        tier="sqlite",
        edits=(
            Edit(
                "courses/privacy.py",
                "    ReflectionAnswer.objects.filter(progress__enrolment__user=user).delete()\n",
                "",
            ),
        ),
        tests=(
            "tests/accounts/test_privacy_erasure.py"
            "::test_it_leaves_none_of_tess_personal_data_in_any_table",
        ),
    ),
    Break(
        name="notification-recipient",
        guarantee="a notification opens only for its recipient",
        tier="sqlite",
        edits=(
            Edit(
                "notifications/selectors.py",
                "Notification.objects.get(pk=pk, recipient=user)",
                "Notification.objects.get(pk=pk)",
            ),
        ),
        tests=("tests/notifications/test_pages.py",),
    ),
)


@dataclass
class Outcome:
    verdict: str  # CAUGHT, MISSED or ERROR
    detail: str
    seconds: float
    # Listed test files that do not exist; the break was judged on the others.
    missing: list[str] = field(default_factory=list)


def _ignore(directory: str, names: list[str]) -> set[str]:
    skipped = {name for name in names if name in SKIP_ANYWHERE or name.endswith(".egg-info")}
    if Path(directory) == ROOT:
        skipped |= SKIP_AT_TOP & set(names)
    return skipped


def _copy(into: Path) -> Path:
    copy = into / "repo"
    shutil.copytree(ROOT, copy, ignore=_ignore)
    return copy


def _apply(copy: Path, edit: Edit) -> None:
    path = copy / edit.path
    text = path.read_text()
    found = text.count(edit.find)
    if found != 1:
        # A refactor moved the code: the break would silently become no break at all.
        raise ValueError(f"{edit.path}: snippet found {found} times, not once: {edit.find!r}")
    path.write_text(text.replace(edit.find, edit.replace))


def _env(copy: Path, tier: str) -> dict[str, str]:
    # Without REQUIRE_ALL_TIERS a missing service skips its tests (an ERROR here) rather than
    # failing them, which would read as a caught break.
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REQUIRE_ALL_TIERS")}
    env["DJANGO_SETTINGS_MODULE"] = "learning_platform.settings.test"
    env["PYTHONPATH"] = str(copy)
    if tier in ("postgres", "celery"):
        env["DATABASE_URL"] = os.environ.get("MUTATION_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    return env


def _imports_from_copy(copy: Path, env: dict[str, str]) -> str | None:
    """The project is installed editable from this checkout: make sure the copy wins."""
    code = f"import {', '.join(APP_PACKAGES)}; " + "; ".join(
        f"print({name}.__file__)" for name in APP_PACKAGES
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [PYTHON, "-c", code], cwd=copy, env=env, capture_output=True, text=True
    )
    outside = [line for line in result.stdout.split() if not line.startswith(f"{copy}/")]
    if result.returncode or outside:
        return f"the copy's modules are not the ones imported: {outside or result.stderr}"
    return None


def _missing_tests(copy: Path, tests: tuple[str, ...]) -> list[str]:
    files = {test.split("::")[0] for test in tests}
    return sorted(file for file in files if not (copy / file).exists())


def _service_problem(tier: str) -> str | None:
    if tier == "sqlite":
        return None
    problem = _postgres_problem(os.environ.get("MUTATION_POSTGRES_URL", DEFAULT_POSTGRES_URL))
    if problem or tier != "celery":
        return problem
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError as exc:
        return f"Redis is not reachable at 127.0.0.1:6379: {exc}"
    return None


def _pytest(copy: Path, tier: str, tests: list[str]) -> Outcome:
    started = time.monotonic()
    env = _env(copy, tier)
    problem = _service_problem(tier) or _imports_from_copy(copy, env)
    if problem:
        return Outcome("ERROR", problem, time.monotonic() - started)
    command = [PYTHON, "-m", "pytest", *tests, "-q", "-x", "-p", "no:cacheprovider", "-rfEs"]
    # A session of its own, so a run that hangs (a lock waiting forever) can be stopped with the
    # worker processes its tests started.
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        command,
        cwd=copy,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=RUN_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        output = None
    finally:
        # Timed out, interrupted, or done with a stray worker left behind: end them all.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    if output is None:
        return Outcome("ERROR", f"timed out after {RUN_TIMEOUT_SECONDS}s", RUN_TIMEOUT_SECONDS)
    seconds = time.monotonic() - started
    summary = output.strip().splitlines()[-1] if output.strip() else ""
    failed = [line for line in output.splitlines() if line.startswith("FAILED ")]
    if process.returncode == 1 and failed:
        return Outcome("CAUGHT", failed[0].removeprefix("FAILED "), seconds)
    if process.returncode == 0 and not re.search(r"\d+ skipped", summary):
        return Outcome("MISSED", summary, seconds)
    # Errors, a skipped tier, nothing collected: none of it shows the break was caught.
    tail = "\n".join(output.strip().splitlines()[-15:])
    return Outcome("ERROR", f"pytest exit {process.returncode}: {summary}\n{tail}", seconds)


def run_break(item: Break) -> Outcome:
    with tempfile.TemporaryDirectory(prefix=f"mutation-{item.name}-") as tmp:
        copy = _copy(Path(tmp))
        try:
            for edit in item.edits:
                _apply(copy, edit)
        except (OSError, ValueError) as error:
            return Outcome("ERROR", str(error), 0.0)
        missing = _missing_tests(copy, item.tests)
        present = [test for test in item.tests if test.split("::")[0] not in missing]
        if not present:
            return Outcome("ERROR", f"missing tests: {', '.join(missing)}", 0.0, missing)
        outcome = _pytest(copy, item.tier, present)
        outcome.missing = missing
        return outcome


def run_baseline(breaks: list[Break]) -> list[str]:
    """The breaks' tests on an unbroken copy, per tier: they must all pass."""
    problems = []
    with tempfile.TemporaryDirectory(prefix="mutation-baseline-") as tmp:
        copy = _copy(Path(tmp))
        for tier in ("sqlite", "postgres", "celery"):
            listed = {test for item in breaks if item.tier == tier for test in item.tests}
            missing = _missing_tests(copy, tuple(listed))
            tests = sorted(test for test in listed if test.split("::")[0] not in missing)
            if not tests:
                continue
            print(f"baseline ({tier}): {len(tests)} test paths ...", flush=True)
            outcome = _pytest(copy, tier, tests)
            if outcome.verdict != "MISSED":  # i.e. the tests did not simply pass
                problems.append(f"{tier}: {outcome.verdict} {outcome.detail}")
    return problems


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", metavar="NAME", help="run only this break")
    parser.add_argument("--list", action="store_true", help="list the breaks and exit")
    parser.add_argument("--no-baseline", action="store_true", help="skip the unbroken run")
    args = parser.parse_args(argv)

    names = {item.name for item in BREAKS}
    unknown = set(args.only or ()) - names
    if unknown:
        parser.error(f"unknown break(s): {', '.join(sorted(unknown))}; see --list")
    breaks = [item for item in BREAKS if not args.only or item.name in args.only]

    if args.list:
        for item in breaks:
            print(f"{item.name} [{item.tier}]: {item.guarantee}")
            for test in item.tests:
                print(f"    {test}")
        return 0

    if not args.no_baseline:
        problems = run_baseline(breaks)
        if problems:
            print("The tests do not pass without any break, so no break can be judged:")
            print("\n".join(problems))
            return 2

    rows = []
    for item in breaks:
        print(f"{item.name} ...", flush=True)
        outcome = run_break(item)
        rows.append((item, outcome))
        print(f"{item.name}: {outcome.verdict} in {outcome.seconds:.0f}s", flush=True)
        print(f"    {outcome.detail}".replace("\n", "\n    "), flush=True)

    print()
    print(f"{'break':<26} {'tier':<9} {'result':<7} {'seconds':>7}  tests")
    for item, outcome in rows:
        tests = [
            f"{test} (MISSING)" if test.split("::")[0] in outcome.missing else test
            for test in item.tests
        ]
        print(
            f"{item.name:<26} {item.tier:<9} {outcome.verdict:<7} {outcome.seconds:>7.0f}  "
            + "\n".join(f"{'':<54}{test}" if i else test for i, test in enumerate(tests))
        )
    caught = sum(outcome.verdict == "CAUGHT" for _, outcome in rows)
    missing = sum(bool(outcome.missing) for _, outcome in rows)
    print(f"\n{caught} of {len(rows)} breaks caught; {missing} list a test file that is missing.")
    return 0 if caught == len(rows) and not missing else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

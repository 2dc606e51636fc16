"""Requests per second through gunicorn, as production serves them, against a bare Django view
served by the same process in the same run.

gunicorn runs the production settings (learning_platform.settings.bench: production plus the
bare view at /bench/ok/ and plain-HTTP cookies) with 1 worker and 1 thread, against the scale-1
PostgreSQL database that ``bench/pages.py prepare`` seeds. A fixed number of clients on
127.0.0.1 request one page as fast as it answers for a fixed time; every page, the bare view
included, is measured once per round, in three interleaved rounds, and the medians are printed
as requests per second and as the ratio to the bare view.

    .venv/bin/python bench/pages.py prepare      # once: seeds the databases
    .venv/bin/python bench/http.py               # ~2 minutes

Options: ``--seconds`` per page and round (default 4), ``--clients`` (default 4), ``--rounds``
(default 3), ``--db`` (default postgres://postgres@127.0.0.1:5432/lt_scale), ``--port``.
"""

import sys
from pathlib import Path

# Run as a script, this folder would come first on the path, where bench/http.py would hide the
# standard library's http package; the project's root goes there instead.
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != HERE)]

import argparse  # noqa: E402
import http.client  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

SETTINGS = "learning_platform.settings.bench"
LARGE_DB = "postgres://postgres@127.0.0.1:5432/lt_scale"
HOST = "127.0.0.1"
BUDGET = {"anonymous": 0.5, "signed in": 0.1, "heavy": 0.05, "bare": 1.0}


def _env(database_url: str) -> dict:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "DATABASE_URL": database_url}


def targets(database_url: str) -> list[dict]:
    """Each page's URL and the session cookie of the persona who uses it, from the database."""
    script = """
import json
import django
django.setup()
from django.conf import settings
from django.test import Client
from django.urls import reverse
from bench.world import bench_world

h = bench_world()
sessions = {}
for persona, user in h.personas.items():
    client = Client()
    client.force_login(user)
    sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
rows = [
    ("bare view", None, "bare", "/bench/ok/"),
    ("home", None, "anonymous", "/"),
    ("/verify/<code>/", None, "anonymous", reverse("certificate_verify_code", args=[h.code])),
    ("/register/", None, "anonymous", reverse("public_register")),
    ("module landing", None, "anonymous", h.module_url),
    ("My learning", "trainee", "signed in", reverse("courses:my_learning")),
    ("assessor portfolio", "assessor", "signed in",
     reverse("accreditation:assessment_portfolio", args=[h.application])),
    ("largest grid", "admin", "heavy", reverse("courses:cohort_grid", args=[h.largest_cohort])),
    ("programme dashboard", "admin", "heavy", reverse("accreditation:dashboard")),
]
print(json.dumps([
    {"label": label, "kind": kind, "url": url,
     "cookie": f"{settings.SESSION_COOKIE_NAME}={sessions[persona]}" if persona else ""}
    for label, persona, kind, url in rows
]))
"""
    done = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=_env(database_url),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"could not read the world's pages:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def start_server(database_url: str, port: int) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603 - gunicorn from this project's environment
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "learning_platform.wsgi",
            "--workers",
            "1",
            "--threads",
            "1",
            "--bind",
            f"{HOST}:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=_env(database_url),
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex((HOST, port)) == 0:
                return server
        time.sleep(0.2)
    server.kill()
    sys.exit("gunicorn did not start within 30 s")


def get(port: int, url: str, cookie: str) -> int:
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        headers = {"Host": HOST, "Cookie": cookie} if cookie else {"Host": HOST}
        connection.request("GET", url, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def load(port: int, target: dict, *, seconds: float, clients: int) -> float:
    """Requests per second that ``clients`` clients get for ``seconds`` seconds."""
    done = [0] * clients
    failures: list[int] = []
    stop = time.monotonic() + seconds

    def client(index: int) -> None:
        while time.monotonic() < stop:
            status = get(port, target["url"], target["cookie"])
            if status != 200:
                failures.append(status)
                return
            done[index] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"{target['label']} ({target['url']}) answered {failures[0]}")
    return sum(done) / (time.monotonic() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db", default=LARGE_DB)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    pages = targets(args.db)
    server = start_server(args.db, args.port)
    try:
        for target in pages:  # warm: the first request fills caches and opens the connection
            for _ in range(2):
                status = get(args.port, target["url"], target["cookie"])
                if status != 200:
                    sys.exit(f"{target['label']} answered {status}")
        rates: dict[str, list[float]] = {target["label"]: [] for target in pages}
        for round_number in range(1, args.rounds + 1):
            for target in pages:
                rate = load(args.port, target, seconds=args.seconds, clients=args.clients)
                rates[target["label"]].append(rate)
            print(f"round {round_number} of {args.rounds} done", flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    bare = statistics.median(rates["bare view"])
    print(
        f"\ngunicorn, 1 worker, 1 thread; {args.clients} clients; {args.seconds:g} s a page "
        f"a round; median of {args.rounds} rounds\n"
    )
    print(f"{'page':24} {'req/s':>8} {'÷bare':>7}  budget")
    print("-" * 50)
    for target in pages:
        rate = statistics.median(rates[target["label"]])
        ratio = rate / bare
        budget = BUDGET[target["kind"]]
        verdict = "ok" if ratio >= budget or target["kind"] == "bare" else f"below {budget}"
        print(f"{target['label']:24} {rate:>8.1f} {ratio:>7.3f}  {verdict}")


if __name__ == "__main__":
    main()

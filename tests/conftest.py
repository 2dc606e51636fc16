"""Shared fixtures: the personas from DESIGN.md §7, the worlds several test directories build
(tests/worlds.py), and the service tiers.

Each tier that needs a service or a browser skips with its reason when that is missing, and fails
instead when REQUIRE_ALL_TIERS=1 (as CI runs it).
"""

import os
import shutil
import socket
import threading

from django.core.cache import cache

import pytest

from content.demo import seed_site
from content.models import EnquiryFormPage
from courses.models import Enrolment
from learning_platform.accounts.roles import Role

from .accreditation.factories import SupervisedReviewFactory, make_supervisor
from .courses.factories import (
    CohortFactory,
    EnrolmentFactory,
    add_module,
    build_course,
    knowledge_check_block,
    reflection_block,
    text_block,
)
from .factories import make_persona
from .worlds import build_accreditation_world, build_courses_world

REQUIRE_ALL_TIERS = os.environ.get("REQUIRE_ALL_TIERS") == "1"
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
# Separate checkouts on one machine can run the worker tier side by side on their own databases.
REDIS_TEST_DB = int(os.environ.get("TEST_REDIS_DB", "15"))


def tier_missing(reason: str):
    if REQUIRE_ALL_TIERS:
        pytest.fail(f"{reason} (REQUIRE_ALL_TIERS=1, so this tier may not be skipped)")
    pytest.skip(reason)


# First, so that pytest-django orders the tests (transactional last) and `-m` selects them by the
# markers set here.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # A transactional test empties every table when it ends, including the rows migrations
    # created (role groups, the Wagtail root page and site, the default scheme). Serialized
    # rollback puts them back at the start of each transactional test, so every such test gets
    # serialized rollback whatever its own marker says.
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        marker = item.get_closest_marker("django_db")
        transactional = bool(marker and marker.kwargs.get("transaction")) or any(
            name in fixtures for name in ("transactional_db", "live_server")
        )
        if transactional and not (marker and marker.kwargs.get("serialized_rollback")):
            kwargs = dict(marker.kwargs) if marker else {}
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)
        # A test that needs Redis or the browser is marked for it whatever its own markers say,
        # so `-m` sends it to the tier that has it (tests/tiers.py): worker tests to PostgreSQL,
        # browser tests to SQLite.
        if "redis_url" in fixtures and not item.get_closest_marker("celery"):
            item.add_marker(pytest.mark.celery)
        if "browser" in fixtures and not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(autouse=True)
def _clean_cache():
    # Rate-limit counters live in the cache; one test's failed logins must not limit the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }


# Personas ----------------------------------------------------------------------------------


@pytest.fixture
def tess(db):
    return make_persona("Tess Trainee", "tess@example.org", Role.TRAINEE)


@pytest.fixture
def pat(db):
    return make_persona("Pat Partner", "pat@example.org", Role.TRAINEE)


@pytest.fixture
def uma(db):
    return make_persona("Uma Unrelated", "uma@example.org", Role.TRAINEE)


@pytest.fixture
def sam(db):
    return make_persona("Sam Supervisor", "sam@example.org", Role.SUPERVISOR)


@pytest.fixture
def ali(db):
    return make_persona("Ali Assessor", "ali@example.org", Role.ASSESSOR)


@pytest.fixture
def ada(db):
    return make_persona("Ada Administrator", "ada@example.org", Role.PROGRAMME_ADMIN)


@pytest.fixture
def review(tess, pat, sam):
    """Tess leads the review with Pat as her trainee partner; Sam supervises."""
    return SupervisedReviewFactory(
        trainee=tess, partner=pat, supervisor=sam, case_reference="Child K"
    )


@pytest.fixture
def sid(db):
    """Another supervisor, of Uma's review."""
    return make_supervisor("Sid Supervisor", "sid@example.org")


@pytest.fixture
def other_review(uma, sid):
    """Uma's review, supervised by Sid: Tess, Pat and Sam have nothing to do with it."""
    return SupervisedReviewFactory(trainee=uma, supervisor=sid, case_reference="Family M")


# The courses world ---------------------------------------------------------------------------


@pytest.fixture
def course(db):
    """A course with two modules; the second requires the first and has a check and a reflection."""
    course = build_course(title="Lead reviewer programme")
    first = add_module(
        course,
        title="Systems thinking",
        body=[text_block("Systems thinking basics."), reflection_block("What surprised you?")],
    )
    add_module(
        course,
        title="Key practice episodes",
        body=[
            text_block("Body of the KPE module."),
            reflection_block("Describe a key practice episode."),
            knowledge_check_block(pass_mark=100),
        ],
        prerequisites=[first],
    )
    return course


@pytest.fixture
def modules(course):
    return list(course.modules())


@pytest.fixture
def cohort(course, sam):
    cohort = CohortFactory(course=course, name="London boards 2026")
    cohort.supervisors.add(sam)
    return cohort


@pytest.fixture
def tess_enrolment(cohort, tess, pat, sam):
    return EnrolmentFactory(
        user=tess, cohort=cohort, supervisor=sam, review_partner=pat, status=Enrolment.Status.ACTIVE
    )


@pytest.fixture
def pat_enrolment(cohort, tess, pat):
    return EnrolmentFactory(user=pat, cohort=cohort, review_partner=tess)


@pytest.fixture
def ctx(client, course, modules, cohort, tess_enrolment, pat_enrolment, ada):
    """The courses world (see tests/worlds.py): its objects by name."""
    return build_courses_world(
        client=client,
        course=course,
        modules=modules,
        cohort=cohort,
        tess_enrolment=tess_enrolment,
        ada=ada,
    )


# The accreditation world ---------------------------------------------------------------------


@pytest.fixture
def accreditation_world(
    tess, pat, uma, sam, ali, ada, review, other_review, django_capture_on_commit_callbacks
):
    """Tess and Pat's review with a file, a key practice episode, an underlying pattern and a
    session; every stage approved and Tess's application approved with its PDF rendered. Uma
    (supervised by Sid) has her own review and a draft application."""
    return build_accreditation_world(
        tess=tess,
        pat=pat,
        uma=uma,
        sam=sam,
        ali=ali,
        ada=ada,
        review=review,
        capture_on_commit=django_capture_on_commit_callbacks,
    )


# The public site -----------------------------------------------------------------------------


@pytest.fixture
def home(db):
    """The demo public site, built as `manage.py seed_demo` builds it."""
    return seed_site()


@pytest.fixture
def contact_page(home) -> EnquiryFormPage:
    return EnquiryFormPage.objects.get()


# Tiers -------------------------------------------------------------------------------------


@pytest.fixture
def postgres_db(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        tier_missing("needs PostgreSQL: `make test` runs this in its PostgreSQL tier")
    return connection


@pytest.fixture
def locked(postgres_db, transactional_db, django_db_serialized_rollback):
    """PostgreSQL, with every call committing through its own connection: for the lock tests
    (tests/concurrency.py), whose calls run in threads of their own."""


@pytest.fixture(scope="session")
def redis_url():
    if not _port_open(REDIS_HOST, REDIS_PORT):
        tier_missing(f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}")
    return f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_TEST_DB}"


@pytest.fixture
def celery_worker(redis_url, transactional_db, django_db_serialized_rollback, settings):
    """A real Celery worker, in a thread, consuming from Redis.

    The database is transactional so the worker's thread sees committed rows; serialized rollback
    restores the data that migrations created (role groups, the Wagtail root page) afterwards.

    The worker needs a database that concurrent connections wait on. SQLite's in-memory test
    database is shared between threads through a shared cache, whose table locks fail at once
    instead of waiting, so a write in the test can fail while the worker reads: this tier runs
    against PostgreSQL.

    It runs the solo pool, not the Procfile's prefork pool, on purpose. These tests watch what
    the task did through this process's memory: the locmem outbox (``mail.outbox``), settings
    changed by the ``settings`` fixture and storage swapped by ``monkeypatch``, all after the
    worker starts. Prefork children are forked when the pool starts and run the task in their own
    memory, so they see none of it: with ``pool="prefork", concurrency=2`` the enquiry test finds
    an empty outbox, and the PDF test passes only because the child stores the file in the
    storage it was forked with, never the one the test swapped in. Forking this process would also
    copy its open test-database connection and the worker's threads into each child. What depends
    on the pool (early or late acknowledgement, a lost child's task requeued) is tested on the
    Procfile's own worker command in tests/accreditation/test_redelivery_worker.py.
    """
    from django.db import connection

    if connection.vendor == "sqlite":
        tier_missing("the Celery worker tier runs on PostgreSQL: `make test` runs it in that tier")
    import redis
    from celery.contrib.testing.worker import start_worker

    from learning_platform.celery import app

    redis.Redis.from_url(redis_url).flushdb()
    # Read the app's own settings before touching Django's: the app loads its configuration from
    # Django settings on first use, and must go back to running tasks in-process afterwards.
    previous = {
        "broker_url": app.conf.broker_url,
        "task_always_eager": app.conf.task_always_eager,
    }
    settings.CELERY_TASK_ALWAYS_EAGER = False
    _reset_connection_pools(app)
    app.conf.update(broker_url=redis_url, task_always_eager=False)
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=10
        ) as worker:
            yield worker
    finally:
        app.conf.update(**previous)
        _reset_connection_pools(app)


def _reset_connection_pools(app) -> None:
    # The app caches its broker connection and producer pools on first use; after a broker URL
    # change they would still point at the old broker, and sent tasks would never arrive.
    app._pool = None
    app.amqp._producer_pool = None


def _chromium_path() -> str | None:
    candidate = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    if os.path.exists(candidate):
        return candidate
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser(live_server):
    """Chromium for the whole session, closed before the live server stops (it depends on it).

    The live server answers each connection in a thread that shares the test database
    connection while the server runs. Chromium keeps idle connections open, so their threads
    are still waiting when the last browser test ends; closing the browser ends them, and they
    are waited for here, while the sharing still holds, instead of ending after the server has
    stopped and failing there (unhandled thread exceptions attributed to the session's last
    test).
    """
    path = _chromium_path()
    if path is None:
        tier_missing("Debian's chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        tier_missing("the playwright package is not installed")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from tests are
    # still synchronous, so allow them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from django.db import connections

    before = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        # Starting Playwright switches the test code into a new execution context, where Django
        # would open fresh database connections that lack the test database's serialized
        # contents (so a transactional test could no longer restore the migrated data). Keep
        # using the connections the test database was set up with.
        for alias, connection in before.items():
            connections[alias] = connection
        browser = playwright.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
    _wait_for_request_threads()


def _wait_for_request_threads(timeout: float = 10.0) -> None:
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and thread.name.endswith(
            "(process_request_thread)"
        ):
            thread.join(timeout)


@pytest.fixture
def page(browser, live_server, transactional_db, django_db_serialized_rollback):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()

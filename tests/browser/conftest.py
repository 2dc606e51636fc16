"""The browser tier's fixtures: accessibility checks on every page, and journey artefacts.

Every browser context a test opens (through `browser.new_context`, as the `page` fixture does) is
audited with axe-core, on load and after each change its scripts make: see a11y.py. A test fails
if any page or state it reached has a WCAG 2.2 AA violation or an unreviewed incomplete result on
colour contrast or ARIA, or if it left a page before the page could be checked.
"""

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accreditation.services.reviews import review_create
from courses.services import progress as progress_services
from tests.conftest import tier_missing
from tests.courses.factories import (
    CohortFactory,
    EnrolmentFactory,
    TrainingDayFactory,
    add_module,
    build_course,
    knowledge_check_block,
    reflection_block,
    text_block,
)
from tests.factories import OrganisationFactory

from .a11y import AXE_PATH, AccessibilityAudit
from .accreditation_steps import CASE
from .training_steps import COHORT_NAME, COURSE_TITLE, REFLECTION_QUESTION

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
REFLECTION = "How local rationality shaped each decision."

# An assertion waits for the page's accessibility checks before it looks (the locator handler in
# a11y.py), and Playwright counts that wait against the assertion's own timeout. One script change
# can queue two or three axe runs (choosing a page in Wagtail's chooser sets the field, then the
# modal fades and is removed), each taking seconds on a busy machine: more than Playwright's
# default 5 seconds for an assertion. Assertions get the same time as the pages' actions.
EXPECT_TIMEOUT_MS = 15_000
expect.set_options(timeout=EXPECT_TIMEOUT_MS)


@pytest.fixture(autouse=True)
def a11y(request):
    """The axe-core results of this test; every new browser context is wired to it."""
    if not {"browser", "page"} & set(request.fixturenames):
        yield None
        return
    if not AXE_PATH.exists():
        tier_missing(f"axe-core is not installed at {AXE_PATH} (run `make install`)")
    browser = request.getfixturevalue("browser")
    new_context = browser.new_context
    audit = AccessibilityAudit(new_context)

    def new_audited_context(**kwargs):
        context = new_context(**kwargs)
        return audit.attach(context, javascript=kwargs.get("java_script_enabled", True))

    browser.new_context = new_audited_context
    try:
        yield audit  # checked at the end of the test itself: see pytest_runtest_call
    finally:
        browser.new_context = new_context
        _keep_incomplete_results(audit, request.node.name)


def _keep_incomplete_results(audit: AccessibilityAudit, name: str) -> None:
    """What axe could not decide and no test fails on, for a person to read."""
    path = ARTIFACTS / "axe-incomplete" / f"{name}.txt"
    report = audit.incomplete_report()
    if report:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(report + "\n", encoding="utf-8")
    else:
        path.unlink(missing_ok=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    # Check the last pages while the test's browser contexts are still open, so a violation
    # fails the test itself rather than its teardown.
    audit = item.funcargs.get("a11y")
    # The test's own failure, if any, says more than a check of its pages.
    result = yield
    if audit is not None:
        audit.settle()
        audit.finish()
    return result


@pytest.fixture
def screenshot_of(request):
    """Save a screenshot of a journey's last page as a test artefact."""

    def take(page, name: str | None = None) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name or request.node.name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def screenshot(page, screenshot_of):
    """Save a screenshot of the `page` fixture's last page as a test artefact."""
    return lambda name=None: screenshot_of(page, name)


@pytest.fixture
def review_after_training(tess, pat, sam):
    """Tess has finished the course (one module read, one reflection answered) and leads a
    review with Pat as her partner, supervised by Sam."""
    course = build_course(title="Lead reviewer programme")
    reading = add_module(course, title="Systems thinking", body=[text_block("Basics.")])
    question = reflection_block("What surprised you?")
    reflective = add_module(course, title="Key practice episodes", body=[question])
    enrolment = EnrolmentFactory(
        user=tess, cohort=CohortFactory(course=course), supervisor=sam, review_partner=pat
    )
    progress_services.module_progress_start(enrolment=enrolment, module=reading)
    progress_services.reflection_answer_save(
        enrolment=enrolment, module=reflective, block_id=question["id"], answer=REFLECTION
    )
    return review_create(
        trainee=tess,
        partner=pat,
        supervisor=sam,
        commissioning_organisation=OrganisationFactory(name="Northshire Safeguarding Partnership"),
        case_reference=CASE,
        review_type="full",
        start_date=date(2026, 1, 12),
    )


@pytest.fixture
def course(transactional_db):
    """The training journeys' course, in place of the shared one: two modules, the first with a
    reflection and a knowledge check (pass mark 100%)."""
    course = build_course(title=COURSE_TITLE)
    first = add_module(
        course,
        title="Systems thinking",
        body=[
            text_block("Why a systems review asks what made sense at the time."),
            reflection_block(REFLECTION_QUESTION, guidance="Do not name anyone."),
            knowledge_check_block(pass_mark=100),
        ],
    )
    add_module(
        course,
        title="Key practice episodes",
        body=[text_block("Body of the KPE module.")],
        prerequisites=[first],
    )
    return course


@pytest.fixture
def cohort(course, sam):
    """The training journeys' cohort of that course, supervised by Sam, with one training day."""
    cohort = CohortFactory(course=course, name=COHORT_NAME, capacity=10)
    cohort.supervisors.add(sam)
    TrainingDayFactory(cohort=cohort, title="Day 1: systems thinking")
    return cohort

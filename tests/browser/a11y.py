"""axe-core on every page the browser journeys visit, and on every state a page is put in.

Every browser context the browser tests open is wired by `AccessibilityAudit.attach`:

- With JavaScript on, an init script (`a11y_audit.js`, after axe-core from npm) checks each
  document of the main frame once it has loaded and reports back through a binding. A locator
  handler makes every Playwright action wait for the current page's check, and `goto`,
  `wait_for_url`, `reload` and closing the context wait for it too; the page itself holds back
  a link or form that would leave it before its check is done. So no page can be skipped.
- After that first check, every change the page's own scripts make (a dialog opening, a hidden
  part shown, a live region, a count or a progress bar rewritten) is checked again, the same
  way, and reported as "after a change by script: ...". A test can also check the page at any
  moment with `audit(page, label)`, which fails at once if axe finds anything.
- A form that comes back with errors is a new document from the server, so it is checked as a
  page of its own, with focus already on its error summary (error-summary.js runs before axe).
- With JavaScript off axe cannot run in the page (its timers never fire), so the HTML that each
  navigation served is kept and checked when the context closes, served again under its own URL
  and headers to a page with JavaScript on.

Violations fail the test where the page is left (`goto`, `wait_for_url`) or at the latest when
the test ends, listing page, state, rule, impact and target selectors. So do axe's "incomplete"
results (what it could not decide by itself) about colour contrast or ARIA, unless they are in
REVIEWED_INCOMPLETE (axe_results.py) with the reason they are not a problem. Other incomplete
results are kept with each check and written to test-artifacts/axe-incomplete/ for a person to
read.
"""

from __future__ import annotations

import json

from playwright.sync_api import Error as PlaywrightError

from .axe_results import (
    AUDIT_SCRIPT,
    AXE_OPTIONS,
    AXE_PATH,
    PENDING_MARKER,
    UNWATCHED_WIDGETS,
    PageCheck,
    _split_incomplete,
    _without_exceptions,
)


def init_script() -> str:
    audit = AUDIT_SCRIPT.read_text(encoding="utf-8")
    audit = audit.replace("__AXE_OPTIONS__", json.dumps(AXE_OPTIONS))
    unwatched = [selector for selector, _why in UNWATCHED_WIDGETS]
    audit = audit.replace("__UNWATCHED_WIDGETS__", json.dumps(unwatched))
    return AXE_PATH.read_text(encoding="utf-8") + "\n;\n" + audit


class AccessibilityAudit:
    """What axe found on every page of one test, across all its browser contexts."""

    def __init__(self, new_context):
        self._new_context = new_context  # the browser's own, unaudited, for re-serving HTML
        self._script = init_script()
        self.checks: list[PageCheck] = []
        self._loaded: dict[str, str] = {}  # document id -> URL, until its check arrives
        self._reported = 0  # how many checks with problems were already raised
        self._snapshots: list[tuple[str, int, dict, bytes]] = []
        self._reading = 0  # response bodies still being read for _snapshots
        self._contexts_without_javascript: list = []
        self._open_pages: list = []

    # Wiring -------------------------------------------------------------------------------

    def attach(self, context, *, javascript: bool, served_without_javascript: bool = False):
        context.add_init_script(script=self._script)

        def on_report(_source, report: dict) -> None:
            self._on_report(report, served_without_javascript=served_without_javascript)

        context.expose_binding("__a11yReport", on_report)
        # A context that only re-serves kept HTML is driven by _check_snapshots itself.
        if javascript and not served_without_javascript:
            context.on("page", self._wire_page)
            for page in context.pages:
                self._wire_page(page)
            new_page = context.new_page

            def new_wired_page(**kwargs):
                page = new_page(**kwargs)
                self._wire_page(page)
                return page

            context.new_page = new_wired_page
        elif not javascript:
            context.on("response", self._keep_served_html)
            self._contexts_without_javascript.append(context)
        close = context.close

        def close_after_checks(**kwargs):
            try:
                if javascript:
                    for page in context.pages:
                        self.wait_for_page(page)
                else:
                    self._finish_reading(context)
            finally:
                close(**kwargs)
            self._check_snapshots()

        context.close = close_after_checks
        return context

    def _wire_page(self, page) -> None:
        if getattr(page, "_a11y_wired", False):
            return
        page._a11y_wired = True
        page._a11y_audit = self
        self._open_pages.append(page)
        page.add_locator_handler(
            page.locator(PENDING_MARKER), lambda _marker: self.wait_for_page(page)
        )
        for name in ("goto", "reload", "go_back", "go_forward"):
            self._check_before(page, name)
        wait_for_url = page.wait_for_url

        def wait_for_url_then_check(*args, **kwargs):
            wait_for_url(*args, **kwargs)
            self.wait_for_page(page)
            self.raise_for_problems()

        page.wait_for_url = wait_for_url_then_check

    def _check_before(self, page, name: str) -> None:
        original = getattr(page, name)

        def check_then_navigate(*args, **kwargs):
            self.wait_for_page(page)
            self.raise_for_problems()
            return original(*args, **kwargs)

        setattr(page, name, check_then_navigate)

    # Reports ------------------------------------------------------------------------------

    def _on_report(self, report: dict, *, served_without_javascript: bool) -> None:
        if report["phase"] == "loaded":
            self._loaded[report["documentId"]] = report["url"]
            return
        if report["phase"] == "audited":
            self._loaded.pop(report["documentId"], None)
        self._record(report, served_without_javascript=served_without_javascript)

    def _record(self, report: dict, *, served_without_javascript: bool = False) -> PageCheck:
        url = report["url"]
        unreviewed, incomplete = _split_incomplete(url, report.get("incomplete", []))
        check = PageCheck(
            url=url,
            violations=_without_exceptions(url, report.get("violations", [])),
            error=report.get("error", ""),
            served_without_javascript=served_without_javascript,
            state=report.get("label", ""),
            unreviewed=unreviewed,
            incomplete=incomplete,
        )
        self.checks.append(check)
        return check

    def audit(self, page, label: str) -> PageCheck:
        """Check the page as it is now (a dialog open, an error shown...); fail at once if axe
        finds a violation or an unreviewed incomplete result, here or on an earlier page."""
        page = getattr(page, "page", page)  # a journey's Ui, or the page itself
        self.wait_for_page(page)
        check = self._record(page.evaluate("label => window.__a11yAuditNow(label)", label))
        self.raise_for_problems()
        return check

    def wait_for_page(self, page) -> None:
        """Block until the check of the page's current document has reported."""
        for _attempt in range(5):
            if page.is_closed():
                return
            try:
                page.evaluate("() => window.__a11yAudit || null")
                return
            except PlaywrightError as error:
                # The page was navigating: wait for the next document's check instead.
                if "context was destroyed" not in str(error) and "navigat" not in str(error):
                    raise
        raise AssertionError(f"The page kept navigating; axe-core could not check {page.url}")

    def problems(self) -> list[PageCheck]:
        return [check for check in self.checks if check.has_problems]

    def take_problems(self) -> list[PageCheck]:
        """The checks that found something, no longer counted against the test."""
        problems = self.problems()
        self.checks = [check for check in self.checks if check not in problems]
        self._reported = 0
        return problems

    def raise_for_problems(self) -> None:
        problems = self.problems()
        if len(problems) > self._reported:
            self._reported = len(problems)
            raise AssertionError(self.message(problems))

    @staticmethod
    def message(problems: list[PageCheck]) -> str:
        pages = "\n".join(check.describe() for check in problems)
        return (
            "axe-core found WCAG 2.2 AA violations, or incomplete results on colour contrast or "
            f"ARIA not in REVIEWED_INCOMPLETE, on {len(problems)} page(s) or state(s):\n{pages}"
        )

    def incomplete_report(self) -> str:
        """Every incomplete result that does not fail the test, page by page."""
        return "\n".join(check.describe_incomplete() for check in self.checks if check.incomplete)

    def settle(self) -> None:
        """Let every open page finish its check, and check the HTML kept so far."""
        for page in self._open_pages:
            self.wait_for_page(page)
        for context in self._contexts_without_javascript:
            self._finish_reading(context)
        self._check_snapshots()

    def finish(self) -> None:
        """At the end of a test: every loaded page was checked, and none had violations."""
        if self._loaded:
            unchecked = "\n".join(f"  {url}" for url in self._loaded.values())
            raise AssertionError(
                f"These pages were left before axe-core had checked them:\n{unchecked}"
            )
        if not self.checks:
            raise AssertionError("No page was checked by axe-core in this test.")
        problems = self.problems()
        if problems:
            raise AssertionError(self.message(problems))

    # Pages served with JavaScript off -----------------------------------------------------

    def _keep_served_html(self, response) -> None:
        request = response.request
        if not request.is_navigation_request() or request.frame.parent_frame is not None:
            return
        if response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            return
        # The body arrives after this handler yields; closing the context first would lose it.
        self._reading += 1
        try:
            body = response.body()
        finally:
            self._reading -= 1
        self._snapshots.append((response.url, response.status, response.headers, body))

    def _finish_reading(self, context) -> None:
        """Let the response handlers still reading a page's HTML finish before the context
        closes (waiting on a page hands control back to Playwright, which delivers the body)."""
        for _ in range(400):
            if not self._reading or not context.pages:
                return
            context.pages[0].wait_for_timeout(25)
        raise AssertionError("The HTML of a page served with JavaScript off never arrived.")

    def _check_snapshots(self) -> None:
        if not self._snapshots:
            return
        snapshots, self._snapshots = self._snapshots, []
        context = self.attach(self._new_context(), javascript=True, served_without_javascript=True)
        page = context.new_page()
        self._open_pages.append(page)
        try:
            for url, status, headers, body in snapshots:
                served = {
                    name: value
                    for name, value in headers.items()
                    if name.lower() not in {"set-cookie", "content-length", "content-encoding"}
                }

                page.route(_exactly(url), _serve(status, served, body))
                page.goto(url)
                self.wait_for_page(page)
                page.unroute_all()
        finally:
            context.close()


def _exactly(url: str):
    return lambda candidate: candidate == url


def _serve(status: int, headers: dict, body: bytes):
    return lambda route: route.fulfill(status=status, headers=headers, body=body)


def audit(page, label: str) -> PageCheck:
    """Check a page of an audited context in its current state: see AccessibilityAudit.audit."""
    page = getattr(page, "page", page)
    checker = getattr(page, "_a11y_audit", None)
    if checker is None:
        raise AssertionError(f"{page.url} is not in a browser context audited by axe-core")
    return checker.audit(page, label)

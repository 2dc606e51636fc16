"""axe-core on every page the browser journeys visit.

Every browser context the browser tests open is wired by `AccessibilityAudit.attach`:

- With JavaScript on, an init script (`a11y_audit.js`, after axe-core from npm) checks each
  document of the main frame once it has loaded and reports back through a binding. A locator
  handler makes every Playwright action wait for the current page's check, and `goto`,
  `wait_for_url`, `reload` and closing the context wait for it too; the page itself holds back
  a link or form that would leave it before its check is done. So no page can be skipped.
- With JavaScript off axe cannot run in the page (its timers never fire), so the HTML that each
  navigation served is kept and checked when the context closes, served again under its own URL
  and headers to a page with JavaScript on.

Violations fail the test where the page is left (`goto`, `wait_for_url`) or at the latest when
the test ends, listing page, rule, impact and target selectors.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

HERE = Path(__file__).resolve().parent
AXE_PATH = HERE / "node_modules" / "axe-core" / "axe.min.js"
AUDIT_SCRIPT = HERE / "a11y_audit.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
PENDING_MARKER = "#a11y-audit-pending"

# Wagtail's own admin markup that we cannot change from this project. Each entry is one rule on
# one element (matched against axe's target selector), under /admin/ only, with the reason.
ADMIN_EXCEPTIONS: list[tuple[str, re.Pattern[str], str]] = []


@dataclass
class PageCheck:
    url: str
    violations: list[dict] = field(default_factory=list)
    error: str = ""
    served_without_javascript: bool = False

    def describe(self) -> str:
        where = self.url + (
            " (as served with JavaScript off)" if self.served_without_javascript else ""
        )
        if self.error:
            return f"{where}: axe could not run: {self.error}"
        lines = [f"{where}:"]
        for violation in self.violations:
            lines.append(f"  - {violation['id']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"]:
                target = " ".join(node["target"])
                lines.append(f"      at {target}")
                lines.append(f"         {node['html']}")
                for summary_line in node["summary"].splitlines():
                    lines.append(f"         {summary_line}")
        return "\n".join(lines)


def _is_admin(url: str) -> bool:
    return bool(re.match(r"^https?://[^/]+/admin/", url))


def _without_exceptions(url: str, violations: list[dict]) -> list[dict]:
    if not _is_admin(url):
        return violations
    kept = []
    for violation in violations:
        nodes = [
            node
            for node in violation["nodes"]
            if not any(
                rule == violation["id"] and pattern.search(" ".join(node["target"]))
                for rule, pattern, _why in ADMIN_EXCEPTIONS
            )
        ]
        if nodes:
            kept.append({**violation, "nodes": nodes})
    return kept


def init_script() -> str:
    audit = AUDIT_SCRIPT.read_text(encoding="utf-8")
    audit = audit.replace("__AXE_OPTIONS__", json.dumps(AXE_OPTIONS))
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
        self._loaded.pop(report["documentId"], None)
        url = report["url"]
        self.checks.append(
            PageCheck(
                url=url,
                violations=_without_exceptions(url, report.get("violations", [])),
                error=report.get("error", ""),
                served_without_javascript=served_without_javascript,
            )
        )

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
        return [check for check in self.checks if check.violations or check.error]

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
        return f"axe-core found WCAG 2.2 AA violations on {len(problems)} page(s):\n{pages}"

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

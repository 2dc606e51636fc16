"""What axe's results mean here: the options the browser tests run axe with, the exceptions a person
has reviewed (Wagtail's own admin markup, widgets not re-checked after a change, incomplete results
found sound), and one page check's findings. `a11y.py` runs the checks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
AXE_PATH = HERE / "node_modules" / "axe-core" / "axe.min.js"
AUDIT_SCRIPT = HERE / "a11y_audit.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Every node of the incomplete results too: axe lists one node only of a result type left out.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    "resultTypes": ["violations", "incomplete"],
}
PENDING_MARKER = "#a11y-audit-pending"

# Wagtail's own admin markup that we cannot change from this project. Each entry is one rule on
# one element (matched against axe's target selector), under /admin/ only, with the reason.
ADMIN_EXCEPTIONS: list[tuple[str, re.Pattern[str], str]] = [
    (
        "button-name",
        re.compile(r"\.xdsoft_datetimepicker\b.*\.xdsoft_(prev|next|today_button)\b"),
        "Wagtail's date picker (the jQuery datetimepicker it bundles) draws its previous, next "
        "and today buttons as icons without a name. The date field beside it takes a typed "
        "date, so nothing depends on the picker.",
    ),
]

# Wagtail's own admin widgets whose changes by script are not checked again (the page is still
# checked on load, and whenever anything else changes), with the reason.
UNWATCHED_WIDGETS: list[tuple[str, str]] = [
    (
        ".xdsoft_datetimepicker",
        "Wagtail's date picker redraws its calendar at every key typed in a date field.",
    ),
    (".footer__save-warning", "Wagtail's unsaved-changes notice, rewritten at every edit."),
    (
        "[data-tippy-root]",
        "Wagtail's tooltips, drawn as focus or the pointer passes over its admin buttons.",
    ),
]

# axe's incomplete results about colour contrast or ARIA that a person has looked at and found
# sound. Each entry is one rule, the pages (URL path) and the elements (axe's target selector)
# it covers, and why it is not a problem. Anything else of that kind fails the test.
REVIEWED_INCOMPLETE: list[tuple[str, re.Pattern[str], re.Pattern[str], str]] = [
    (
        "aria-valid-attr-value",
        re.compile(r"^/(?!admin/)"),
        re.compile(r"^wagtail-userbar,#wagtail-userbar-trigger$"),
        "Wagtail's user bar, shown to staff on the site's pages, keeps its menu inside its own "
        "shadow root; axe cannot tell whether the menu its button controls exists there.",
    ),
    (
        "color-contrast",
        re.compile(r"^/accreditation/dashboard/$"),
        re.compile(r"^\.funnel-chart__(label|value)\["),
        "The funnel chart's SVG text (accreditation/charts.py), which axe cannot find a "
        "background for: labels and figures sit beside the bars, not on them, in --text "
        "(#1d1d1b) on the page's white.",
    ),
    (
        "color-contrast",
        re.compile(r"^/learning/cohorts/\d+/progress/$"),
        re.compile(r'^(th\[scope="col"\]|tr:nth-child\(\d+\) > td):nth-child\(\d+\)$'),
        "The progress grid scrolls sideways inside its frame; axe cannot tell the background of "
        "a cell the frame's edge cuts through. Every cell is --text (#1d1d1b) on white.",
    ),
    (
        "color-contrast",
        re.compile(r"^/admin/"),
        re.compile(r"^\.sidebar-footer__account-label$"),
        "Wagtail's sidebar: the account label lies under the sidebar's own account button. "
        "Wagtail's markup and colours, not changed by this project.",
    ),
    (
        "color-contrast",
        re.compile(r"^/admin/"),
        re.compile(r"xdsoft_|^td\[data-month="),
        "Wagtail's date picker, drawn over the form; axe cannot tell the background of its "
        "days. Wagtail's markup and colours.",
    ),
    (
        "color-contrast",
        re.compile(r"^/admin/programme/cohorts/new/$"),
        re.compile(
            r"^(#id_[\w-]+|#panel-[\w-]+|#inline_child_[\w-]+|#header-title > span"
            r'|span\[data-inline-panel-child-count=""\]|label\[for="id_supervisors_\d+"\]'
            r'|\.footer__save-warning > div > p|\.parent-page > .*|a\[href(\$="training/"|="")\]'
            r"|\.success|b|b > span|em)( > .*)?$"
        ),
        "Wagtail's own cohort editor and its page chooser, in Wagtail's markup and colours. As "
        "the journey fills it in, its fields pass under the sticky header and footer, the date "
        "picker and the chooser's modal, where axe cannot tell their background.",
    ),
    (
        "color-contrast",
        re.compile(r"^/admin/programme/invitations/(new|import)/(\?|$)"),
        re.compile(r"^#id_(cohort|organisation)$"),
        "Wagtail's select box draws its arrow as a background gradient, so axe cannot tell its "
        "background; the text is Wagtail's field text on its white field, as on every admin form.",
    ),
    (
        "aria-hidden-focus",
        re.compile(r"^/admin/programme/cohorts/new/$"),
        re.compile(r"^\.modal$"),
        "Wagtail's chooser modal as it closes after a choice: hidden with aria-hidden while "
        "its fade-out still draws it. Wagtail's markup.",
    ),
]

_CONTRAST_RULES = {"color-contrast", "color-contrast-enhanced", "link-in-text-block"}


def needs_review(result: dict) -> bool:
    """An incomplete result on colour contrast or ARIA, which must be reviewed."""
    tags = set(result.get("tags", []))
    return (
        result["id"] in _CONTRAST_RULES
        or "cat.color" in tags
        or "cat.aria" in tags
        or result["id"].startswith("aria-")
    )


def _reviewed(url: str, rule: str, node: dict) -> bool:
    path = re.sub(r"^https?://[^/]+", "", url)
    target = " ".join(node["target"])
    return any(
        rule == reviewed_rule and page.search(path) and element.search(target)
        for reviewed_rule, page, element, _why in REVIEWED_INCOMPLETE
    )


def _split_incomplete(url: str, incomplete: list[dict]) -> tuple[list[dict], list[dict]]:
    """(unreviewed results on contrast or ARIA, every other incomplete result)."""
    unreviewed, other = [], []
    for result in incomplete:
        if not needs_review(result):
            other.append(result)
            continue
        nodes = [node for node in result["nodes"] if not _reviewed(url, result["id"], node)]
        if nodes:
            unreviewed.append({**result, "nodes": nodes})
        if len(nodes) < len(result["nodes"]):
            other.append(
                {**result, "nodes": [node for node in result["nodes"] if node not in nodes]}
            )
    return unreviewed, other


@dataclass
class PageCheck:
    url: str
    violations: list[dict] = field(default_factory=list)
    error: str = ""
    served_without_javascript: bool = False
    # Empty for the check on load; otherwise the state the page was checked in.
    state: str = ""
    # Incomplete results on colour contrast or ARIA that nobody has reviewed: these fail.
    unreviewed: list[dict] = field(default_factory=list)
    # Every other incomplete result, kept for a person to read.
    incomplete: list[dict] = field(default_factory=list)

    @property
    def has_problems(self) -> bool:
        return bool(self.violations or self.unreviewed or self.error)

    def where(self) -> str:
        where = self.url
        if self.served_without_javascript:
            where += " (as served with JavaScript off)"
        if self.state:
            where += f" ({self.state})"
        return where

    def describe(self) -> str:
        if self.error:
            return f"{self.where()}: axe could not run: {self.error}"
        lines = [f"{self.where()}:"]
        for violation in self.violations:
            lines.extend(_describe_result(violation))
        for result in self.unreviewed:
            lines.extend(_describe_result(result, "incomplete, not reviewed"))
        return "\n".join(lines)

    def describe_incomplete(self) -> str:
        lines = [f"{self.where()}:"]
        for result in self.incomplete:
            lines.extend(_describe_result(result, "incomplete"))
        return "\n".join(lines)


def _describe_result(result: dict, kind: str = "") -> list[str]:
    kind = f"{kind}, " if kind else ""
    lines = [f"  - {result['id']} ({kind}{result['impact']}): {result['help']}"]
    for node in result["nodes"]:
        target = " ".join(node["target"])
        lines.append(f"      at {target}")
        lines.append(f"         {node['html']}")
        for summary_line in node["summary"].splitlines():
            lines.append(f"         {summary_line}")
    return lines


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

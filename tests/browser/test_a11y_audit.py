"""The accessibility check itself: it finds a violation, names it clearly, and cannot be
outrun by a test that leaves a page at once, with JavaScript on or off. It checks a page again
after its scripts change it, and whenever a test asks; and what axe cannot decide about colour
contrast or ARIA fails until it is reviewed."""

import re

import pytest
from playwright.sync_api import expect

from . import axe_results as axe_results_module
from .a11y import audit
from .axe_results import needs_review

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CLEAN = """<!DOCTYPE html><html lang="en"><head><title>{title}</title></head>
<body><main><h1>{title}</h1>{body}</main></body></html>"""
BROKEN_BODY = '<img src="/static/none.png"><form><input name="q"></form>'


def _serve(page, path: str, html: str) -> None:
    page.route(
        re.compile(re.escape(path) + "$"),
        lambda route: route.fulfill(status=200, content_type="text/html", body=html),
    )


def test_it_names_the_page_rule_impact_and_element_of_each_violation(page, a11y):
    _serve(page, "/broken/", CLEAN.format(title="Broken", body=BROKEN_BODY))
    page.goto("/broken/")

    with pytest.raises(AssertionError) as failure:
        page.goto("/verify/")

    message = str(failure.value)
    assert "/broken/:" in message
    assert "image-alt (critical)" in message
    assert "label (critical)" in message
    assert "at img" in message
    assert "at input" in message
    problems = a11y.take_problems()
    assert [check.url.rsplit("/", 2)[-2] for check in problems] == ["broken"]
    # Once taken, the failure is not raised again, and the next page is checked as usual.
    page.goto("/verify/")
    expect(page.get_by_role("heading", name="Verify a certificate")).to_be_visible()


def test_it_checks_a_page_that_the_test_leaves_at_once(page, a11y):
    _serve(page, "/first/", CLEAN.format(title="First", body='<a href="/second/">Next</a>'))
    _serve(page, "/second/", CLEAN.format(title="Second", body=BROKEN_BODY))
    page.goto("/first/")
    page.get_by_role("link", name="Next").click()
    expect(page.get_by_role("heading", name="Second")).to_be_visible()
    a11y.settle()

    assert [check.url.rsplit("/", 2)[-2] for check in a11y.checks] == ["first", "second"]
    problems = a11y.take_problems()
    assert [check.url.rsplit("/", 2)[-2] for check in problems] == ["second"]


def test_it_checks_the_pages_served_with_javascript_off(browser, live_server, a11y):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    _serve(page, "/broken/", CLEAN.format(title="Broken", body=BROKEN_BODY))
    page.goto("/broken/")
    page.goto("/verify/")
    context.close()

    assert {check.served_without_javascript for check in a11y.checks} == {True}
    problems = a11y.take_problems()
    assert len(problems) == 1
    assert problems[0].url.endswith("/broken/")
    assert "(as served with JavaScript off)" in problems[0].describe()


DIALOG_BODY = """<button type="button" id="open">Show the details</button>
<dialog id="details"><p>Details</p><img src="/static/none.png"></dialog>
<script>
document.getElementById("open").addEventListener("click", () =>
    document.getElementById("details").showModal());
</script>"""


def test_it_checks_the_page_again_when_a_script_opens_a_dialog(page, a11y):
    _serve(page, "/dialog/", CLEAN.format(title="Dialog", body=DIALOG_BODY))
    page.goto("/dialog/")
    a11y.settle()
    assert a11y.problems() == []

    page.get_by_role("button", name="Show the details").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    a11y.settle()

    problems = a11y.take_problems()
    assert [check.state for check in problems] == [
        "after a change by script: <dialog#details> opened"
    ]
    assert [violation["id"] for violation in problems[0].violations] == ["image-alt"]
    assert "(after a change by script: <dialog#details> opened):" in problems[0].describe()


PANEL_BODY = """<style>#panel { display: none } .open #panel { display: block }</style>
<div id="panel"><input name="reference"></div>"""


def test_it_checks_a_page_in_the_state_a_test_names(page, a11y):
    _serve(page, "/panel/", CLEAN.format(title="Panel", body=PANEL_BODY))
    page.goto("/panel/")
    # A class alone is not a change of state the page is watched for: the test names it.
    page.evaluate("() => document.body.classList.add('open')")

    with pytest.raises(AssertionError) as failure:
        audit(page, "with the panel open")

    assert "/panel/ (with the panel open):" in str(failure.value)
    assert "label (critical)" in str(failure.value)
    assert [check.state for check in a11y.take_problems()] == ["with the panel open"]


GRADIENT_BODY = '<p style="background: linear-gradient(#fff, #000); color: #777">Faint</p>'


def test_it_fails_on_an_unreviewed_contrast_result_axe_could_not_decide(page, a11y):
    _serve(page, "/gradient/", CLEAN.format(title="Gradient", body=GRADIENT_BODY))
    page.goto("/gradient/")

    with pytest.raises(AssertionError) as failure:
        page.goto("/verify/")

    assert "color-contrast (incomplete, not reviewed, serious)" in str(failure.value)
    assert "at p" in str(failure.value)
    assert len(a11y.take_problems()) == 1
    page.goto("/verify/")
    expect(page.get_by_role("heading", name="Verify a certificate")).to_be_visible()


def test_it_keeps_a_reviewed_incomplete_result_without_failing(page, a11y, monkeypatch):
    reviewed = ("color-contrast", re.compile(r"^/gradient/$"), re.compile(r"^p$"), "test page")
    monkeypatch.setattr(axe_results_module, "REVIEWED_INCOMPLETE", [reviewed])
    _serve(page, "/gradient/", CLEAN.format(title="Gradient", body=GRADIENT_BODY))
    page.goto("/gradient/")
    a11y.settle()

    assert a11y.problems() == []
    [check] = a11y.checks
    assert [result["id"] for result in check.incomplete] == ["color-contrast"]
    assert "color-contrast (incomplete, serious)" in a11y.incomplete_report()


def test_it_asks_for_review_of_contrast_and_aria_results_only():
    assert needs_review({"id": "color-contrast", "tags": ["cat.color", "wcag2aa"]})
    assert needs_review({"id": "aria-valid-attr-value", "tags": ["cat.aria", "wcag2a"]})
    assert needs_review({"id": "aria-allowed-role", "tags": ["cat.aria"]})
    assert not needs_review({"id": "video-caption", "tags": ["cat.text-alternatives"]})

"""The accessibility check itself: it finds a violation, names it clearly, and cannot be
outrun by a test that leaves a page at once, with JavaScript on or off."""

import re

import pytest
from playwright.sync_api import expect

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

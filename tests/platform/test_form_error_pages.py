"""Every form a persona is shown, sent back empty, answers in the site's one error pattern.

The demo content is seeded and crawled as in test_link_crawl.py. Each form the crawl meets that
asks for something (a visible field) is submitted with every visible field left empty. A page
that comes back with errors must start its title with "Error: ", show an error summary that
gives each message in the same words as beside its field, show none of Django's default
wording, and tie each field to its message: every id an aria-describedby names is on the page.
(tests/platform/test_form_errors.py checks every form class's wording directly.)
"""

import re
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urljoin

from django.test import Client

import pytest

from .crawl import SKIPPED_PREFIXES, crawl
from .wording import DJANGO_DEFAULTS

pytestmark = pytest.mark.django_db

ASKING = {"text", "email", "number", "password", "tel", "url", "date", "search", "file"}


class _Forms(HTMLParser):
    """The POST forms of a page: action, hidden values, visible fields and first named button."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._current: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if (attrs.get("method") or "get").lower() == "post":
                self._current = {"action": attrs.get("action") or "", "data": {}, "asks": []}
                self.forms.append(self._current)
            return
        if self._current is None or not attrs.get("name"):
            return
        kind = (attrs.get("type") or "text").lower()
        if tag == "input" and kind == "hidden":
            self._current["data"][attrs["name"]] = attrs.get("value") or ""
        elif (tag == "input" and kind in ASKING) or tag in ("textarea", "select"):
            self._current["asks"].append(attrs["name"])
        elif tag == "button" or (tag == "input" and kind == "submit"):
            self._current.setdefault("button", (attrs["name"], attrs.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


class _RecordingClient(Client):
    """A client that keeps every HTML page it was shown, for the forms on it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pages: dict[str, str] = {}

    def get(self, path, *args, **kwargs):
        response = super().get(path, *args, **kwargs)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            self.pages[path] = response.content.decode()
        return response


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def error_pattern_problems(html: str) -> list[str]:
    problems = [f"Django's wording {text!r}" for text in DJANGO_DEFAULTS if text in html]
    title = _text(re.search(r"<title>(.*?)</title>", html, re.S).group(1))
    if not title.startswith("Error: "):
        problems.append(f"title {title!r} does not start with 'Error: '")
    inline = [
        _text(message)
        for message in re.findall(
            r'<p class="error-message"[^>]*>\s*<span class="visually-hidden">Error:</span>'
            r"(.*?)</p>",
            html,
            re.S,
        )
    ]
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    problems += [
        f"aria-describedby names #{reference}, which is not on the page"
        for references in re.findall(r'aria-describedby="([^"]*)"', html)
        for reference in references.split()
        if reference not in ids
    ]
    summary_html = re.search(r'<div class="error-summary".*?</ul>', html, re.S)
    if summary_html is None:
        problems.append("no error summary")
        return problems
    summary = [_text(item) for item in re.findall(r"<li>(.*?)</li>", summary_html.group(0), re.S)]
    problems += [
        f"{message!r} beside a field but not in the summary"
        for message in inline
        if message not in summary
    ]
    problems += [f"summary item {item!r} repeats its label" for item in summary if ": " in item]
    return problems


def submit_every_form_empty(client: _RecordingClient) -> tuple[int, list[str]]:
    crawl(client)
    tried, failures = set(), []
    for path, html in sorted(client.pages.items()):
        parser = _Forms()
        parser.feed(html)
        for form in parser.forms:
            action = urljoin(path, form["action"] or path)
            if not form["asks"] or action.startswith(SKIPPED_PREFIXES):
                continue
            key = (re.sub(r"\d+", "<id>", action), tuple(sorted(form["asks"])))
            if key in tried:
                continue
            tried.add(key)
            data = dict(form["data"]) | dict.fromkeys(form["asks"], "")
            if "button" in form:
                data.setdefault(*form["button"])
            response = client.post(action, data)
            page = response.content.decode() if response.status_code < 300 else ""
            if 'class="error-message"' in page or 'class="error-summary"' in page:
                failures += [
                    f"{action} (form on {path}): {p}" for p in error_pattern_problems(page)
                ]
    return len(tried), failures


def test_it_answers_every_empty_form_an_anonymous_visitor_is_shown_in_one_pattern(demo):
    tried, failures = submit_every_form_empty(_RecordingClient())

    assert tried >= 2  # the enquiry form and sign-in, at least
    assert failures == []


@pytest.mark.parametrize("persona", ["tess", "sam", "ali", "ada"])
def test_it_answers_every_empty_form_a_persona_is_shown_in_one_pattern(demo, persona):
    client = _RecordingClient()
    client.force_login(demo[persona])
    tried, failures = submit_every_form_empty(client)

    assert tried >= 2
    assert failures == []

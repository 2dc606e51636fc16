"""Every link a persona is shown leads somewhere that works.

The demo content is seeded as `make run` seeds it. Each demo persona, and an anonymous visitor,
then follows every first-party link from the home page outwards (the admin excepted: its screens
are Wagtail's, and the access matrix covers the project's own). A link that answers 4xx or 5xx is
a broken link, or a page offering something its reader may not do.
"""

import io
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

import pytest
from allauth.mfa.models import Authenticator

from learning_platform.accounts.demo import DEMO_USERS
from learning_platform.accounts.models import User
from tests.factories import give_totp

pytestmark = pytest.mark.django_db

# Not crawled: the admin (see above), static and uploaded files, and sign-out.
SKIPPED_PREFIXES = ("/admin/", "/django-admin/", "/static/", "/media/", "/accounts/logout/")
# Listing pages link to their own filtered and paged variants; a few of each are enough.
MAX_VARIANTS_PER_PATH = 3
MAX_PAGES = 400


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _links(base: str, html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        url, _fragment = urldefrag(urljoin(base, href))
        parts = urlsplit(url)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue  # another site, mailto:, tel:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path and not path.startswith(SKIPPED_PREFIXES):
            found.append(path)
    return found


def crawl(client: Client) -> tuple[set[str], list[str]]:
    """Follow every first-party link from the home page; return the pages seen and the
    broken links, each as "status path (linked from referrer)"."""
    queue = deque([("/", "(start)")])
    seen: set[str] = {"/"}
    variants: dict[str, int] = {}
    broken = []
    while queue and len(seen) <= MAX_PAGES:
        path, referrer = queue.popleft()
        response = client.get(path)
        if response.status_code >= 400:
            broken.append(f"{response.status_code} {path} (linked from {referrer})")
            continue
        if response.status_code in (301, 302, 303, 307, 308):
            targets = [response["Location"]]
        elif "text/html" in response.get("Content-Type", ""):
            targets = _links(path, response.content.decode())
        else:
            continue  # a download, a calendar feed
        for target in targets:
            url, _fragment = urldefrag(urljoin(path, target))
            parts = urlsplit(url)
            if parts.netloc not in ("", "testserver"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in seen or target.startswith(SKIPPED_PREFIXES):
                continue
            if parts.query:
                variants[parts.path] = variants.get(parts.path, 0) + 1
                if variants[parts.path] > MAX_VARIANTS_PER_PATH:
                    continue
            seen.add(target)
            queue.append((target, path))
    return seen, broken


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True  # seed_demo refuses to run otherwise
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False
    return {demo.key: User.objects.get(email=demo.email) for demo in DEMO_USERS}


def _signed_in(user: User) -> Client:
    if (
        user.groups.exclude(name="Trainee").exists()
        and not Authenticator.objects.filter(user=user).exists()
    ):
        give_totp(user)
    client = Client()
    client.force_login(user)
    return client


def test_it_leaves_no_broken_link_for_an_anonymous_visitor(demo):
    seen, broken = crawl(Client())

    assert broken == []
    assert {"/search/", "/register/", "/verify/", "/training/lead-reviewer-programme/"} <= seen


@pytest.mark.parametrize(
    ("persona", "must_reach"),
    [
        ("tess", {"/learning/", "accreditation:episode_add", "/notifications/"}),
        ("pat", {"/learning/", "/accreditation/", "/accreditation/supervision/mine/"}),
        ("uma", {"/accounts/profile/", "/notifications/preferences/"}),
        ("sam", {"/learning/supervision/", "/accreditation/supervision/queue/"}),
        ("ali", {"/accreditation/assessment/", "/accreditation/assessment/certificates/"}),
        ("ada", {"/accreditation/dashboard/", "courses:invitation_import"}),
    ],
)
def test_it_leaves_no_broken_link_for_a_signed_in_persona(demo, persona, must_reach):
    seen, broken = crawl(_signed_in(demo[persona]))

    assert broken == []
    # A page is named by its path, or by its URL name where the path holds an object's id
    # (ids differ between databases: PostgreSQL does not reuse them after a rollback).
    assert must_reach <= seen | _url_names(seen), sorted(seen)


def _url_names(paths: set[str]) -> set[str]:
    names = set()
    for path in paths:
        try:
            names.add(resolve(urlsplit(path).path).view_name)
        except Resolver404:
            continue
    return names

"""Every link a persona is shown leads somewhere that works.

The demo content is seeded as `make run` seeds it. Each demo persona, and an anonymous visitor,
then follows every first-party link from the home page outwards (the admin excepted: its screens
are Wagtail's, and the access matrix covers the project's own). A link that answers 4xx or 5xx is
a broken link, or a page offering something its reader may not do.
"""

from urllib.parse import urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

import pytest
from allauth.mfa.models import Authenticator

from learning_platform.accounts.models import User
from tests.factories import give_totp

from .crawl import crawl

pytestmark = pytest.mark.django_db


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
        ("ada", {"/accreditation/dashboard/", "courses:cohort_detail"}),
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

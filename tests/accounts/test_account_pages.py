"""allauth's pages in the site's own words: what each offers, and why it asks."""

from django.urls import reverse

import pytest
from allauth.account.models import EmailAddress

from learning_platform.accounts.roles import Role
from tests.factories import make_persona

pytestmark = pytest.mark.django_db


def test_it_offers_nothing_to_do_with_an_address_that_is_already_primary_and_verified(client, tess):
    client.force_login(tess)

    page = client.get(reverse("account_email")).content.decode()

    assert tess.email in page
    for action in ("action_primary", "action_send", "action_remove"):
        assert f'name="{action}"' not in page


def test_it_offers_only_what_applies_to_an_unverified_address(client, tess):
    EmailAddress.objects.create(user=tess, email="tess.home@example.org", verified=False)
    client.force_login(tess)

    page = client.get(reverse("account_email")).content.decode()

    assert page.count('name="action_send"') == 1
    assert page.count('name="action_remove"') == 1
    assert 'name="action_primary"' not in page


def test_it_says_why_it_asks_for_the_password_again(client, tess):
    client.force_login(tess)

    page = client.get(reverse("account_reauthenticate")).content.decode()

    assert "<h1>Confirm it is you</h1>" in page
    assert "You are about to change how you sign in" in page


def test_it_shows_staff_no_navigation_until_two_factor_setup_is_done(client):
    sam = make_persona("Sam Supervisor", "sam@example.org", Role.SUPERVISOR, mfa=False)
    client.force_login(sam)

    page = client.get(reverse("mfa_activate_totp"), follow=True).content.decode()

    assert reverse("accreditation:supervisor_queue") not in page
    assert reverse("notifications:list") not in page
    assert reverse("account_logout") in page

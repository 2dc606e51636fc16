"""A supervisor signs in for the first time, sets up two-factor authentication, then signs in
again with a code, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from learning_platform.accounts.management.commands.demo_totp import current_code
from learning_platform.accounts.roles import Role
from tests.factories import PASSWORD, make_persona

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_it_walks_a_new_supervisor_through_mfa_setup_and_a_later_sign_in(page, screenshot):
    make_persona("Sam Supervisor", "sam@example.org", Role.SUPERVISOR, mfa=False)

    _sign_in(page, "sam@example.org")
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/"))
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(current_code(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_text("Authenticator app activated")).to_be_visible()

    page.goto("/accounts/logout/")
    page.get_by_role("button", name="Sign Out").click()
    _sign_in(page, "sam@example.org")
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.get_by_label("Code").fill(current_code(secret))
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()
    page.goto("/accounts/profile/")
    expect(page.get_by_role("heading", name="Your profile")).to_be_visible()
    screenshot()

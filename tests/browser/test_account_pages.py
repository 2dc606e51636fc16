"""Every sign-in, password, email address and two-factor page looks and reads like the rest of
the site: its header and navigation, its form fields with labels above them, its error summary.
axe-core checks every page these journeys visit (see conftest.py)."""

import re

from django.core import mail

import pytest
from playwright.sync_api import expect

from learning_platform.accounts.management.commands.demo_totp import current_code
from learning_platform.accounts.roles import Role
from tests.factories import PASSWORD, make_persona

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _in_site_layout(page, heading: str):
    expect(page.locator("header.site-header")).to_be_visible()
    expect(page.locator("footer.site-footer")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
    # The page's heading names it in the title, in the site's pattern.
    assert page.title().strip().endswith("– Learning Together")


def _errors_summarised(page):
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_visible()
    assert page.title().startswith("Error: ")
    for text in ("This field is required", "Enter a valid"):
        expect(page.get_by_text(text)).to_have_count(0)


def _sign_in(page, email: str):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _sign_out(page):
    page.goto("/accounts/logout/")
    _in_site_layout(page, "Sign out")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/$|/accounts/login/"))


def test_it_shows_a_new_supervisors_two_factor_pages_in_the_sites_own_layout(page, screenshot_of):
    make_persona("Sam Supervisor", "sam@example.org", Role.SUPERVISOR, mfa=False)
    _sign_in(page, "sam@example.org")

    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/"))
    _in_site_layout(page, "Set up your authenticator app")
    # Until setup is done there is nowhere else to go: no staff navigation, only "Sign out".
    account_nav = page.get_by_role("navigation", name="Your account")
    expect(account_nav.get_by_role("link")).to_have_count(1)
    expect(account_nav.get_by_role("link", name="Sign out")).to_be_visible()
    # The secret sits in its own labelled box, below its label and hint, not on one line.
    secret = page.get_by_label("Authenticator secret")
    hint = page.get_by_text("If you cannot scan the QR code")
    label_box = page.locator("label[for=authenticator_secret]").bounding_box()
    assert label_box["y"] < hint.bounding_box()["y"] < secret.bounding_box()["y"]
    screenshot_of(page, "account-totp-setup")

    page.get_by_role("button", name="Activate").click()
    _errors_summarised(page)
    screenshot_of(page, "account-totp-setup-error")
    page.get_by_label("Authenticator code").fill(current_code(secret.input_value()))
    page.get_by_role("button", name="Activate").click()

    _in_site_layout(page, "Your backup codes")
    codes = page.get_by_label("Unused backup codes")
    label_box = page.locator("label[for=recovery_codes]").bounding_box()
    assert label_box["y"] + label_box["height"] <= codes.bounding_box()["y"]
    expect(
        page.get_by_role("navigation", name="Your account").get_by_role("link")
    ).not_to_have_count(1)
    screenshot_of(page, "account-backup-codes")

    page.goto("/accounts/2fa/")
    _in_site_layout(page, "Two-factor authentication")
    screenshot_of(page, "account-two-factor")

    page.goto("/accounts/2fa/reauthenticate/?next=/accounts/2fa/")
    _in_site_layout(page, "Confirm it is you")
    expect(page.get_by_text("You are about to change how you sign in")).to_be_visible()
    page.get_by_role("button", name="Continue").click()
    _errors_summarised(page)
    screenshot_of(page, "account-confirm-it-is-you")

    page.goto("/accounts/2fa/totp/deactivate/")
    _in_site_layout(page, "Stop using your authenticator app")

    _sign_out(page)
    _sign_in(page, "sam@example.org")
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    _in_site_layout(page, "Enter your authenticator code")
    page.get_by_role("button", name="Sign in").click()
    _errors_summarised(page)
    screenshot_of(page, "account-authenticate")


def test_it_shows_a_trainees_account_pages_in_the_sites_own_layout(page, screenshot_of):
    make_persona("Tess Trainee", "tess@example.org", Role.TRAINEE)

    page.goto("/accounts/login/")
    _in_site_layout(page, "Sign in")
    page.get_by_role("button", name="Sign in").click()
    _errors_summarised(page)

    _sign_in(page, "tess@example.org")
    page.goto("/accounts/email/")
    _in_site_layout(page, "Your email addresses")
    # Her only address is already primary and verified: nothing to offer on it.
    for action in ("Make", "Send the checking email again", "Remove", "Re-send"):
        expect(page.get_by_role("button", name=action)).to_have_count(0)
    page.get_by_role("button", name="Add this address").click()
    _errors_summarised(page)
    page.get_by_label("Email").fill("tess.home@example.org")
    page.get_by_role("button", name="Add this address").click()
    # Adding an address is a change to how she signs in: she confirms it is her first.
    _in_site_layout(page, "Confirm it is you")
    expect(page.get_by_text("You are about to change how you sign in")).to_be_visible()
    page.get_by_role("button", name="Continue").click()
    _errors_summarised(page)
    screenshot_of(page, "account-confirm-password")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/accounts/email/"))
    row = page.get_by_role("row").filter(has_text="tess.home@example.org")
    expect(row.get_by_text("Not verified yet")).to_be_visible()
    expect(row.get_by_role("button", name="Send the checking email again")).to_be_visible()
    expect(row.get_by_role("button", name="Make this your primary address")).to_have_count(0)
    screenshot_of(page, "account-email")

    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    _in_site_layout(page, "Confirm your email address")
    screenshot_of(page, "account-confirm-email")

    page.goto("/accounts/password/change/")
    _in_site_layout(page, "Change your password")
    page.get_by_role("button", name="Change your password").click()
    _errors_summarised(page)
    screenshot_of(page, "account-password-change")

    _sign_out(page)
    page.goto("/accounts/password/reset/")
    _in_site_layout(page, "Reset your password")
    page.get_by_role("button", name="Send the link").click()
    _errors_summarised(page)
    page.get_by_label("Email").fill("tess@example.org")
    page.get_by_role("button", name="Send the link").click()
    page.wait_for_url(re.compile(r"/accounts/password/reset/done/"))
    _in_site_layout(page, "Check your email")

    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", mail.outbox[-1].body)
    page.goto(re.sub(r"^https?://[^/]+", "", link.group(0)))
    expect(page).to_have_url(re.compile(r"-set-password/$"))
    _in_site_layout(page, "Choose a new password")
    page.get_by_role("button", name="Save your new password").click()
    _errors_summarised(page)
    screenshot_of(page, "account-password-reset-key")

    page.goto("/accounts/signup/")
    _in_site_layout(page, "Accounts are by invitation")

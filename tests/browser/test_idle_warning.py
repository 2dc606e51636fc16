"""A trainee who leaves a page open is warned before the idle limit signs her out, can stay
signed in with the keyboard, and, once the limit has passed, is told so while what she typed
stays on the page. The page's clock is Playwright's, moved on by hand."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

from .a11y import audit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_it_warns_before_the_idle_sign_out_and_keeps_the_page(page, tess, screenshot):
    page.clock.install()
    page.goto("/accounts/login/?next=/accounts/profile/")
    page.get_by_label("Email").fill(tess.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(re.compile(r"/accounts/profile/$"))
    job_title = page.get_by_label("Job title")
    job_title.fill("Senior practitioner, safeguarding adults")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_hidden()

    # 27 minutes on, three before the 30-minute limit: the warning, with focus on its button.
    page.clock.fast_forward("28:00")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("You will be signed out soon")
    expect(dialog).to_contain_text(re.compile(r"signed out in [12] minutes?"))
    stay = dialog.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()
    audit(page, "the idle warning open")

    with page.expect_response(re.compile(r"/accounts/session/keep-alive/$")) as kept:
        page.keyboard.press("Enter")
    assert kept.value.status == 204
    expect(dialog).to_be_hidden()

    # Nothing for almost the whole limit again: the warning returns, and then the limit passes.
    page.clock.fast_forward("28:00")
    expect(dialog).to_contain_text("You will be signed out soon")
    page.clock.fast_forward("03:00")
    expect(dialog).to_contain_text("You have been signed out")
    expect(dialog.get_by_role("link", name="Sign in again")).to_be_focused()
    audit(page, "the signed-out message open")
    screenshot()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # "Close this message"
    expect(dialog).to_be_hidden()
    expect(job_title).to_have_value("Senior practitioner, safeguarding adults")

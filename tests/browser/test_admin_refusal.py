"""A trainee who opens the admin is told once that it is not for her, and sent to her work."""

import re

import pytest
from playwright.sync_api import expect

from learning_platform.accounts.roles import Role
from tests.factories import PASSWORD, make_persona

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_it_refuses_a_signed_in_trainee_the_admin_with_one_page_that_leads_to_her_work(
    page, screenshot
):
    make_persona("Tess Trainee", "tess@example.org", Role.TRAINEE)
    page.goto("/accounts/login/?next=/admin/")
    page.get_by_label("Email").fill("tess@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # Signing in with next=/admin/ lands on one refusal, not a redirect loop.
    expect(page.get_by_role("heading", name="You do not have access to this page")).to_be_visible()
    assert page.url.endswith("/admin/")

    response = page.goto("/admin/")
    assert response.status == 403
    assert response.request.redirected_from is None
    expect(page.get_by_text("You do not have permission")).to_have_count(0)
    screenshot()

    page.get_by_role("link", name="Go to your own work").click()
    page.wait_for_url(re.compile(r"/learning/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_text("You do not have permission")).to_have_count(0)

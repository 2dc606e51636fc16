"""The legal pages in a real browser: reached from the footer of a public page and of a
signed-in page, with the mouse and with the keyboard only, and checked with axe-core (the
browser tier checks every page a test visits), as is the page shown when one is not published.
"""

import pytest
from playwright.sync_api import expect

from content.demo import seed_site

from .journey import Ui, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LEGAL = (
    ("Accessibility statement", "Accessibility statement"),
    ("Privacy notice", "Privacy notice"),
    ("Cookies", "Cookies"),
)


@pytest.fixture
def site(transactional_db):
    return seed_site()


@pytest.mark.parametrize("mode", ["mouse", "keyboard"])
def test_it_leads_from_the_footer_to_each_legal_page(
    browser, live_server, site, mode, screenshot_of
):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    ui = Ui(page, mode)

    for link, heading in LEGAL:
        ui.goto("/")
        ui.click(ui.get_by_role("contentinfo").get_by_role("link", name=link, exact=True))
        expect(ui.get_by_role("heading", level=1, name=heading, exact=True)).to_be_visible()
        expect(ui.get_by_text("Last updated")).to_be_visible()
        screenshot_of(page, f"legal-{link.split()[0].lower()}-{mode}")
    context.close()


def test_it_shows_the_legal_links_to_a_signed_in_trainee(page, site, tess):
    ui = Ui(page, "mouse")
    sign_in(ui, tess)

    footer = page.get_by_role("contentinfo")
    for link, _heading in LEGAL:
        expect(footer.get_by_role("link", name=link, exact=True)).to_be_visible()
    ui.click(footer.get_by_role("link", name="Cookies", exact=True))
    expect(page.get_by_role("heading", level=1, name="Cookies")).to_be_visible()
    expect(page.get_by_role("heading", name="sessionid")).to_be_visible()


def test_it_explains_a_legal_page_that_is_not_published(page):
    page.goto("/legal/privacy/")

    expect(page.get_by_role("heading", level=1, name="Privacy notice")).to_be_visible()
    expect(page.get_by_text("This page is not published at the moment.")).to_be_visible()

"""The public site in a real browser, as a commissioner or any visitor uses it.

From the home page to a programme phase, the publications library and one publication's PDF,
the news, a search, the enquiry form (first sent with a required answer missing, then put
right) and the check of a certificate by typing its code, including a code that matches
nothing. The journey runs with the mouse, with the keyboard only, and with JavaScript off.
"""

import re
from pathlib import Path

from wagtail.contrib.forms.models import FormSubmission

import pytest
from playwright.sync_api import expect

from content.demo import seed_site
from content.models import EnquiryFormPage
from tests.accreditation.award_builders import approve, make_ready, submit
from tests.accreditation.factories import SupervisedReviewFactory

from .journey import Ui, outside_the_browser_loop

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHASE = "Phase 4: Building a pool of trained reviewers"
PUBLICATION = "Reflections from the SCIE Learning Together London pilots: an interim report"
GUIDE_24 = (
    "Learning together to safeguard children: developing a multi-agency systems approach for "
    "case reviews"
)
NEWS = "Grant award to build a pool of trained reviewers"
ENQUIRY = "We would like to commission a review of a case in our area using the model."
WRONG_CODE = "NoSuchCertificate0000000"


@pytest.fixture
def site(transactional_db):
    return seed_site()


@pytest.fixture
def certificate(tess, sam, ali):
    review = SupervisedReviewFactory(trainee=tess, supervisor=sam, case_reference="Child K")
    make_ready(tess, review)
    return outside_the_browser_loop(approve, submit(tess), ali)


def _page(browser, live_server, *, javascript: bool):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=javascript, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.mark.parametrize(
    ("mode", "javascript"),
    [("mouse", True), ("keyboard", True), ("mouse", False)],
    ids=["mouse", "keyboard", "no-javascript"],
)
def test_it_takes_a_visitor_from_the_home_page_to_an_enquiry_and_a_verified_certificate(
    browser, live_server, screenshot_of, site, certificate, mode, javascript
):
    context, page = _page(browser, live_server, javascript=javascript)
    ui = Ui(page, mode)

    # Home, then a phase of the programme.
    ui.goto("/")
    expect(ui.get_by_role("heading", level=1)).to_have_text(
        "Learning together to safeguard children"
    )
    ui.click(ui.get_by_role("link", name=PHASE))
    expect(ui.get_by_role("heading", level=1, name=PHASE)).to_be_visible()
    expect(ui.get_by_text("Current work", exact=True)).to_be_visible()

    # The publications library, one publication, and its PDF.
    ui.click(ui.get_by_role("navigation", name="Main").get_by_role("link", name="Publications"))
    expect(ui.get_by_role("heading", level=1, name="Publications")).to_be_visible()
    ui.click(ui.get_by_role("link", name=PUBLICATION))
    expect(ui.get_by_role("heading", level=1, name=PUBLICATION)).to_be_visible()
    with ui.expect_download() as download:
        ui.click(ui.get_by_role("link", name=re.compile(r"^Download SCIE Report 49")))
    assert download.value.suggested_filename.endswith(".pdf")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

    # The news, and one item.
    ui.click(ui.get_by_role("navigation", name="Main").get_by_role("link", name="What’s new"))
    expect(ui.get_by_role("heading", level=1, name="What’s new")).to_be_visible()
    ui.click(ui.get_by_role("link", name=NEWS))
    expect(ui.get_by_role("heading", level=1, name=NEWS)).to_be_visible()

    # A search that finds the method's handbook.
    ui.click(ui.get_by_role("navigation", name="Main").get_by_role("link", name="Search"))
    ui.fill(ui.get_by_label("Search this site"), "handbook")
    ui.click(ui.get_by_role("button", name="Search", exact=True))
    found = re.compile(r"^\d+ results? for “handbook”$")
    expect(ui.get_by_role("heading", name=found)).to_be_visible()
    results = ui.get_by_role("list", name=re.compile("for “handbook”"))
    expect(results.get_by_role("link", name=GUIDE_24)).to_be_visible()

    # The enquiry form: sent without an email address, then put right.
    ui.click(ui.get_by_role("navigation", name="Main").get_by_role("link", name="Contact us"))
    expect(ui.get_by_role("heading", level=1, name="Contact us")).to_be_visible()
    ui.fill(ui.get_by_label("Your name"), "Jo Commissioner")
    ui.fill(ui.get_by_label("Organisation"), "Barnet Safeguarding Children Partnership")
    ui.check(ui.get_by_label("Commissioning a case review"))
    ui.fill(ui.get_by_label("Your enquiry"), ENQUIRY)
    ui.click(ui.get_by_role("button", name="Send enquiry"))

    summary = ui.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_contain_text("Enter email address.")
    expect(page).to_have_title(re.compile(r"^Error: "))
    if javascript:
        expect(summary).to_be_focused()
    else:
        # Without JavaScript nothing moves focus, so the summary must come first in the page's
        # main content: the skip link leads straight to it.
        assert summary.evaluate(
            "el => el.closest('main').querySelector('.error-summary, h1, h2, p, form') === el"
        )
    expect(ui.get_by_label("Your name")).to_have_value("Jo Commissioner")
    expect(ui.get_by_label("Commissioning a case review")).to_be_checked()
    expect(ui.get_by_label("Your enquiry")).to_have_value(ENQUIRY)
    assert not FormSubmission.objects.exists()

    ui.fill(ui.get_by_label("Email address"), "jo@partnership.example")
    ui.click(ui.get_by_role("button", name="Send enquiry"))
    expect(ui.get_by_role("heading", level=1, name="Thank you for your enquiry")).to_be_visible()
    submission = FormSubmission.objects.get(page=EnquiryFormPage.objects.get())
    assert submission.form_data["email_address"] == "jo@partnership.example"
    assert submission.form_data["your_enquiry"] == ENQUIRY

    # A certificate checked by typing its code, then a code that matches nothing.
    ui.click(ui.get_by_role("contentinfo").get_by_role("link", name="Verify a certificate"))
    expect(ui.get_by_role("heading", level=1, name="Verify a certificate")).to_be_visible()
    ui.fill(ui.get_by_label("Verification code"), certificate.verification_code)
    ui.click(ui.get_by_role("button", name="Check the certificate"))
    expect(ui.get_by_role("heading", name=f"Certificate {certificate.number}")).to_be_visible()
    expect(ui.get_by_text("This certificate is valid")).to_be_visible()
    facts = ui.locator(".summary-list")
    expect(facts).to_contain_text("Tess Trainee")
    expect(facts).to_contain_text(f"Valid until{certificate.valid_until:%-d %B %Y}")
    expect(facts).to_contain_text(re.compile(r"Status\s*Valid"))

    ui.click(ui.get_by_role("link", name="Verify another certificate"))
    ui.fill(ui.get_by_label("Verification code"), WRONG_CODE)
    ui.click(ui.get_by_role("button", name="Check the certificate"))
    expect(ui.get_by_role("heading", level=1, name="Certificate not found")).to_be_visible()
    expect(ui.get_by_text("We could not find a certificate with those details.")).to_be_visible()
    expect(ui.get_by_label("Verification code")).to_be_visible()

    screenshot_of(page)
    context.close()

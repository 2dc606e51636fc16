"""Renewal in a real browser, by keyboard only: Tess, whose certificate expires in a month and
who has logged her CPD, finds Renew on her certificates page and applies, naming a review she
led outside the platform; Ali finds the renewal in the assessment queue, judges every renewal
criterion met and approves; Tess sees her new certificate, and the old one superseded by it.
Every page is checked with axe-core as it loads.

Her first accreditation, and the CPD log, are set up through the services and the ORM, so the
browser spends its time on the steps people really take.
"""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

import pytest
from playwright.sync_api import expect

from accreditation.models import AssessmentCriterion, Certificate, RenewalApplication
from tests.accreditation.renewal_builders import ready_to_renew

from .a11y import audit
from .journey import Ui, outside_the_browser_loop, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def new_page(browser, live_server):
    """Pages in fresh browser contexts: each person has their own cookies."""
    contexts = []

    def make():
        context = browser.new_context(base_url=live_server.url)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        context.close()


def test_it_renews_a_certificate_by_keyboard_only(page, new_page, tess, review, ali, screenshot):
    # The first certificate's PDF is rendered as its approval commits: away from the browser's
    # event loop, as the PDF signer runs one of its own.
    certificate = outside_the_browser_loop(ready_to_renew, tess, review, ali, days_to_expiry=30)
    criteria = list(
        AssessmentCriterion.objects.filter(
            scheme=certificate.scheme, purpose=AssessmentCriterion.Purpose.RENEWAL
        ).order_by("sort_order", "pk")
    )
    holder, assessor = Ui(page, "keyboard"), Ui(new_page(), "keyboard")

    # Tess finds Renew on her certificates page, with the days she has left.
    sign_in(holder, tess, next_url=reverse("accreditation:my_certificates"))
    expect(
        holder.get_by_text(re.compile(r"Renewal is open: \d+ days left to renew"))
    ).to_be_visible()
    holder.click(holder.get_by_role("link", name=f"Renew certificate {certificate.number}"))
    expect(
        holder.get_by_role("heading", level=1, name=f"Renew certificate {certificate.number}")
    ).to_be_visible()

    # She applies: her practice statement, a review she led outside the platform, and the
    # declaration.
    holder.fill(
        holder.get_by_label("Your practice statement"),
        "Since accreditation I led the review of Family N and mentored two new reviewers.",
    )
    holder.fill(holder.get_by_label("Title of the review"), "Family N")
    holder.select(holder.get_by_label("Your role"), "Led")
    completed = (timezone.localdate() - timedelta(days=120)).isoformat()
    holder.fill(holder.get_by_label("Completed on"), completed)
    holder.fill(
        holder.get_by_label("Link to the published report"), "https://example.org/reports/family-n"
    )
    holder.check(holder.get_by_label(re.compile("^I declare that what I have told you")))
    holder.click(holder.get_by_role("button", name="Submit your renewal"))
    expect(holder.get_by_role("heading", name="Your renewal has been submitted")).to_be_visible()
    renewal = RenewalApplication.objects.get(certificate=certificate)
    assert renewal.status == RenewalApplication.Status.SUBMITTED

    # Ali finds it under Renewals in the assessment queue, reads it and approves it, judging
    # every renewal criterion met.
    sign_in(assessor, ali, next_url=reverse("accreditation:assessment_queue"))
    renewals = assessor.get_by_role("table", name=re.compile("Renewals waiting for a decision"))
    assessor.click(renewals.get_by_role("link", name="Tess Trainee"))
    expect(assessor.get_by_role("heading", level=1, name="Renewal: Tess Trainee")).to_be_visible()
    expect(assessor.get_by_role("link", name=re.compile("published report"))).to_be_visible()
    for criterion in criteria:
        group = assessor.get_by_role("group", name=criterion.title)
        assessor.check(group.get_by_label("Met", exact=True))
    assessor.check(assessor.get_by_label("Approve: renew and issue a new certificate"))
    assessor.fill(assessor.get_by_label("Reasons", exact=True), "Active, reflective practice.")
    assessor.click(assessor.get_by_role("button", name="Record the decision"))
    expect(assessor.get_by_text(re.compile(r"Renewal approved\. Certificate LT-"))).to_be_visible()
    audit(assessor.page, "the queue after approving a renewal")

    # Tess sees her new certificate, and the old one superseded by it.
    new = Certificate.objects.get(supersedes=certificate)
    holder.reload()
    expect(holder.get_by_role("heading", name="Your accreditation is renewed")).to_be_visible()
    holder.click(holder.get_by_role("link", name="Your certificates", exact=True))
    expect(holder.get_by_role("heading", level=2, name=new.number)).to_be_visible()
    expect(holder.get_by_text(f"by certificate {new.number} on renewal").first).to_be_visible()
    screenshot()

"""Opening a notification, and a refused certificate check, in a real browser.

An unread notification opens through a button that looks like a link (it marks the
notification read, so it is a form) and works without JavaScript; the link an email carries
shows the notification first. A certificate checked by number too often gets a page that says
when to try again.
"""

import re

import pytest
from playwright.sync_api import expect

from accreditation.events import AccreditationEvent
from accreditation.services.stages import stage_request_changes
from notifications.models import Notification
from tests.accreditation.award_builders import approve, make_ready, submit
from tests.accreditation.factories import SupervisedReviewFactory
from tests.notifications.conftest import submit_stage

from .journey import Ui, outside_the_browser_loop, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHANGES = "Sam Supervisor asked for changes to “Preparation”"


def _page(browser, live_server, *, javascript: bool):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.fixture
def changes_requested(tess, pat, sam):
    review = SupervisedReviewFactory(trainee=tess, partner=pat, supervisor=sam)
    stage_request_changes(stage=submit_stage(review, tess, 1), user=sam, comment="More, please.")
    return Notification.objects.get(
        recipient=tess, event=AccreditationEvent.STAGE_CHANGES_REQUESTED
    )


@pytest.mark.parametrize(
    ("mode", "javascript"),
    [("keyboard", True), ("mouse", False)],
    ids=["keyboard", "no-javascript"],
)
def test_it_opens_an_unread_notification_from_the_list(
    browser, live_server, screenshot_of, tess, changes_requested, mode, javascript
):
    context, page = _page(browser, live_server, javascript=javascript)
    ui = Ui(page, mode)
    sign_in(ui, tess, next_url="/notifications/")

    expect(ui.get_by_text("You have 1 unread notification.")).to_be_visible()
    screenshot_of(page, f"notifications-list-{mode}")
    ui.click(ui.get_by_role("button", name=CHANGES, exact=True))

    expect(ui.get_by_role("heading", level=1, name=re.compile("Preparation"))).to_be_visible()
    assert Notification.objects.get(pk=changes_requested.pk).read_at is not None
    ui.goto("/notifications/")
    expect(ui.get_by_text("You have read all your notifications.")).to_be_visible()
    # Now read, it is a plain link that goes straight on.
    expect(ui.get_by_role("link", name=CHANGES, exact=True)).to_be_visible()
    context.close()


def test_it_shows_an_emailed_notification_before_marking_it_read(
    browser, live_server, screenshot_of, tess, changes_requested
):
    context, page = _page(browser, live_server, javascript=False)
    ui = Ui(page, "mouse")
    sign_in(ui, tess, next_url=f"/notifications/{changes_requested.pk}/open/")

    expect(ui.get_by_role("heading", level=1, name="Notification")).to_be_visible()
    expect(ui.get_by_text(CHANGES)).to_be_visible()
    assert Notification.objects.get(pk=changes_requested.pk).read_at is None
    screenshot_of(page, "notification-open")
    ui.click(ui.get_by_role("button", name="Continue"))

    expect(ui.get_by_role("heading", level=1, name=re.compile("Preparation"))).to_be_visible()
    assert Notification.objects.get(pk=changes_requested.pk).read_at is not None
    context.close()


def test_it_says_when_to_try_checking_a_certificate_by_number_again(
    browser, live_server, screenshot_of, settings, tess, sam, ali
):
    settings.ACCOUNT_RATE_LIMITS = {"certificate_lookup": "1/h/ip"}
    review = SupervisedReviewFactory(trainee=tess, supervisor=sam)
    make_ready(tess, review)
    certificate = outside_the_browser_loop(approve, submit(tess), ali)
    context, page = _page(browser, live_server, javascript=False)
    ui = Ui(page, "mouse")

    for _ in range(2):
        ui.goto("/verify/")
        ui.fill(ui.get_by_label("Certificate number"), certificate.number)
        ui.fill(ui.get_by_label("Holder's surname"), "Trainee")
        ui.click(ui.get_by_role("button", name="Check the certificate"))

    expect(
        ui.get_by_role("heading", level=1, name="Too many checks by certificate number")
    ).to_be_visible()
    expect(ui.get_by_text(re.compile(r"Try again in 60 minutes, after \d\d:\d\d"))).to_be_visible()
    screenshot_of(page, "certificate-lookup-limited")
    ui.click(ui.get_by_role("link", name="enter the verification code"))
    expect(ui.get_by_role("heading", level=1, name="Verify a certificate")).to_be_visible()
    context.close()

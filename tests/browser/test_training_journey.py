"""The training journey in a real browser, tried as a new user would try it.

Staff create a cohort with training days and invite trainees from a CSV file. A trainee accepts
an invitation, sets a password and works through a module: the reflection, a failed then a
passed knowledge check, the module completed and the progress bar moved. Each of these runs with
the mouse and again with the keyboard only (the admin's page chooser and date pickers included).
The module's forms also work with JavaScript switched off.
"""

import re

from django.core import mail

import pytest
from playwright.sync_api import expect

from courses.models import Cohort
from courses.services.invitations.lifecycle import invitation_create
from tests.courses.factories import EnrolmentFactory
from tests.factories import OrganisationFactory

from .journey import MODES, Ui, sign_in
from .training_steps import (
    COHORT_NAME,
    COURSE_TITLE,
    REFLECTION_ANSWER,
    REFLECTION_QUESTION,
    first_module,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NEW_PASSWORD = "a-long-new-trainee-passphrase"


# Browser helpers ----------------------------------------------------------------------------


_PICKERS_AT_FIELD = """([field, count]) => {
    const left = field.getBoundingClientRect().left;
    const open = Array.from(document.querySelectorAll(".xdsoft_datetimepicker")).filter(
        (picker) => picker.getClientRects().length > 0
            && Math.abs(picker.getBoundingClientRect().left - left) < 2
    );
    return open.length === count;
}"""


def _fill_picker(ui: Ui, field, value: str) -> None:
    """Type into a date or time field, then close the admin's picker as a keyboard user would.

    The picker opens a moment after the field takes focus, so wait for it before closing it.
    The pickers are not tied to their fields in the page, so the field's own is the one drawn
    at its left edge: a field that Shift+Tab passed over on the way can have opened its own
    picker too late to close it, and that one does not matter here.
    """
    ui.fill(field, value)
    ui.page.wait_for_function(_PICKERS_AT_FIELD, arg=[field.element_handle(), 1])
    field.press("Tab")
    ui.page.wait_for_function(_PICKERS_AT_FIELD, arg=[field.element_handle(), 0])
    expect(field).to_have_value(value)


def _progress_value(page) -> int:
    bar = page.get_by_role("progressbar", name=re.compile(r"modules? completed"))
    return int(bar.get_attribute("value"))


def _invitation_path(email: str) -> str:
    message = next(m for m in mail.outbox if m.to == [email])
    match = re.search(r"https?://[^/\s]+(/learning/invitations/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


# 1. Staff set up a cohort and invite trainees ------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_it_lets_staff_create_a_cohort_with_training_days_and_invite_by_csv(
    page, screenshot, ada, sam, course, mode
):
    # The invitees' employer is on the platform: an import refuses an organisation it does not
    # know rather than adding one from a typing slip.
    OrganisationFactory(name="Leeds Safeguarding Partnership")
    ui = Ui(page, mode)
    sign_in(ui, ada, next_url="/admin/programme/cohorts/new/")

    ui.fill(page.get_by_role("textbox", name="Name"), COHORT_NAME)
    ui.click(page.get_by_role("button", name="Choose a page (Course page)"))
    ui.click(page.get_by_role("dialog").get_by_role("link", name=COURSE_TITLE))
    expect(page.get_by_role("region", name="Course")).to_contain_text(COURSE_TITLE)
    ui.fill(page.get_by_role("textbox", name="Funding strand"), "DfE VCS grant")
    _fill_picker(ui, page.get_by_role("textbox", name="Start date"), "2027-01-11")
    _fill_picker(ui, page.get_by_role("textbox", name="End date"), "2027-07-30")
    ui.fill(page.get_by_role("spinbutton", name="Capacity"), "12")
    ui.select(page.get_by_role("combobox", name="Status"), "In progress")
    ui.check(page.get_by_role("checkbox", name="Sam Supervisor"))
    for number, (date, title) in enumerate(
        [("2027-01-11", "Day 1: systems thinking"), ("2027-01-12", "Day 2: the analytic tools")],
        start=1,
    ):
        ui.click(page.get_by_role("button", name="Add training day"))
        day = page.get_by_role("region", name=f"Training day {number}")
        ui.fill(day.get_by_role("textbox", name="Title"), title)
        _fill_picker(ui, day.get_by_role("textbox", name="Date"), date)
        _fill_picker(ui, day.get_by_role("textbox", name="Starts at"), "09:30")
        _fill_picker(ui, day.get_by_role("textbox", name="Ends at"), "16:30")
        ui.fill(day.get_by_role("textbox", name="Venue"), "Leeds Civic Hall")
    ui.click(page.get_by_role("button", name="Create"))
    expect(page.get_by_text(f"'{COHORT_NAME}' created")).to_be_visible()

    # The listing links each cohort to the pages that run it, outside the admin.
    listing = page.get_by_role("row").filter(has_text=COHORT_NAME)
    ui.click(listing.get_by_role("link", name="Register, invitations, progress"))
    expect(page.get_by_role("heading", name=COHORT_NAME, level=1)).to_be_visible()
    days = page.get_by_role("table", name=f"Training days for {COHORT_NAME}")
    expect(days.get_by_role("rowheader", name="Day 1: systems thinking")).to_be_visible()
    expect(days.get_by_role("rowheader", name="Day 2: the analytic tools")).to_be_visible()

    ui.click(page.get_by_role("link", name="Invite people from a CSV file"))
    ui.upload(
        page.get_by_label("CSV file"),
        {
            "name": "trainees.csv",
            "mimeType": "text/csv",
            "buffer": (
                b"name,email,organisation,job title\n"
                b"Rhys Evans,rhys.evans@example.org,Leeds Safeguarding Partnership,Team manager\n"
                b",no-name@example.org,Leeds Safeguarding Partnership,Social worker\n"
                b"Bad Address,not-an-email,Leeds Safeguarding Partnership,Police sergeant\n"
                b"Rhys Again,RHYS.EVANS@example.org,Leeds Safeguarding Partnership,Nurse\n"
            ),
        },
    )
    ui.click(page.get_by_role("button", name="Check and send invitations"))
    report = page.get_by_role("alert").filter(has_text="Nothing has been saved")
    expect(report).to_contain_text("3 of 4 rows cannot be accepted")
    rows = page.get_by_role("region", name="Check of each row")
    expect(rows.get_by_role("row").filter(has_text="rhys.evans@example.org").first).to_contain_text(
        "Accepted"
    )
    expect(rows.get_by_role("row").filter(has_text="no-name@example.org")).to_contain_text(
        "The name is missing."
    )
    expect(rows.get_by_role("row").filter(has_text="Bad Address")).to_contain_text(
        "“not-an-email” is not a valid email address."
    )
    expect(rows.get_by_role("row").filter(has_text="Rhys Again")).to_contain_text(
        "rhys.evans@example.org is already on row 2 of this file."
    )
    assert not mail.outbox

    ui.upload(
        page.get_by_label("CSV file"),
        {
            "name": "trainees.csv",
            "mimeType": "text/csv",
            "buffer": (
                b"name,email,organisation,job title\n"
                b"Rhys Evans,rhys.evans@example.org,Leeds Safeguarding Partnership,Team manager\n"
                b"Nia Jones,nia.jones@example.org,Leeds Safeguarding Partnership,Social worker\n"
            ),
        },
    )
    ui.click(page.get_by_role("button", name="Check and send invitations"))
    expect(page.get_by_role("status")).to_contain_text("2 invitations saved and being sent.")
    # The invitations screen, filtered to the cohort, shows who has not replied yet.
    expect(page.get_by_role("heading", name="Invitations", level=1)).to_be_visible()
    invitations = page.get_by_role("table")
    for name, address in (
        ("Rhys Evans", "rhys.evans@example.org"),
        ("Nia Jones", "nia.jones@example.org"),
    ):
        row = invitations.get_by_role("row").filter(has_text=name)
        expect(row).to_contain_text(address)
        expect(row).to_contain_text("Waiting for a reply")
        expect(row).not_to_contain_text("Not sent yet")
    assert sorted(m.to[0] for m in mail.outbox) == [
        "nia.jones@example.org",
        "rhys.evans@example.org",
    ]
    cohort = Cohort.objects.get(name=COHORT_NAME)
    assert [d.title for d in cohort.training_days.order_by("date")] == [
        "Day 1: systems thinking",
        "Day 2: the analytic tools",
    ]
    assert list(cohort.supervisors.all()) == [sam]
    screenshot()


# 2. A trainee accepts and works through a module ---------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_it_takes_a_new_trainee_from_the_invitation_to_a_completed_module(
    page, screenshot, ada, cohort, mode
):
    ui = Ui(page, mode)
    invitation_create(
        cohort=cohort,
        email="rhys.evans@example.org",
        full_name="Rhys Evans",
        job_title="Team manager",
        invited_by=ada,
    )
    invitation_path = _invitation_path("rhys.evans@example.org")
    page.goto(invitation_path)

    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    expect(page.get_by_text("rhys.evans@example.org", exact=True)).to_be_visible()
    expect(page.get_by_label("Full name")).to_have_value("Rhys Evans")
    ui.fill(page.get_by_label("Password", exact=True), NEW_PASSWORD)
    ui.fill(page.get_by_label("Confirm password"), NEW_PASSWORD + "-typo")
    ui.click(page.get_by_role("button", name="Create account and join"))
    expect(page.get_by_role("alert")).to_contain_text("The two passwords do not match.")
    ui.fill(page.get_by_label("Password", exact=True), NEW_PASSWORD)
    ui.fill(page.get_by_label("Confirm password"), NEW_PASSWORD)
    ui.click(page.get_by_role("button", name="Create account and join"))
    expect(page.get_by_role("status")).to_contain_text(f"You have joined {COHORT_NAME}")
    account = page.get_by_role("navigation", name="Your account")
    expect(account.get_by_role("link", name="Sign out")).to_be_visible()

    ui.click(account.get_by_role("link", name="My learning"))
    expect(page.get_by_role("heading", name="My learning")).to_be_visible()
    before = _progress_value(page)
    assert before == 0
    ui.click(page.get_by_role("link", name="Start “Systems thinking”"))

    expect(page.get_by_role("heading", name="Systems thinking", level=1)).to_be_visible()
    ui.fill(page.get_by_label(REFLECTION_QUESTION), REFLECTION_ANSWER)
    ui.click(page.get_by_role("button", name="Save your answer"))
    expect(page.get_by_role("status")).to_contain_text("Your answer has been saved.")
    expect(page.get_by_label(REFLECTION_QUESTION)).to_have_value(REFLECTION_ANSWER)

    check = page.get_by_role("region", name="Check your understanding")
    ui.check(
        check.get_by_role("group", name="How many contributory-factor categories").get_by_label(
            "Four"
        )
    )
    ui.check(
        check.get_by_role("group", name="Who owns the final report?").get_by_label("The reviewer")
    )
    ui.click(check.get_by_role("button", name="Check your answers"))
    expect(page.get_by_role("status")).to_contain_text("You scored 0%. Read the feedback")
    check = page.get_by_role("region", name="Check your understanding")
    expect(check.get_by_role("heading", name=re.compile("not passed yet"))).to_be_visible()
    expect(check.get_by_text("No: that is too few.")).to_be_visible()
    expect(page.get_by_text("Status: In progress")).to_be_visible()

    ui.check(
        check.get_by_role("group", name="How many contributory-factor categories").get_by_label(
            "Nine"
        )
    )
    ui.check(
        check.get_by_role("group", name="Who owns the final report?").get_by_label(
            "The commissioning board"
        )
    )
    ui.click(check.get_by_role("button", name="Check your answers"))
    expect(page.get_by_role("status")).to_contain_text("You scored 100% and passed.")
    expect(
        page.get_by_role("region", name="Check your understanding").get_by_role(
            "heading", name=re.compile("100% – passed")
        )
    ).to_be_visible()
    expect(page.get_by_text("Status: Completed")).to_be_visible()

    ui.click(page.get_by_role("link", name="Back to My learning"))
    after = _progress_value(page)
    assert after == before + 1
    expect(page.get_by_text("1 of 2 modules completed")).to_be_visible()
    expect(page.get_by_role("link", name="Start “Key practice episodes”")).to_be_visible()
    screenshot()


# Without JavaScript ---------------------------------------------------------------------------


@pytest.fixture
def no_js_page(browser, live_server, transactional_db, django_db_serialized_rollback):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_it_saves_a_reflection_and_scores_a_check_without_javascript(
    no_js_page, screenshot_of, cohort, tess
):
    page = no_js_page
    EnrolmentFactory(user=tess, cohort=cohort)
    module = first_module(cohort.course)
    sign_in(Ui(page, "mouse"), tess, next_url=module.url)

    expect(page.get_by_role("heading", name="Systems thinking", level=1)).to_be_visible()
    page.get_by_role("button", name="Save your answer").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter your answer before saving it")
    page.get_by_label(REFLECTION_QUESTION).fill(REFLECTION_ANSWER)
    page.get_by_role("button", name="Save your answer").click()
    expect(page.get_by_role("status")).to_contain_text("Your answer has been saved.")

    check = page.get_by_role("region", name="Check your understanding")
    check.get_by_role("button", name="Check your answers").click()
    expect(page.get_by_role("alert")).to_contain_text("Select an answer to question 1")
    check = page.get_by_role("region", name="Check your understanding")
    check.get_by_role("group", name="How many contributory-factor categories").get_by_label(
        "Nine"
    ).check()
    check.get_by_role("group", name="Who owns the final report?").get_by_label(
        "The commissioning board"
    ).check()
    check.get_by_role("button", name="Check your answers").click()
    expect(page.get_by_role("status")).to_contain_text("You scored 100% and passed.")
    expect(page.get_by_text("Status: Completed")).to_be_visible()

    screenshot_of(page)

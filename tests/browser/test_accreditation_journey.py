"""The whole path to accreditation in a real browser.

Tess records evidence on her supervised review's stages, one of them sent back by Sam (her
supervisor) and resubmitted; Sam signs stages off and logs supervision, which Tess confirms. Tess
applies; Ali (an assessor) refers the application back, Tess resubmits and Ali approves. Tess
downloads the certificate PDF; a member of the public checks it, by its link and by typing its
code, and sees it valid, then revoked once Ali revokes it. An unknown code is clearly not found.
The whole path runs twice: with the mouse, and with the keyboard only.

Training, the stages this test does not drive and the rest of the supervision minimum are set up
through the services, so the browser spends its time on the steps people really click through.
"""

import io
import re
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from accreditation.models import (
    AccreditationApplication,
    AssessmentCriterion,
    Certificate,
    SignOff,
    SupervisionSession,
)
from accreditation.services import evidence as evidence_services
from accreditation.services import stages as stage_services
from accreditation.services import supervision as supervision_services
from tests.accreditation.factories import add_register_entries

from .a11y import audit
from .accreditation_steps import (
    CASE,
    add_note,
    expect_message,
    open_my_stage,
    review_stage,
    small_pdf,
)
from .journey import MODES, Ui, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FEEDBACK = "Say which agencies the review team comes from, and why."
REQUIRED_ACTIONS = "Say how the underlying patterns were prioritised."
# Over the scheme's minimum of 300 words.
STATEMENT = " ".join(["The review changed how I see practice."] * 45)
UNKNOWN_CODE = "NoSuchCertificate0000000"


# Data ---------------------------------------------------------------------------------------


@pytest.fixture
def review(review_after_training):
    """Tess's review, once she has finished the course (see conftest.py)."""
    return review_after_training


@pytest.fixture
def new_page(browser, live_server):
    """Pages in fresh browser contexts: each person has their own cookies."""
    contexts = []

    def make():
        context = browser.new_context(base_url=live_server.url, accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        context.close()


def _complete_stage_through_services(review, number: int, tess, sam) -> None:
    stage = review_stage(review, number)
    evidence_services.evidence_add_note(
        stage=stage, user=tess, title=f"Stage {number} notes", note="What we did."
    )
    stage_services.stage_submit(stage=stage, user=tess)
    stage_services.stage_approve(stage=stage, user=sam, comment="Good.")


def _group_supervision_through_services(sam, tess, pat) -> None:
    today = timezone.localdate()
    for days_ago in (60, 45, 30, 15):
        session = supervision_services.supervision_session_record(
            supervisor=sam,
            kind=SupervisionSession.Kind.GROUP,
            date=today - timedelta(days=days_ago),
            duration_minutes=120,
            attendees=[tess, pat],
        )
        supervision_services.supervision_attendance_confirm(session=session, trainee=tess)


# Browser steps ------------------------------------------------------------------------------


def _open_waiting_stage(ui: Ui, title: str) -> None:
    account = ui.get_by_role("navigation", name="Your account")
    ui.click(account.get_by_role("link", name="Sign-off queue"))
    ui.click(ui.get_by_role("link", name=re.compile(rf"^\d\. {title} for review {CASE}$")))
    expect(ui.get_by_role("heading", level=1, name=title)).to_be_visible()


def _decide(ui: Ui, outcome: str, reasons: str, required_actions: str = "") -> None:
    account = ui.get_by_role("navigation", name="Your account")
    ui.click(account.get_by_role("link", name="Assessment"))
    waiting = ui.get_by_role("table", name=re.compile("waiting for a decision"))
    ui.click(waiting.get_by_role("link", name="Tess Trainee"))
    expect(ui.get_by_role("heading", name="Portfolio: Tess Trainee")).to_be_visible()
    ui.check(ui.get_by_label(outcome))
    # Each criterion judged: the first not yet met when referring back, with what to do.
    scheme = AccreditationApplication.objects.get(status="submitted").scheme
    criteria = AssessmentCriterion.objects.filter(scheme=scheme, purpose="accreditation")
    for index, criterion in enumerate(criteria.order_by("sort_order", "pk")):
        group = ui.get_by_role("group", name=criterion.title, exact=True)
        not_met = outcome == "Refer back" and index == 0
        ui.check(group.get_by_label("Not yet met" if not_met else "Met", exact=True))
        if not_met:
            ui.fill(ui.get_by_label(f"Comment on “{criterion.title}”"), "See the required actions.")
    ui.fill(ui.get_by_label("Reasons", exact=True), reasons)
    if required_actions:
        ui.fill(ui.get_by_label("Required actions"), required_actions)
    ui.click(ui.get_by_role("button", name="Record the decision"))


# The journey --------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_it_walks_the_whole_path_from_stage_evidence_to_a_revoked_certificate(
    page, new_page, review, tess, pat, sam, ali, live_server, settings, screenshot, mode
):
    settings.SITE_URL = live_server.url  # so the verification link shown can be followed
    public = Ui(page, mode)
    trainee, supervisor, assessor = (Ui(new_page(), mode) for _ in range(3))
    sign_in(trainee, tess)
    sign_in(supervisor, sam)
    sign_in(assessor, ali)
    evidence_pdf = small_pdf()

    # 1. Tess evidences stage 1 with a written note and a PDF, and submits it.
    open_my_stage(trainee, "Preparation")
    add_note(trainee, "Scope and research questions", "Why this case, and what we will ask.")
    trainee.fill(trainee.get_by_label("Title of the document"), "Terms of reference")
    trainee.upload(
        trainee.get_by_label("File", exact=True),
        {"name": "terms-of-reference.pdf", "mimeType": "application/pdf", "buffer": evidence_pdf},
    )
    trainee.click(trainee.get_by_role("button", name="Upload file"))
    expect_message(trainee, "File “Terms of reference” uploaded.")
    expect(trainee.get_by_text("terms-of-reference.pdf")).to_be_visible()
    trainee.fill(
        trainee.get_by_label("Note for your supervisor"), "The review team is still forming."
    )
    trainee.click(trainee.get_by_role("button", name="Submit for sign-off"))
    expect_message(trainee, "Stage submitted.")

    # Sam finds it in his queue, reads the evidence, downloads the file and sends the stage back.
    _open_waiting_stage(supervisor, "Preparation")
    expect(supervisor.get_by_text("Why this case, and what we will ask.")).to_be_visible()
    with supervisor.expect_download() as download:
        supervisor.click(supervisor.get_by_role("link", name="Terms of reference (download)"))
    assert download.value.suggested_filename == "terms-of-reference.pdf"
    assert Path(download.value.path()).read_bytes() == evidence_pdf
    supervisor.fill(supervisor.get_by_label("What needs to change"), FEEDBACK)
    supervisor.click(supervisor.get_by_role("button", name="Send back for changes"))
    expect_message(supervisor, "Stage sent back to the trainee with your feedback.")

    # Tess sees the feedback, adds to the evidence and resubmits; Sam approves.
    open_my_stage(trainee, "Preparation")
    expect(
        trainee.get_by_role("heading", name="Changes requested by Sam Supervisor")
    ).to_be_visible()
    expect(trainee.get_by_text(FEEDBACK).first).to_be_visible()
    add_note(trainee, "Review team", "Managers from children's social care, police and health.")
    trainee.click(trainee.get_by_role("button", name="Resubmit for sign-off"))
    expect_message(trainee, "Stage submitted.")

    _open_waiting_stage(supervisor, "Preparation")
    supervisor.fill(supervisor.get_by_label("Comment"), "A clear scope.")
    supervisor.click(supervisor.get_by_role("button", name="Approve this stage"))
    expect_message(supervisor, "Stage approved.")
    expect(supervisor.get_by_text("This stage is approved and read-only.")).to_be_visible()

    # 2. Stage 2 goes through the browser once more, without changes.
    open_my_stage(trainee, "Data collection")
    add_note(trainee, "Conversations held", "Twelve one-to-one conversations with the case group.")
    trainee.click(trainee.get_by_role("button", name="Submit for sign-off"))
    expect_message(trainee, "Stage submitted.")
    _open_waiting_stage(supervisor, "Data collection")
    supervisor.click(supervisor.get_by_role("button", name="Approve this stage"))
    expect_message(supervisor, "Stage approved.")

    stage_one = review_stage(review, 1)
    assert list(stage_one.sign_offs.values_list("decision", flat=True)) == [
        SignOff.Decision.STARTED,
        SignOff.Decision.SUBMITTED,
        SignOff.Decision.CHANGES_REQUESTED,
        SignOff.Decision.SUBMITTED,
        SignOff.Decision.APPROVED,
    ]
    # Stages 3 and 4 need entries in their registers before they can be submitted.
    add_register_entries(review, tess)
    for number in (3, 4, 5):
        _complete_stage_through_services(review, number, tess, sam)
    trainee.goto("/accreditation/")
    expect(trainee.get_by_text("5 of 5 stages signed off.")).to_be_visible()

    # 3. Sam logs the individual session during report writing; Tess confirms she attended.
    _group_supervision_through_services(sam, tess, pat)
    supervisor.goto("/accreditation/supervision/log/")
    supervisor.check(supervisor.get_by_label("Individual supervision"))
    session_day = timezone.localdate() - timedelta(days=3)
    session_date = supervisor.get_by_role("group", name="Date of the session")
    supervisor.fill(session_date.get_by_label("Day"), str(session_day.day))
    supervisor.fill(session_date.get_by_label("Month"), str(session_day.month))
    supervisor.fill(session_date.get_by_label("Year"), str(session_day.year))
    supervisor.fill(supervisor.get_by_label("Length in minutes"), "60")
    supervisor.check(supervisor.get_by_role("checkbox", name="Tess Trainee"))
    supervisor.check(supervisor.get_by_label("An individual session during report writing"))
    supervisor.fill(supervisor.get_by_label("Notes"), "Drafting the findings chapter.")
    supervisor.click(supervisor.get_by_role("button", name="Record session"))
    expect_message(supervisor, "Session recorded.")

    trainee.goto("/accreditation/supervision/mine/")
    trainee.click(
        trainee.get_by_role("button", name=re.compile(r"^Confirm I attended the individual"))
    )
    expect_message(trainee, "Attendance confirmed")
    expect(trainee.get_by_text("1 of 1 needed")).to_be_visible()

    # Sam recommends Tess for accreditation, from the review's page.
    supervisor.goto(f"/accreditation/reviews/{review.pk}/")
    supervisor.click(supervisor.get_by_role("link", name=re.compile("^Your recommendation")))
    section = supervisor.get_by_role("region", name="Tess Trainee")
    supervisor.check(section.get_by_label("Ready: I recommend them for accreditation"))
    supervisor.fill(section.get_by_label("Your statement"), "Tess led the analysis with care.")
    supervisor.click(section.get_by_role("button", name=re.compile("^Record your recommendation")))
    expect_message(supervisor, "Your recommendation for Tess Trainee is recorded.")

    # 4. Tess writes her reflective statement and applies.
    account = trainee.get_by_role("navigation", name="Your account")
    trainee.click(account.get_by_role("link", name="Accreditation"))
    # The course, training days, stages, supervision and the recommendation.
    expect(trainee.get_by_text("Completed", exact=True)).to_have_count(5)
    trainee.fill(trainee.get_by_label("Your reflective statement"), STATEMENT)
    # The word count follows the typing.
    expect(trainee.get_by_text("You have written 315 words.")).to_be_visible()
    audit(trainee, "with the word count updated as she typed")
    trainee.click(trainee.get_by_role("button", name="Continue", exact=True))
    expect(
        trainee.get_by_role("heading", name="Check your application before submitting it")
    ).to_be_visible()
    trainee.click(trainee.get_by_role("button", name="Submit application"))
    expect(
        trainee.get_by_role("heading", name="Your application has been submitted")
    ).to_be_visible()

    # 5. Ali reads the portfolio and refers it back with required actions.
    _decide(
        assessor,
        "Refer back",
        "The statement says little about the findings.",
        REQUIRED_ACTIONS,
    )
    expect_message(assessor, "Application referred back to the trainee.")

    # 6. Tess sees what she must do, and resubmits.
    trainee.goto("/accreditation/application/")
    expect(trainee.get_by_text("Your application was referred back.")).to_be_visible()
    expect(trainee.get_by_text(REQUIRED_ACTIONS)).to_be_visible()
    trainee.fill(
        trainee.get_by_label("Your reflective statement"),
        STATEMENT + " We prioritised patterns by their reach across agencies.",
    )
    trainee.click(trainee.get_by_role("button", name="Continue", exact=True))
    trainee.click(trainee.get_by_role("button", name="Resubmit application"))
    expect_message(trainee, "Your application has been resubmitted.")

    # 7. Ali approves: the certificate is issued and its PDF rendered once the decision commits.
    _decide(assessor, "Approve", "A sound, well-supervised review.")
    expect_message(assessor, "Application approved. Certificate")
    application = AccreditationApplication.objects.get(trainee=tess)
    assert application.status == AccreditationApplication.Status.APPROVED
    certificate = Certificate.objects.get(application=application)

    # Tess downloads her certificate.
    trainee.goto("/accreditation/application/")
    expect(trainee.get_by_role("heading", name="You are accredited")).to_be_visible()
    trainee.click(trainee.get_by_role("link", name="Your certificates"))
    expect(trainee.get_by_role("heading", name=certificate.number)).to_be_visible()
    with trainee.expect_download() as download:
        trainee.click(
            trainee.get_by_role("link", name=re.compile(r"^Download the certificate \(PDF\)"))
        )
    assert download.value.suggested_filename == f"{certificate.number}.pdf"
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Tess Trainee" in text
    assert certificate.number in text
    link = trainee.get_by_label("Verification link").input_value()
    assert link.endswith(f"/verify/{certificate.verification_code}/")

    # Anyone with the link sees it is valid, and so does anyone who types the code.
    public.goto(link)
    expect(public.get_by_text("This certificate is valid")).to_be_visible()
    expect(public.get_by_text("Tess Trainee")).to_be_visible()
    public.click(public.get_by_role("link", name="Verify another certificate"))
    public.fill(public.get_by_label("Verification code"), certificate.verification_code)
    public.click(public.get_by_role("button", name="Check the certificate"))
    expect(public.get_by_role("heading", name=f"Certificate {certificate.number}")).to_be_visible()
    expect(public.get_by_text("This certificate is valid")).to_be_visible()

    # 8. Ali revokes the certificate, with a reason; the verification page says so at once.
    assessor.goto("/accreditation/assessment/")
    assessor.click(assessor.get_by_role("link", name="Certificates", exact=True))
    assessor.click(assessor.get_by_role("link", name=certificate.number))
    assessor.check(assessor.get_by_label("Revoke"))
    assessor.fill(assessor.get_by_label("Reason", exact=True), "Conduct finding")
    assessor.click(assessor.get_by_role("button", name="Confirm the change"))
    expect_message(assessor, f"Certificate {certificate.number} revoked.")
    expect(assessor.get_by_text("Revocation is final.")).to_be_visible()

    public.goto(link)
    expect(public.get_by_text("This certificate has been revoked")).to_be_visible()
    expect(public.get_by_text("This certificate is valid")).to_have_count(0)

    # Tess's own pages say so too: no "You are accredited", no share link, no PDF.
    trainee.goto("/accreditation/application/")
    expect(
        trainee.get_by_role("heading", name="Your accreditation has been revoked")
    ).to_be_visible()
    trainee.goto("/accreditation/certificates/")
    expect(trainee.get_by_text("Conduct finding")).to_be_visible()
    expect(trainee.get_by_label("Verification link")).to_have_count(0)
    expect(
        trainee.get_by_role("link", name=re.compile(r"^Download the certificate"))
    ).to_have_count(0)
    screenshot()


def test_it_tells_a_visitor_clearly_when_a_typed_code_matches_no_certificate(page, screenshot):
    page.goto("/verify/")
    expect(page.get_by_role("heading", name="Verify a certificate")).to_be_visible()
    page.get_by_label("Verification code").fill(UNKNOWN_CODE)
    page.get_by_role("button", name="Check the certificate").click()
    expect(page.get_by_role("heading", name="Certificate not found")).to_be_visible()
    expect(page.get_by_text("We could not find a certificate with those details.")).to_be_visible()
    # The form is offered again, to try once more.
    expect(page.get_by_label("Verification code")).to_be_visible()
    screenshot()

"""A trainee evidences a stage and submits it with JavaScript turned off."""

import pytest
from playwright.sync_api import expect

from accreditation.models import Evidence, ReviewStage

from .accreditation_steps import add_note, expect_message, open_my_stage, review_stage, small_pdf
from .journey import Ui, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def review(review_after_training):
    """Tess's review, once she has finished the course (see conftest.py)."""
    return review_after_training


def test_it_lets_a_trainee_evidence_and_submit_a_stage_without_javascript(
    browser, live_server, review, tess, screenshot_of
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    trainee = Ui(context.new_page(), "mouse")
    sign_in(trainee, tess)
    evidence_pdf = small_pdf()

    open_my_stage(trainee, "Preparation")
    trainee.click(trainee.get_by_role("button", name="Add note"))
    expect(trainee.get_by_role("alert")).to_contain_text("There is a problem")
    add_note(trainee, "Scope and research questions", "Why this case, and what we will ask.")
    trainee.fill(trainee.get_by_label("Title of the document"), "Terms of reference")
    trainee.upload(
        trainee.get_by_label("File", exact=True),
        {"name": "terms-of-reference.pdf", "mimeType": "application/pdf", "buffer": evidence_pdf},
    )
    trainee.click(trainee.get_by_role("button", name="Upload file"))
    expect_message(trainee, "File “Terms of reference” uploaded.")
    trainee.click(trainee.get_by_role("button", name="Submit for sign-off"))
    expect_message(trainee, "Stage submitted.")

    stage = review_stage(review, 1)
    assert stage.status == ReviewStage.Status.SUBMITTED
    kept = Evidence.objects.filter(stage=stage).order_by("pk")
    assert [item.title for item in kept] == ["Scope and research questions", "Terms of reference"]
    with kept[1].file.open("rb") as stored:
        assert stored.read() == evidence_pdf
    screenshot_of(trainee.page)
    context.close()

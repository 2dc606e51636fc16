"""Removing evidence asks first, on a page that works without JavaScript: Tess follows Remove,
reads what will go, keeps it, then removes it; a second submission of the same form is told the
evidence had already gone. She changes a note in place."""

import re

import pytest
from playwright.sync_api import expect

from accreditation.models import Evidence
from accreditation.services.evidence import evidence_add_note
from tests.accreditation.factories import stage

from .journey import MODES, Ui, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_it_asks_before_removing_evidence_and_lets_a_note_be_changed(
    browser, live_server, review, tess, javascript, screenshot_of
):
    preparation = stage(review, 1)
    note = evidence_add_note(
        stage=preparation, user=tess, title="Scope", note="Research questions agreed."
    )
    context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(15_000)
    ui = Ui(page, MODES[0])
    stage_url = f"/accreditation/stages/{preparation.pk}/"
    sign_in(ui, tess, next_url=stage_url)

    # Change the note in place.
    page.get_by_role("link", name="Change the note “Scope”").click()
    page.wait_for_url(re.compile(rf"/evidence/{note.pk}/edit/$"))
    page.get_by_label("Note", exact=True).fill("Research questions agreed with the board.")
    page.get_by_role("button", name="Save note").click()
    page.wait_for_url(re.compile(re.escape(stage_url)))
    expect(page.get_by_text("Note “Scope” saved.")).to_be_visible()
    expect(page.get_by_text("Research questions agreed with the board.")).to_be_visible()

    # Remove asks first; "No, keep it" keeps it.
    page.get_by_role("link", name="Remove “Scope”").click()
    page.wait_for_url(re.compile(rf"/evidence/{note.pk}/remove/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove “Scope”?")
    screenshot_of(page, f"evidence-remove-confirm-{'js' if javascript else 'nojs'}")
    page.get_by_role("link", name="No, keep it").click()
    page.wait_for_url(re.compile(re.escape(stage_url)))
    assert Evidence.objects.filter(pk=note.pk).exists()

    # Confirmed, it goes. The same confirmation, left open in a second tab and sent again, is
    # told it had already gone.
    page.get_by_role("link", name="Remove “Scope”").click()
    page.wait_for_url(re.compile(rf"/evidence/{note.pk}/remove/$"))
    second = context.new_page()
    second.goto(f"/accreditation/evidence/{note.pk}/remove/")
    page.get_by_role("button", name="Yes, remove it").click()
    page.wait_for_url(re.compile(re.escape(stage_url)))
    expect(page.get_by_text("“Scope” removed.")).to_be_visible()
    expect(page.get_by_text("No evidence has been added to this stage yet.")).to_be_visible()
    assert not Evidence.objects.filter(pk=note.pk).exists()

    second.get_by_role("button", name="Yes, remove it").click()
    second.wait_for_url(re.compile(re.escape(stage_url)))
    expect(second.get_by_text("That evidence had already been removed.")).to_be_visible()
    context.close()

"""Writing the analysis with the keyboard only: Tess moves an episode so the numbers follow, then
adds a finding in the method's format, linked to an episode and with its issues for the board.
Every page it reaches is checked with axe-core (see conftest.py)."""

import re

from playwright.sync_api import expect

from accreditation.models import Finding, KeyPracticeEpisode
from accreditation.services.registers import episode_create

from .accreditation_steps import expect_message, open_my_stage, review_stage
from .journey import Ui, sign_in

ISSUE = "How will the partnership know that GPs are invited to every strategy discussion?"


def test_it_adds_a_finding_and_reorders_episodes_with_the_keyboard_only(
    page, review, tess, screenshot
):
    for title in ("School referral after a bruise", "Strategy discussion without the GP"):
        episode_create(
            stage=review_stage(review, 3),
            user=tess,
            title=title,
            what_happened="What the records and conversations show.",
            assessment=KeyPracticeEpisode.Assessment.MIXED,
        )
    ui = Ui(page, "keyboard")
    sign_in(ui, tess)

    # The strategy discussion came first in the case: Tess moves it up, and it becomes KPE1.
    open_my_stage(ui, "Organising and analysing data")
    ui.click(ui.get_by_role("button", name="Move up KPE2 “Strategy discussion without the GP”"))
    expect_message(ui, "“Strategy discussion without the GP” is now KPE1.")
    expect(
        ui.get_by_role("heading", name="KPE1 Strategy discussion without the GP")
    ).to_be_visible()

    open_my_stage(ui, "Findings")
    expect(ui.get_by_text("No findings have been recorded yet.")).to_be_visible()
    ui.click(ui.get_by_role("link", name="Add a finding"))
    expect(ui.get_by_role("heading", level=1, name="Add a finding")).to_be_visible()

    ui.fill(ui.get_by_label("Title of the finding"), "Strategy discussions leave health out")
    ui.check(ui.get_by_label("Multi-agency working in response to incidents and crises"))
    ui.fill(
        ui.get_by_label("How it showed itself in this case"),
        "The GP, who had seen Child K twice that month, was not invited.",
    )
    ui.check(ui.get_by_label("KPE1: Strategy discussion without the GP"))
    ui.fill(
        ui.get_by_label(re.compile("^How we know it is an underlying issue")),
        "The case group said discussions are called by phone between police and social care.",
    )
    ui.fill(
        ui.get_by_role("textbox", name=re.compile(r"^The finding \(optional\)")),
        "Strategy discussions are arranged in a way that leaves health out.",
    )
    ui.fill(ui.get_by_label("Issue for the board 1"), ISSUE)
    ui.click(ui.get_by_role("button", name="Save finding"))

    expect_message(ui, "Finding “Strategy discussions leave health out” added.")
    finding = ui.get_by_role("article", name=re.compile("Finding 1"))
    expect(finding.get_by_role("heading", name=re.compile("Strategy discussions"))).to_be_visible()
    expect(finding.get_by_text(ISSUE)).to_be_visible()
    expect(finding.get_by_role("link", name="KPE1")).to_be_visible()
    screenshot()

    saved = Finding.objects.get()
    assert [episode.title for episode in saved.episodes.all()] == [
        "Strategy discussion without the GP"
    ]
    assert list(saved.issues_for_board.values_list("text", flat=True)) == [ISSUE]

"""Running the review with the keyboard only: Tess records a one-to-one conversation she held
with a member of the case group, and the review team's first meeting with who was there. Every
page it reaches is checked with axe-core (see conftest.py)."""

import re
from datetime import timedelta

from django.utils import timezone

from playwright.sync_api import expect

from accreditation.models import Conversation, ReviewMeeting
from accreditation.services.conduct import participant_create, team_member_create

from .accreditation_steps import expect_message
from .journey import Ui, sign_in

NOTE = "Closing the plan felt like the kind thing to do: the family wanted a fresh start."


def _date(ui: Ui, group_name: str, day) -> None:
    group = ui.get_by_role("group", name=group_name)
    ui.fill(group.get_by_label("Day"), str(day.day))
    ui.fill(group.get_by_label("Month"), str(day.month))
    ui.fill(group.get_by_label("Year"), str(day.year))


def test_it_records_a_conversation_and_a_meeting_with_the_keyboard_only(
    page, review, tess, screenshot
):
    participant_create(
        review=review, user=tess, name="J.T.", role="Social worker", agency="Children's services"
    )
    team_member_create(
        review=review, user=tess, name="A. Okafor", role="Head of service", agency="Police"
    )
    held_on = timezone.localdate() - timedelta(days=3)
    ui = Ui(page, "keyboard")
    sign_in(ui, tess)

    ui.goto(f"/accreditation/reviews/{review.pk}/")
    expect(ui.get_by_text("0 held, 0 planned")).to_be_visible()
    ui.click(ui.get_by_role("link", name="Conversations", exact=True))
    expect(ui.get_by_role("heading", level=1, name="Conversations")).to_be_visible()
    expect(ui.get_by_text("No conversations recorded yet.")).to_be_visible()
    ui.click(ui.get_by_role("link", name="Add a conversation"))
    expect(ui.get_by_role("heading", level=1, name="Add a conversation")).to_be_visible()

    # Saved with nothing chosen: the page names each missing answer and keeps the note typed.
    ui.fill(ui.get_by_label("Notes"), NOTE)
    ui.click(ui.get_by_role("button", name="Save"))
    expect(ui.get_by_text("Choose at least one member of the case group.").first).to_be_visible()
    expect(ui.get_by_label("Notes")).to_have_value(NOTE)

    ui.check(ui.get_by_label("Held", exact=True))
    _date(ui, "Date", held_on)
    ui.check(ui.get_by_label(re.compile("^J.T., Social worker")))
    ui.check(ui.get_by_label("Tess Trainee"))
    ui.click(ui.get_by_role("button", name="Save"))
    expect_message(ui, "Added")
    held = ui.get_by_role("table", name="Held")
    expect(held.get_by_text("J.T., Social worker (Children's services)")).to_be_visible()
    expect(held.get_by_text(NOTE)).to_be_visible()
    screenshot()

    conversation = Conversation.objects.get(review=review)
    assert (conversation.status, conversation.date, conversation.lead_reviewer) == (
        Conversation.Status.HELD,
        held_on,
        tess,
    )
    assert [p.role for p in conversation.participants.all()] == ["Social worker"]

    ui.goto(f"/accreditation/reviews/{review.pk}/")
    ui.click(ui.get_by_role("link", name="Meetings", exact=True))
    ui.click(ui.get_by_role("link", name="Add a meeting"))
    ui.check(ui.get_by_label("Review-team meeting"))
    ui.check(ui.get_by_label("Held", exact=True))
    _date(ui, "Date", held_on)
    ui.check(ui.get_by_label("A. Okafor (Head of service, Police)"))
    ui.fill(ui.get_by_label("Notes"), "Agreed the scope and the case group.")
    ui.click(ui.get_by_role("button", name="Save"))
    expect_message(ui, "Added")
    expect(ui.get_by_text("Agreed the scope and the case group.")).to_be_visible()
    screenshot()

    meeting = ReviewMeeting.objects.get(review=review)
    assert (meeting.kind, meeting.status, meeting.date) == (
        ReviewMeeting.Kind.REVIEW_TEAM,
        ReviewMeeting.Status.HELD,
        held_on,
    )
    assert [member.name for member in meeting.team_attendees.all()] == ["A. Okafor"]

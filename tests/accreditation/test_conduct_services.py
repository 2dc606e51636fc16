"""Keeping the records of the review as it is run: who may, what each refuses, and the state
after each change."""

from datetime import date, timedelta

from django.utils import timezone

from wagtail.models import ModelLogEntry

import pytest

from accreditation.exceptions import TransitionError
from accreditation.models import (
    CaseGroupParticipant,
    Conversation,
    FamilyInvolvement,
    ReviewMeeting,
    ReviewTeamMember,
    ReviewType,
)
from accreditation.services import conduct
from accreditation.services.registers import episode_create

from .award_builders import approve, make_ready, submit
from .conduct_helpers import ON, conversation, meeting, member, participant
from .factories import stage

pytestmark = pytest.mark.django_db


def _actions(review) -> list[str]:
    return list(
        ModelLogEntry.objects.filter(
            object_id=str(review.pk), action__startswith="accreditation.conduct"
        )
        .order_by("pk")
        .values_list("action", flat=True)
    )


# Who may --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["tess", "pat", "sam"])
def test_it_lets_the_pair_and_the_supervisor_keep_the_records(request, review, who):
    user = request.getfixturevalue(who)
    saved = member(review, user, name="  Dee Director  ")
    assert (saved.review, saved.name) == (review, "Dee Director")
    assert _actions(review) == ["accreditation.conduct.team_member_add"]


@pytest.mark.parametrize("who", ["uma", "ali", "ada"])
def test_it_refuses_anyone_else(request, review, who):
    with pytest.raises(TransitionError, match="Only the trainee, their review partner and"):
        member(review, request.getfixturevalue(who))
    assert not ReviewTeamMember.objects.exists()


def test_it_refuses_an_outsider_changing_or_removing_an_entry(review, tess, uma):
    saved = participant(review, tess)
    with pytest.raises(TransitionError, match="Only the trainee"):
        conduct.participant_update(participant=saved, user=uma, role="GP", agency="NHS")
    with pytest.raises(TransitionError, match="Only the trainee"):
        conduct.participant_delete(participant=saved, user=uma)
    saved.refresh_from_db()
    assert saved.role == "Health visitor"


# The portfolio lock ---------------------------------------------------------------------------


def test_it_refuses_every_change_while_an_application_awaits_a_decision(review, tess, sam):
    nurse = participant(review, tess)
    make_ready(tess, review)
    submit(tess)
    with pytest.raises(TransitionError, match="portfolio is locked.*waiting for a decision"):
        participant(review, tess, role="GP")
    with pytest.raises(TransitionError, match="portfolio is locked"):
        conduct.participant_update(participant=nurse, user=sam, role="GP", agency="NHS")
    with pytest.raises(TransitionError, match="portfolio is locked"):
        conduct.participant_delete(participant=nurse, user=tess)
    with pytest.raises(TransitionError, match="portfolio is locked"):
        conversation(review, tess, [nurse])
    assert list(CaseGroupParticipant.objects.values_list("role", flat=True)) == ["Health visitor"]


def test_it_refuses_changes_after_accreditation(review, tess, ali):
    make_ready(tess, review)
    approve(submit(tess), ali)
    with pytest.raises(TransitionError, match="has been accredited on this review"):
        conduct.family_create(review=review, user=tess, relationship="Mother")
    assert not FamilyInvolvement.objects.exists()


# Each record ----------------------------------------------------------------------------------


def test_it_adds_changes_and_removes_each_kind_of_record(review, tess, pat):
    dee = member(review, tess)
    conduct.team_member_update(member=dee, user=pat, name="Dee D.", role=" Head ", agency="Police")
    dee.refresh_from_db()
    assert (dee.name, dee.role) == ("Dee D.", "Head")

    nurse = participant(review, tess, name="")
    assert str(nurse) == "Health visitor (NHS)"

    mother = conduct.family_create(
        review=review, user=tess, relationship=" Mother ", status="took_part", how=" Visit. "
    )
    assert (mother.relationship, mother.how) == ("Mother", "Visit.")
    conduct.family_update(involvement=mother, user=tess, relationship="Mother", status="declined")
    mother.refresh_from_db()
    assert (mother.status, mother.how) == ("declined", "")

    talk = conversation(review, tess, [nurse], notes="  Noted.  ", lead=review.partner)
    assert (talk.notes, talk.lead_reviewer, list(talk.participants.all())) == (
        "Noted.",
        pat,
        [nurse],
    )
    conduct.conversation_update(
        conversation=talk,
        user=pat,
        date=ON,
        lead_reviewer=tess,
        participants=[nurse],
        status="planned",
    )
    talk.refresh_from_db()
    assert (talk.status, talk.lead_reviewer) == ("planned", tess)

    gathering = meeting(review, tess, kind="introductory", team=[dee], group=[nurse])
    assert list(gathering.team_attendees.all()) == [dee]
    assert list(gathering.group_attendees.all()) == [nurse]

    conduct.meeting_delete(meeting=gathering, user=tess)
    conduct.conversation_delete(conversation=talk, user=tess)
    conduct.participant_delete(participant=nurse, user=tess)
    conduct.team_member_delete(member=dee, user=tess)
    conduct.family_delete(involvement=mother, user=tess)
    for model in (ReviewMeeting, Conversation, CaseGroupParticipant, ReviewTeamMember):
        assert not model.objects.exists()
    assert _actions(review) == [
        "accreditation.conduct.team_member_add",
        "accreditation.conduct.team_member_change",
        "accreditation.conduct.participant_add",
        "accreditation.conduct.family_add",
        "accreditation.conduct.family_change",
        "accreditation.conduct.conversation_add",
        "accreditation.conduct.conversation_change",
        "accreditation.conduct.meeting_add",
        "accreditation.conduct.meeting_remove",
        "accreditation.conduct.conversation_remove",
        "accreditation.conduct.participant_remove",
        "accreditation.conduct.team_member_remove",
        "accreditation.conduct.family_remove",
    ]


# Conversations --------------------------------------------------------------------------------


def test_it_refuses_a_participant_from_another_review(review, other_review, tess, uma):
    theirs = participant(other_review, uma, role="Teacher", name="")
    with pytest.raises(
        TransitionError, match=r"Teacher \(NHS\) is not in this review's case group"
    ):
        conversation(review, tess, [theirs])
    assert not Conversation.objects.filter(review=review).exists()


def test_it_refuses_a_conversation_with_no_one(review, tess):
    with pytest.raises(TransitionError, match="at least one member of the case group"):
        conversation(review, tess, [])


def test_it_refuses_a_lead_reviewer_who_is_not_one_of_the_pair(review, tess, sam):
    nurse = participant(review, tess)
    with pytest.raises(TransitionError, match="The lead reviewer must be Tess Trainee and Pat"):
        conversation(review, tess, [nurse], lead=sam)


def test_it_refuses_a_conversation_before_the_decision_to_hold_the_review(review, tess):
    review.decision_on = date(2026, 1, 20)
    review.save()
    nurse = participant(review, tess)
    with pytest.raises(TransitionError) as error:
        conversation(review, tess, [nurse], on=date(2026, 1, 19))
    assert str(error.value) == (
        "A conversation cannot be before the partners decided to hold the review on "
        "20 January 2026."
    )
    conversation(review, tess, [nurse], on=date(2026, 1, 20))


def test_it_refuses_a_conversation_held_in_the_future_but_plans_one(review, tess):
    nurse = participant(review, tess)
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(TransitionError, match="recorded as held cannot be in the future"):
        conversation(review, tess, [nurse], on=tomorrow)
    assert conversation(review, tess, [nurse], on=tomorrow, status="planned").status == "planned"


def test_it_refuses_a_conversation_on_a_type_without_them(review, tess):
    review.review_type = ReviewType.objects.get(code="focused")
    review.save()
    nurse = participant(review, tess)
    with pytest.raises(
        TransitionError, match="has no one-to-one conversations: record its meetings"
    ):
        conversation(review, tess, [nurse])


def test_it_says_when_a_chosen_participant_was_removed_meanwhile(review, tess):
    nurse = participant(review, tess)
    stale = CaseGroupParticipant.objects.get(pk=nurse.pk)
    conduct.participant_delete(participant=nurse, user=tess)
    with pytest.raises(TransitionError, match="has just been removed from the review's case group"):
        conversation(review, tess, [stale])


# Meetings -------------------------------------------------------------------------------------


def test_it_refuses_attendees_from_another_review(review, other_review, tess, uma):
    theirs = member(other_review, uma, name="Other")
    with pytest.raises(TransitionError, match=r"Other \(.*\) is not in this review's review team"):
        meeting(review, tess, team=[theirs])
    their_nurse = participant(other_review, uma)
    with pytest.raises(TransitionError, match="is not in this review's case group"):
        meeting(review, tess, group=[their_nurse])
    assert not ReviewMeeting.objects.exists()


def test_it_refuses_a_meeting_held_in_the_future_or_before_the_decision(review, tess):
    with pytest.raises(TransitionError, match="A meeting recorded as held cannot be in the future"):
        meeting(review, tess, on=timezone.localdate() + timedelta(days=3))
    review.decision_on = date(2026, 1, 20)
    review.save()
    with pytest.raises(TransitionError, match="A meeting cannot be before the partners decided"):
        meeting(review, tess, on=date(2026, 1, 2), status="planned")


# Removing what other records use ---------------------------------------------------------------


def test_it_refuses_to_remove_a_participant_a_conversation_or_meeting_uses(review, tess):
    nurse = participant(review, tess)
    conversation(review, tess, [nurse])
    meeting(review, tess, kind="introductory", group=[nurse], on=date(2026, 2, 3))
    with pytest.raises(TransitionError) as error:
        conduct.participant_delete(participant=nurse, user=tess)
    message = str(error.value)
    assert message.startswith("J.T., Health visitor (NHS) is in the conversation on")
    assert "the case-group introductory meeting on" in message
    assert message.endswith("take them out of it first.")
    assert CaseGroupParticipant.objects.filter(pk=nurse.pk).exists()


def test_it_refuses_to_remove_a_team_member_a_meeting_records(review, tess):
    dee = member(review, tess)
    meeting(review, tess, team=[dee])
    with pytest.raises(TransitionError, match="is in the review-team meeting on"):
        conduct.team_member_delete(member=dee, user=tess)
    assert ReviewTeamMember.objects.filter(pk=dee.pk).exists()


def test_it_refuses_to_remove_a_conversation_a_kpe_rests_on(review, tess):
    nurse = participant(review, tess)
    talk = conversation(review, tess, [nurse])
    episode_create(
        stage=stage(review, 3),
        user=tess,
        title="Strategy meeting",
        what_happened="Held without health.",
        assessment="problematic",
        conversations=[talk],
    )
    with pytest.raises(TransitionError, match="^KPE1 rests on it; unlink it first.$"):
        conduct.conversation_delete(conversation=talk, user=tess)
    assert Conversation.objects.filter(pk=talk.pk).exists()


def test_it_says_an_entry_was_already_removed(review, tess):
    dee = member(review, tess)
    conduct.team_member_delete(member=dee, user=tess)
    with pytest.raises(TransitionError, match="had already been removed"):
        conduct.team_member_delete(member=dee, user=tess)
    with pytest.raises(TransitionError, match="had just been removed"):
        conduct.team_member_update(member=dee, user=tess, name="X", role="Y", agency="Z")


def test_it_keeps_a_conversation_a_signed_off_episode_rests_on_as_it_was(review, tess, sam):
    from accreditation.services.stages import stage_submit

    nurse = participant(review, tess)
    gp = participant(review, tess, role="GP")
    talk = conversation(review, tess, [nurse], notes="First notes.")
    episode_create(
        stage=stage(review, 3),
        user=tess,
        title="Strategy meeting",
        what_happened="Held without health.",
        assessment="problematic",
        conversations=[talk],
    )
    stage_submit(stage=stage(review, 3), user=tess)
    same = {"date": ON, "lead_reviewer": tess, "status": "held"}

    with pytest.raises(TransitionError, match="^KPE1 rests on this conversation"):
        conduct.conversation_update(conversation=talk, user=tess, participants=[gp], **same)
    with pytest.raises(TransitionError, match="Ask your supervisor to reopen the stage first"):
        conduct.conversation_update(
            conversation=talk, user=tess, participants=[nurse], **{**same, "status": "planned"}
        )
    with pytest.raises(TransitionError, match="^KPE1 rests on a conversation with J.T."):
        conduct.participant_update(participant=nurse, user=tess, role="Midwife", agency="NHS")
    talk.refresh_from_db()
    nurse.refresh_from_db()
    assert (talk.status, [p.pk for p in talk.participants.all()]) == ("held", [nurse.pk])
    assert nurse.role == "Health visitor"

    # Its notes may still change, and so may a conversation no episode rests on.
    conduct.conversation_update(
        conversation=talk, user=tess, participants=[nurse], notes="Fuller notes.", **same
    )
    other = conversation(review, tess, [gp])
    conduct.conversation_update(conversation=other, user=tess, participants=[gp, nurse], **same)
    talk.refresh_from_db()
    assert talk.notes == "Fuller notes."
    assert other.participants.count() == 2

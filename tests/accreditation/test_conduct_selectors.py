"""Reads about the review as it is run: the counts the review page and the expectations use."""

from datetime import date

import pytest

from accreditation.models import (
    CaseGroupParticipant,
    Conversation,
    FamilyInvolvement,
    ReviewMeeting,
    ReviewTeamMember,
)
from accreditation.selectors.conduct import conduct_counts, review_people

pytestmark = pytest.mark.django_db


def _participant(review, role):
    return CaseGroupParticipant.objects.create(review=review, role=role, agency="Health")


def _conversation(review, lead, participants, status, on=date(2026, 2, 1)):
    conversation = Conversation.objects.create(
        review=review, status=status, date=on, lead_reviewer=lead
    )
    conversation.participants.set(participants)
    return conversation


def test_it_counts_an_empty_review_as_nothing(review, django_assert_num_queries):
    with django_assert_num_queries(1):
        counts = conduct_counts(review=review)
    assert counts.conversations_held == counts.conversations_planned == 0
    assert (counts.participants_spoken_with, counts.case_group_size) == (0, 0)
    assert counts.meetings_held == 0


def test_it_counts_conversations_people_spoken_with_and_meetings(
    review, other_review, tess, pat, uma
):
    nurse, gp, teacher = (_participant(review, role) for role in ("Nurse", "GP", "Teacher"))
    _conversation(review, tess, [nurse, gp], Conversation.Status.HELD)
    _conversation(review, pat, [nurse], Conversation.Status.HELD)
    _conversation(review, pat, [teacher], Conversation.Status.PLANNED)
    # Another review's records do not count.
    elsewhere = _participant(other_review, "Social worker")
    _conversation(other_review, uma, [elsewhere], Conversation.Status.HELD)
    ReviewTeamMember.objects.create(review=review, name="A", role="Head", agency="Police")
    FamilyInvolvement.objects.create(review=review, relationship="Mother")
    for kind, status in [
        (ReviewMeeting.Kind.REVIEW_TEAM, ReviewMeeting.Status.HELD),
        (ReviewMeeting.Kind.REVIEW_TEAM, ReviewMeeting.Status.HELD),
        (ReviewMeeting.Kind.INTRODUCTORY, ReviewMeeting.Status.HELD),
        (ReviewMeeting.Kind.JOINT, ReviewMeeting.Status.PLANNED),
    ]:
        ReviewMeeting.objects.create(review=review, kind=kind, status=status, date=date(2026, 3, 1))

    counts = conduct_counts(review=review)
    assert (counts.conversations_held, counts.conversations_planned) == (2, 1)
    assert (counts.participants_spoken_with, counts.case_group_size) == (2, 3)
    assert (
        counts.team_meetings_held,
        counts.introductory_meetings_held,
        counts.joint_meetings_held,
        counts.meetings_planned,
    ) == (2, 1, 0, 1)
    assert (counts.team_size, counts.family_count) == (1, 1)
    people = review_people(review=review)
    assert [p.role for p in people.group] == ["GP", "Nurse", "Teacher"]

"""The review's people, conversations and meetings in a person's data export, and redacted when
a lead reviewer is erased, as the registers are."""

import pytest

from accreditation.models import (
    CaseGroupParticipant,
    Conversation,
    FamilyInvolvement,
    ReviewMeeting,
    ReviewTeamMember,
)
from accreditation.privacy import erase_user, user_data
from accreditation.services import conduct

from .conduct_helpers import conversation, meeting, member, participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(review, tess, pat):
    dee = member(review, tess, name="Dee Director")
    nurse = participant(review, tess, name="J.T.")
    conduct.family_create(
        review=review, user=tess, relationship="Mother", how="Met Tess Trainee at home."
    )
    conversation(review, tess, [nurse], lead=pat, notes="Pat heard what Tess Trainee planned.")
    meeting(review, tess, team=[dee], group=[nurse])
    return dee, nurse


def test_it_exports_the_records_to_the_pair_and_the_supervisor(records, tess, pat, sam, uma):
    for person, role in ((tess, "lead trainee"), (pat, "review partner"), (sam, "supervisor")):
        [record] = user_data(person)["review_records"]
        assert record["your_role"] == role
        assert [m["name"] for m in record["review_team"]] == ["Dee Director"]
        assert [p["name_or_initials"] for p in record["case_group"]] == ["J.T."]
        assert record["family_involvement"][0]["family_member"] == "Mother"
        [talk] = record["conversations"]
        assert talk["with"] == ["J.T., Health visitor (NHS)"]
        assert talk["lead_reviewer"] == pat.full_name
        [gathering] = record["meetings"]
        assert gathering["review_team_present"] == ["Dee Director (Head of safeguarding, Police)"]
    assert user_data(uma)["review_records"] == []


def test_it_exports_the_conversations_the_person_led(records, tess, pat, sam):
    led = user_data(pat)["conversations_led"]
    assert [(item["case_reference"], item["notes"]) for item in led] == [
        ("Child K", "Pat heard what Tess Trainee planned.")
    ]
    assert user_data(tess)["conversations_led"] == []
    assert user_data(sam)["conversations_led"] == []


def test_it_redacts_the_records_when_a_lead_reviewer_is_erased(records, review, tess):
    erase_user(tess)
    label = f"Erased user #{tess.pk}"
    assert FamilyInvolvement.objects.get().how == f"Met {label} at home."
    assert Conversation.objects.get().notes == f"Pat heard what {label} planned."
    # Kept, as the registers are: the review is the partner's record too.
    assert ReviewTeamMember.objects.count() == CaseGroupParticipant.objects.count() == 1
    assert ReviewMeeting.objects.count() == 1


def test_it_leaves_another_review_alone(records, review, other_review, tess, uma):
    theirs = conduct.family_create(
        review=other_review, user=uma, relationship="Father", how="Tess Trainee was not there."
    )
    erase_user(tess)
    theirs.refresh_from_db()
    assert theirs.how == "Tess Trainee was not there."

"""Records of the review as it is run, made through the services, for the conduct tests."""

from datetime import date

from accreditation.services import conduct

ON = date(2026, 2, 2)


def member(review, user, name="Dee Director", role="Head of safeguarding", agency="Police"):
    return conduct.team_member_create(review=review, user=user, name=name, role=role, agency=agency)


def participant(review, user, role="Health visitor", agency="NHS", name="J.T."):
    return conduct.participant_create(review=review, user=user, name=name, role=role, agency=agency)


def conversation(review, user, participants, *, lead=None, status="held", on=ON, notes=""):
    return conduct.conversation_create(
        review=review,
        user=user,
        date=on,
        lead_reviewer=lead or review.trainee,
        participants=participants,
        status=status,
        notes=notes,
    )


def meeting(review, user, *, kind="review_team", team=(), group=(), status="held", on=ON):
    return conduct.meeting_create(
        review=review,
        user=user,
        kind=kind,
        date=on,
        status=status,
        team_attendees=team,
        group_attendees=group,
    )


def add_conduct_records(review, user) -> dict:
    """A review team of two, a case group of two, a family member, a held conversation and a
    review-team meeting, by the ids the access tables use: the ``spare_`` ones nothing else
    uses, so they can be removed."""
    dee = member(review, user)
    spare_member = member(review, user, name="Sol Spare", agency="Education")
    nurse = participant(review, user)
    spare_participant = participant(review, user, role="GP", name="")
    family = conduct.family_create(review=review, user=user, relationship="Mother")
    talk = conversation(review, user, [nurse], notes="Spoke about the referral.")
    gathering = meeting(review, user, team=[dee], group=[nurse])
    return {
        "team_member": dee.pk,
        "spare_team_member": spare_member.pk,
        "participant": nurse.pk,
        "spare_participant": spare_participant.pk,
        "family": family.pk,
        "conversation": talk.pk,
        "meeting": gathering.pk,
    }

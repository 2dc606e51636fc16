"""The review as it is run: its review team, case group and family involvement, the one-to-one
conversations and the meetings.

The trainee, their partner and the supervisor keep these records. They change under a lock on the
review's row, and not at all while the portfolio lock holds (an application awaits a decision, or
one was approved): the assessor reads them as part of the portfolio.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format

from wagtail.log_actions import log

from learning_platform.accounts.models import User

from ..exceptions import TransitionError
from ..models import (
    CaseGroupParticipant,
    Conversation,
    FamilyInvolvement,
    KeyPracticeEpisode,
    ReviewMeeting,
    ReviewStage,
    ReviewTeamMember,
    StageDefinition,
    SupervisedReview,
)
from ..selectors.reviews import stage_reopen_refusal


def _lock_review(review_id: int, user: User, doing: str) -> SupervisedReview:
    """Lock the review's row for a change to its records, inside the caller's transaction, and
    refuse anyone but its keepers and any change while the portfolio lock holds."""
    review = (
        SupervisedReview.objects.select_for_update(of=("self",))
        .select_related("review_type", "trainee", "partner")
        .get(pk=review_id)
    )
    if user.pk not in (review.trainee_id, review.partner_id, review.supervisor_id):
        raise TransitionError(
            f"Only the trainee, their review partner and their supervisor can {doing}."
        )
    refusal = stage_reopen_refusal(review=review, lock=True)
    if refusal:
        raise TransitionError(f"You cannot {doing} now: the portfolio is locked. {refusal}")
    return review


def _log(review: SupervisedReview, action: str, user: User, **data) -> None:
    log(instance=review, action=f"accreditation.conduct.{action}", user=user, data=data)


def _strip(fields: dict, text_fields: tuple[str, ...]) -> dict:
    return {
        name: value.strip() if name in text_fields and isinstance(value, str) else value
        for name, value in fields.items()
    }


def _names(items: Iterable) -> str:
    items = [str(item) for item in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _current(model: type[models.Model], chosen: Iterable, review: SupervisedReview, what: str):
    """Read the chosen rows again under the review's lock: one of another review is refused, and
    one removed while the form was open is reported plainly."""
    wanted = {item.pk for item in chosen}
    current = list(model.objects.filter(pk__in=wanted).order_by("pk"))
    for item in current:
        if item.review_id != review.pk:
            raise TransitionError(f"{item} is not in this review's {what}.")
    if len(current) != len(wanted):
        raise TransitionError(
            f"Someone you chose has just been removed from the review's {what}. Check the list "
            "and save again."
        )
    return current


def _check_date(review: SupervisedReview, on: date, status: str, noun: str) -> None:
    if review.decision_on and on < review.decision_on:
        raise TransitionError(
            f"{noun.capitalize()} cannot be before the partners decided to hold the review on "
            f"{date_format(review.decision_on)}."
        )
    if status == "held" and on > timezone.localdate():
        raise TransitionError(
            f"{noun.capitalize()} recorded as held cannot be in the future. If it is still to "
            "come, record it as planned."
        )


# What differs between the records --------------------------------------------------------


@dataclass(frozen=True)
class _Kind:
    name: str  # the audit actions are "<name>_add", "<name>_change", "<name>_remove"
    model: type[models.Model]
    noun: str  # "a team member": "You cannot add a team member now ..."
    fields: tuple[str, ...]
    # (review, fields, links, creating) -> links to save, once the review is locked
    check: Callable = lambda review, fields, links, creating: links
    save_links: Callable = lambda entry, links: None
    check_remove: Callable = lambda entry: None
    # (entry as saved, the new fields, the links to save) -> None; raises to refuse a change
    check_change: Callable = lambda entry, fields, links: None


def _episodes_signed_off_on(conversations) -> list[str]:
    """The labels of key practice episodes resting on these conversations whose stage is
    approved or waiting for sign-off: what they show must not change under them."""
    locked = (ReviewStage.Status.SUBMITTED, ReviewStage.Status.APPROVED)
    episodes = (
        KeyPracticeEpisode.objects.filter(conversations__in=conversations)
        .filter(
            review__stages__definition__register=StageDefinition.Register.KEY_PRACTICE_EPISODES,
            review__stages__status__in=locked,
        )
        .distinct()
        .order_by("sort_order")
    )
    return [episode.label for episode in episodes]


def _refuse_if_signed_off(labels: list[str], what: str) -> None:
    if labels:
        verb = "rests" if len(labels) == 1 else "rest"
        raise TransitionError(
            f"{_names(labels)} {verb} on {what}, and the stage that holds "
            f"{'it' if len(labels) == 1 else 'them'} is signed off or waiting for sign-off, so "
            "this cannot change now. Ask your supervisor to reopen the stage first."
        )


def _check_conversation_change(conversation: Conversation, fields: dict, participants) -> None:
    changed = any(
        getattr(conversation, name) != fields[name] for name in ("status", "date", "lead_reviewer")
    ) or {p.pk for p in conversation.participants.all()} != {p.pk for p in participants}
    if changed:
        labels = _episodes_signed_off_on([conversation])
        _refuse_if_signed_off(
            labels,
            "this conversation (its date, status, lead reviewer and "
            "who it was with; its notes can still change)",
        )


def _check_participant_change(participant: CaseGroupParticipant, fields: dict, links) -> None:
    if any(getattr(participant, name) != fields[name] for name in ("name", "role", "agency")):
        labels = _episodes_signed_off_on(participant.conversations.all())
        _refuse_if_signed_off(labels, f"a conversation with {participant}")


def _check_conversation(review, fields, links, creating):
    if creating and not review.review_type.has_conversations:
        raise TransitionError(
            f"A {review.review_type.name.lower()} review has no one-to-one conversations: record "
            "its meetings with the case group instead."
        )
    participants = _current(CaseGroupParticipant, links or (), review, "case group")
    if not participants:
        raise TransitionError("Choose at least one member of the case group.")
    lead = fields["lead_reviewer"]
    leads = [person for person in (review.trainee, review.partner) if person is not None]
    if lead is None or lead.pk not in {person.pk for person in leads}:
        raise TransitionError(
            f"The lead reviewer must be {_names(person.full_name for person in leads)}."
        )
    _check_date(review, fields["date"], fields["status"], "a conversation")
    return participants


def _check_meeting(review, fields, links, creating):
    team, group = links
    _check_date(review, fields["date"], fields["status"], "a meeting")
    return (
        _current(ReviewTeamMember, team, review, "review team"),
        _current(CaseGroupParticipant, group, review, "case group"),
    )


def _save_meeting_links(meeting: ReviewMeeting, links) -> None:
    team, group = links
    meeting.team_attendees.set(team)
    meeting.group_attendees.set(group)


def _uses(label: str, things: list[str], undo: str) -> None:
    if things:
        raise TransitionError(f"{label} is in {_names(things)}; {undo} first.")


def _refuse_if_participant_used(participant: CaseGroupParticipant) -> None:
    things = [
        f"the conversation on {date_format(c.date)}" for c in participant.conversations.all()
    ] + [
        f"the {m.get_kind_display().lower()} on {date_format(m.date)}"
        for m in participant.meetings.all()
    ]
    _uses(str(participant), things, "take them out of it")


def _refuse_if_member_used(member: ReviewTeamMember) -> None:
    things = [
        f"the {m.get_kind_display().lower()} on {date_format(m.date)}"
        for m in member.meetings.all()
    ]
    _uses(str(member), things, "take them out of it")


def _refuse_if_conversation_used(conversation: Conversation) -> None:
    labels = [episode.label for episode in conversation.episodes.order_by("sort_order")]
    if labels:
        verb = "rests" if len(labels) == 1 else "rest"
        raise TransitionError(f"{_names(labels)} {verb} on it; unlink it first.")


TEAM_MEMBER_FIELDS = ("name", "role", "agency")
PARTICIPANT_FIELDS = ("name", "role", "agency", "involvement")
FAMILY_FIELDS = ("relationship", "status", "how")
CONVERSATION_FIELDS = ("status", "date", "lead_reviewer", "notes")
MEETING_FIELDS = ("kind", "status", "date", "notes")

TEAM_MEMBERS = _Kind(
    name="team_member",
    model=ReviewTeamMember,
    noun="a review-team member",
    fields=TEAM_MEMBER_FIELDS,
    check_remove=_refuse_if_member_used,
)
PARTICIPANTS = _Kind(
    name="participant",
    model=CaseGroupParticipant,
    noun="a case-group member",
    fields=PARTICIPANT_FIELDS,
    check_remove=_refuse_if_participant_used,
    check_change=_check_participant_change,
)
FAMILY = _Kind(
    name="family",
    model=FamilyInvolvement,
    noun="a family member's involvement",
    fields=FAMILY_FIELDS,
)
CONVERSATIONS = _Kind(
    name="conversation",
    model=Conversation,
    noun="a conversation",
    fields=CONVERSATION_FIELDS,
    check=_check_conversation,
    save_links=lambda conversation, participants: conversation.participants.set(participants),
    check_remove=_refuse_if_conversation_used,
    check_change=_check_conversation_change,
)
MEETINGS = _Kind(
    name="meeting",
    model=ReviewMeeting,
    noun="a meeting",
    fields=MEETING_FIELDS,
    check=_check_meeting,
    save_links=_save_meeting_links,
)


def _save(kind: _Kind, *, user: User, values: dict, links=None, review=None, entry=None):
    creating = entry is None
    verb = "add" if creating else "change"
    review = _lock_review(review.pk if creating else entry.review_id, user, f"{verb} {kind.noun}")
    if not creating:
        # Read again under the lock: it may have been removed while the form was open.
        entry = kind.model.objects.filter(pk=entry.pk).first()
        if entry is None:
            raise TransitionError(f"That {kind.noun.split(' ', 1)[1]} had just been removed.")
    fields = _strip({name: values[name] for name in kind.fields}, kind.model.TEXT_FIELDS)
    links = kind.check(review, fields, links, creating)
    if not creating:
        kind.check_change(entry, fields, links)
    if creating:
        entry = kind.model.objects.create(review=review, **fields)
    else:
        for name, value in fields.items():
            setattr(entry, name, value)
        entry.save()
    kind.save_links(entry, links)
    _log(review, f"{kind.name}_{verb}", user, **{f"{kind.name}_id": entry.pk}, label=str(entry))
    return entry


def _delete(kind: _Kind, *, user: User, entry) -> None:
    review = _lock_review(entry.review_id, user, f"remove {kind.noun}")
    entry = kind.model.objects.filter(pk=entry.pk).first()
    if entry is None:
        raise TransitionError(f"That {kind.noun.split(' ', 1)[1]} had already been removed.")
    kind.check_remove(entry)
    _log(review, f"{kind.name}_remove", user, **{f"{kind.name}_id": entry.pk}, label=str(entry))
    entry.delete()


# The review team -----------------------------------------------------------------------------


@transaction.atomic
def team_member_create(
    *, review: SupervisedReview, user: User, name: str, role: str, agency: str
) -> ReviewTeamMember:
    return _save(TEAM_MEMBERS, review=review, user=user, values=locals())


@transaction.atomic
def team_member_update(
    *, member: ReviewTeamMember, user: User, name: str, role: str, agency: str
) -> ReviewTeamMember:
    return _save(TEAM_MEMBERS, entry=member, user=user, values=locals())


@transaction.atomic
def team_member_delete(*, member: ReviewTeamMember, user: User) -> None:
    """Remove a member no meeting records as present."""
    _delete(TEAM_MEMBERS, entry=member, user=user)


# The case group ------------------------------------------------------------------------------


@transaction.atomic
def participant_create(
    *,
    review: SupervisedReview,
    user: User,
    role: str,
    agency: str,
    name: str = "",
    involvement: str = CaseGroupParticipant.Involvement.DIRECT,
) -> CaseGroupParticipant:
    return _save(PARTICIPANTS, review=review, user=user, values=locals())


@transaction.atomic
def participant_update(
    *,
    participant: CaseGroupParticipant,
    user: User,
    role: str,
    agency: str,
    name: str = "",
    involvement: str = CaseGroupParticipant.Involvement.DIRECT,
) -> CaseGroupParticipant:
    return _save(PARTICIPANTS, entry=participant, user=user, values=locals())


@transaction.atomic
def participant_delete(*, participant: CaseGroupParticipant, user: User) -> None:
    """Remove a member of the case group no conversation or meeting records."""
    _delete(PARTICIPANTS, entry=participant, user=user)


# Family involvement --------------------------------------------------------------------------


@transaction.atomic
def family_create(
    *,
    review: SupervisedReview,
    user: User,
    relationship: str,
    status: str = FamilyInvolvement.Status.INVITED,
    how: str = "",
) -> FamilyInvolvement:
    return _save(FAMILY, review=review, user=user, values=locals())


@transaction.atomic
def family_update(
    *,
    involvement: FamilyInvolvement,
    user: User,
    relationship: str,
    status: str = FamilyInvolvement.Status.INVITED,
    how: str = "",
) -> FamilyInvolvement:
    return _save(FAMILY, entry=involvement, user=user, values=locals())


@transaction.atomic
def family_delete(*, involvement: FamilyInvolvement, user: User) -> None:
    _delete(FAMILY, entry=involvement, user=user)


# Conversations -------------------------------------------------------------------------------


@transaction.atomic
def conversation_create(
    *,
    review: SupervisedReview,
    user: User,
    date: date,
    lead_reviewer: User,
    participants: Iterable[CaseGroupParticipant],
    status: str = Conversation.Status.PLANNED,
    notes: str = "",
) -> Conversation:
    """Plan (or record) a one-to-one conversation with members of the review's case group."""
    values = locals()
    return _save(CONVERSATIONS, review=review, user=user, values=values, links=participants)


@transaction.atomic
def conversation_update(
    *,
    conversation: Conversation,
    user: User,
    date: date,
    lead_reviewer: User,
    participants: Iterable[CaseGroupParticipant],
    status: str = Conversation.Status.PLANNED,
    notes: str = "",
) -> Conversation:
    values = locals()
    return _save(CONVERSATIONS, entry=conversation, user=user, values=values, links=participants)


@transaction.atomic
def conversation_delete(*, conversation: Conversation, user: User) -> None:
    """Remove a conversation no key practice episode rests on."""
    _delete(CONVERSATIONS, entry=conversation, user=user)


# Meetings ------------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    review: SupervisedReview,
    user: User,
    kind: str,
    date: date,
    status: str = ReviewMeeting.Status.PLANNED,
    team_attendees: Iterable[ReviewTeamMember] = (),
    group_attendees: Iterable[CaseGroupParticipant] = (),
    notes: str = "",
) -> ReviewMeeting:
    values = locals()
    links = (team_attendees, group_attendees)
    return _save(MEETINGS, review=review, user=user, values=values, links=links)


@transaction.atomic
def meeting_update(
    *,
    meeting: ReviewMeeting,
    user: User,
    kind: str,
    date: date,
    status: str = ReviewMeeting.Status.PLANNED,
    team_attendees: Iterable[ReviewTeamMember] = (),
    group_attendees: Iterable[CaseGroupParticipant] = (),
    notes: str = "",
) -> ReviewMeeting:
    values = locals()
    links = (team_attendees, group_attendees)
    return _save(MEETINGS, entry=meeting, user=user, values=values, links=links)


@transaction.atomic
def meeting_delete(*, meeting: ReviewMeeting, user: User) -> None:
    _delete(MEETINGS, entry=meeting, user=user)

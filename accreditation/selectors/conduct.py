"""How a review is being run, in numbers: the conversations and meetings held and planned, and
how much of the case group the lead reviewers have spoken with."""

from dataclasses import dataclass

from django.db.models import Count, Q

from ..models import CaseGroupParticipant, Conversation, ReviewMeeting, SupervisedReview


@dataclass(frozen=True)
class ConductCounts:
    conversations_held: int
    conversations_planned: int
    participants_spoken_with: int
    case_group_size: int
    team_meetings_held: int
    introductory_meetings_held: int
    joint_meetings_held: int


def conduct_counts(*, review: SupervisedReview) -> ConductCounts:
    """The review's conversations, meetings and case group, counted in three queries."""
    Held, Planned = Conversation.Status.HELD, Conversation.Status.PLANNED
    conversations = Conversation.objects.filter(review=review).aggregate(
        held=Count("pk", filter=Q(status=Held)),
        planned=Count("pk", filter=Q(status=Planned)),
    )
    group = CaseGroupParticipant.objects.filter(review=review).aggregate(
        size=Count("pk", distinct=True),
        spoken_with=Count(
            "pk", filter=Q(conversations__status=Held, conversations__review=review), distinct=True
        ),
    )
    Kind = ReviewMeeting.Kind
    meetings = ReviewMeeting.objects.filter(
        review=review, status=ReviewMeeting.Status.HELD
    ).aggregate(
        team=Count("pk", filter=Q(kind=Kind.REVIEW_TEAM)),
        introductory=Count("pk", filter=Q(kind=Kind.INTRODUCTORY)),
        joint=Count("pk", filter=Q(kind=Kind.JOINT)),
    )
    return ConductCounts(
        conversations_held=conversations["held"],
        conversations_planned=conversations["planned"],
        participants_spoken_with=group["spoken_with"],
        case_group_size=group["size"],
        team_meetings_held=meetings["team"],
        introductory_meetings_held=meetings["introductory"],
        joint_meetings_held=meetings["joint"],
    )

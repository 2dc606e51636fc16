"""How a review is being run, in numbers: the conversations and meetings held and planned, and
how much of the case group the lead reviewers have spoken with."""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

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


def _count(queryset, distinct: bool = False):
    return Coalesce(
        Subquery(
            queryset.filter(review=OuterRef("pk"))
            .order_by()
            .values("review")
            .annotate(n=Count("pk", distinct=distinct))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def conduct_counts(*, review: SupervisedReview) -> ConductCounts:
    """The review's conversations, meetings and case group, counted in one query."""
    Held = Conversation.Status.HELD
    meetings = ReviewMeeting.objects.filter(status=ReviewMeeting.Status.HELD)
    Kind = ReviewMeeting.Kind
    counts = (
        SupervisedReview.objects.filter(pk=review.pk)
        .annotate(
            conversations_held=_count(Conversation.objects.filter(status=Held)),
            conversations_planned=_count(
                Conversation.objects.filter(status=Conversation.Status.PLANNED)
            ),
            participants_spoken_with=_count(
                CaseGroupParticipant.objects.filter(conversations__status=Held), distinct=True
            ),
            case_group_size=_count(CaseGroupParticipant.objects.all()),
            team_meetings_held=_count(meetings.filter(kind=Kind.REVIEW_TEAM)),
            introductory_meetings_held=_count(meetings.filter(kind=Kind.INTRODUCTORY)),
            joint_meetings_held=_count(meetings.filter(kind=Kind.JOINT)),
        )
        .values(
            "conversations_held",
            "conversations_planned",
            "participants_spoken_with",
            "case_group_size",
            "team_meetings_held",
            "introductory_meetings_held",
            "joint_meetings_held",
        )
        .get()
    )
    return ConductCounts(**counts)

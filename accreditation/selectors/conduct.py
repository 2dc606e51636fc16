"""Reads about the review as it is run: its people, conversations and meetings."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce

from ..models import (
    CaseGroupParticipant,
    Conversation,
    FamilyInvolvement,
    ReviewMeeting,
    ReviewTeamMember,
    SupervisedReview,
)


@dataclass(frozen=True)
class ReviewPeople:
    team: list[ReviewTeamMember]
    group: list[CaseGroupParticipant]
    family: list[FamilyInvolvement]


@dataclass(frozen=True)
class ConductCounts:
    """How far the review has got with its conversations and meetings."""

    conversations_held: int
    conversations_planned: int
    participants_spoken_with: int
    case_group_size: int
    team_meetings_held: int
    introductory_meetings_held: int
    joint_meetings_held: int
    team_size: int = 0
    family_count: int = 0
    meetings_planned: int = 0

    @property
    def meetings_held(self) -> int:
        return self.team_meetings_held + self.introductory_meetings_held + self.joint_meetings_held


def review_people(*, review: SupervisedReview) -> ReviewPeople:
    """The review team, the case group and the family's involvement, in their own orders."""
    return ReviewPeople(
        team=list(ReviewTeamMember.objects.filter(review=review)),
        group=list(CaseGroupParticipant.objects.filter(review=review)),
        family=list(FamilyInvolvement.objects.filter(review=review)),
    )


def review_conversations(*, review: SupervisedReview) -> list[Conversation]:
    """The review's conversations by date, with their participants and lead reviewer."""
    return list(
        Conversation.objects.filter(review=review)
        .select_related("lead_reviewer")
        .prefetch_related(
            Prefetch("participants", queryset=CaseGroupParticipant.objects.order_by("pk"))
        )
    )


def review_meetings(*, review: SupervisedReview) -> list[ReviewMeeting]:
    """The review's meetings by date, with who from the team and the case group attended."""
    return list(
        ReviewMeeting.objects.filter(review=review).prefetch_related(
            Prefetch("team_attendees", queryset=ReviewTeamMember.objects.order_by("pk")),
            Prefetch("group_attendees", queryset=CaseGroupParticipant.objects.order_by("pk")),
        )
    )


def _count(queryset, counted: str = "pk") -> Coalesce:
    """How many rows of ``queryset`` belong to the outer review, as a scalar subquery."""
    rows = (
        queryset.filter(review=OuterRef("pk"))
        .order_by()
        .values("review")
        .annotate(n=Count(counted, distinct=True))
        .values("n")[:1]
    )
    return Coalesce(Subquery(rows), 0)


def conduct_counts(*, review: SupervisedReview) -> ConductCounts:
    """Counts for the review page and the expectations: conversations planned and held, how
    many of the case group have been spoken with (in a held conversation) out of its size, and
    the meetings held of each kind. One query, however many records there are."""
    held = Conversation.Status.HELD
    meeting_held = ReviewMeeting.objects.filter(status=ReviewMeeting.Status.HELD)
    kind = ReviewMeeting.Kind
    fields = {
        "conversations_held": _count(Conversation.objects.filter(status=held)),
        "conversations_planned": _count(
            Conversation.objects.filter(status=Conversation.Status.PLANNED)
        ),
        "participants_spoken_with": _count(
            CaseGroupParticipant.objects.filter(
                conversations__status=held, conversations__review=OuterRef("pk")
            )
        ),
        "case_group_size": _count(CaseGroupParticipant.objects.all()),
        "team_meetings_held": _count(meeting_held.filter(kind=kind.REVIEW_TEAM)),
        "introductory_meetings_held": _count(meeting_held.filter(kind=kind.INTRODUCTORY)),
        "joint_meetings_held": _count(meeting_held.filter(kind=kind.JOINT)),
        "meetings_planned": _count(
            ReviewMeeting.objects.filter(status=ReviewMeeting.Status.PLANNED)
        ),
        "team_size": _count(ReviewTeamMember.objects.all()),
        "family_count": _count(FamilyInvolvement.objects.all()),
    }
    counts = SupervisedReview.objects.filter(pk=review.pk).values(**fields).get()
    return ConductCounts(**counts)

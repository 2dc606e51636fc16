"""Reads about the review as it is run: its people, conversations and meetings."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

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


def conduct_counts(*, review: SupervisedReview) -> ConductCounts:
    """Counts for the review page and the expectations: conversations planned and held, how
    many of the case group have been spoken with (in a held conversation) out of its size, and
    the meetings held of each kind. Four queries, however many records there are."""
    held = Conversation.Status.HELD
    conversations = Conversation.objects.filter(review=review).aggregate(
        held=Count("pk", filter=Q(status=held)),
        planned=Count("pk", filter=Q(status=Conversation.Status.PLANNED)),
    )
    group = CaseGroupParticipant.objects.filter(review=review).aggregate(
        size=Count("pk", distinct=True),
        spoken=Count(
            "pk",
            distinct=True,
            filter=Q(conversations__status=held, conversations__review=review),
        ),
    )
    meeting_held = Q(status=ReviewMeeting.Status.HELD)
    kind = ReviewMeeting.Kind
    meetings = ReviewMeeting.objects.filter(review=review).aggregate(
        team=Count("pk", filter=meeting_held & Q(kind=kind.REVIEW_TEAM)),
        introductory=Count("pk", filter=meeting_held & Q(kind=kind.INTRODUCTORY)),
        joint=Count("pk", filter=meeting_held & Q(kind=kind.JOINT)),
        planned=Count("pk", filter=Q(status=ReviewMeeting.Status.PLANNED)),
    )
    others = SupervisedReview.objects.filter(pk=review.pk).aggregate(
        team=Count("team_members", distinct=True),
        family=Count("family_involvement", distinct=True),
    )
    return ConductCounts(
        conversations_held=conversations["held"],
        conversations_planned=conversations["planned"],
        participants_spoken_with=group["spoken"],
        case_group_size=group["size"],
        team_meetings_held=meetings["team"],
        introductory_meetings_held=meetings["introductory"],
        joint_meetings_held=meetings["joint"],
        team_size=others["team"],
        family_count=others["family"],
        meetings_planned=meetings["planned"],
    )

"""What each review holds as it is run and analysed: its review team, case group and family, the
one-to-one conversations and the meetings, its key practice episodes with their contributory
factors, and its findings with their issues for the board. The words are the demo review's
(accreditation.demo_analysis), shared by every review of the world."""

import datetime
from datetime import timedelta

from accreditation.demo_analysis import EPISODES, FINDINGS
from accreditation.demo_world import (
    CONVERSATIONS_HELD,
    INTRODUCTORY_MEETING,
    JOINT_MEETINGS,
    PEOPLE,
    PEOPLE_RECORDED,
    TEAM_MEETINGS,
)
from accreditation.models import (
    CaseGroupParticipant,
    ContributoryFactor,
    ContributoryFactorCategory,
    Conversation,
    FamilyInvolvement,
    Finding,
    FindingCategory,
    IssueForBoard,
    KeyPracticeEpisode,
    ReviewMeeting,
    ReviewStage,
    ReviewTeamMember,
)

from .base import World, insert, spread
from .plan import allocate
from .timeline import ReviewPlan

Status = ReviewStage.Status
# The stages whose registers hold the episodes and the findings (Guide 24's third and fourth).
ANALYSIS, FINDINGS_STAGE = 2, 3
CONVERSATION_NOTES = "What they knew at the time, and what made sense to them then."


def _begun(plan: ReviewPlan, index: int) -> bool:
    return len(plan.stages) > index and plan.stages[index].status != Status.NOT_STARTED


def _expected_span(plan: ReviewPlan) -> tuple[datetime.date, datetime.date]:
    """The review's span as planned: to its publication, or to its type's expected end."""
    end = plan.finish or plan.start + timedelta(
        days=round(plan.review_type.expected_duration_months * 30.4)
    )
    return plan.start, end


def _on(start: datetime.date, end: datetime.date, point: float) -> datetime.date:
    return start + (end - start) * point


def conduct_create(world: World, *, plans: list[ReviewPlan]) -> None:
    """The people of every review that has begun, the conversations of those past preparation,
    and the meetings its type expects: held when their day has passed, planned otherwise."""
    yesterday = world.days_ago(1)
    begun = [plan for plan in plans if _begun(plan, 0)]
    teams, groups, families = [], [], []
    for plan in begun:
        people = PEOPLE["adults" if plan.adults else "children"]
        start, end = _expected_span(plan)
        recorded = world.moment(min(_on(start, end, PEOPLE_RECORDED), yesterday), 15)
        plan.team = [
            ReviewTeamMember(
                review=plan.review, name="", role=role, agency=agency, created_at=recorded
            )
            for role, agency in people["team"]
        ]
        plan.group = [
            CaseGroupParticipant(
                review=plan.review,
                role=role,
                agency=agency,
                involvement=involvement,
                created_at=recorded,
            )
            for role, agency, involvement in people["group"]
        ]
        teams += plan.team
        groups += plan.group
        relationship, how = people["family"]
        families.append(
            FamilyInvolvement(
                review=plan.review,
                relationship=relationship,
                status=FamilyInvolvement.Status.TOOK_PART,
                how=how,
                created_at=recorded,
            )
        )
    insert(ReviewTeamMember, teams)
    insert(CaseGroupParticipant, groups)
    insert(FamilyInvolvement, families)
    _conversations_create(world, [plan for plan in begun if _begun(plan, 1)])
    _meetings_create(world, begun)


def _held(day: datetime.date, yesterday: datetime.date) -> str:
    return ReviewMeeting.Status.HELD if day <= yesterday else ReviewMeeting.Status.PLANNED


def _conversations_create(world: World, plans: list[ReviewPlan]) -> None:
    yesterday = world.days_ago(1)
    rows, links = [], []
    for plan in plans:
        if not plan.review_type.has_conversations:
            continue
        start, end = _expected_span(plan)
        days = spread(
            _on(start, end, CONVERSATIONS_HELD[0]),
            _on(start, end, CONVERSATIONS_HELD[1]),
            len(plan.group),
        )
        for number, (participant, day) in enumerate(zip(plan.group, days, strict=True)):
            moment = world.moment(min(day, yesterday), 16)
            row = Conversation(
                review=plan.review,
                status=_held(day, yesterday),
                date=day,
                lead_reviewer=plan.lead if number % 2 == 0 else plan.partner,
                notes=CONVERSATION_NOTES,
                created_at=moment,
                updated_at=moment,
            )
            plan.conversations.append(row)
            rows.append(row)
            links.append((row, participant))
    insert(Conversation, rows)
    Link = Conversation.participants.through
    insert(
        Link,
        (Link(conversation_id=c.pk, casegroupparticipant_id=p.pk) for c, p in links),
    )


def _meetings_create(world: World, plans: list[ReviewPlan]) -> None:
    yesterday = world.days_ago(1)
    rows = []
    for plan in plans:
        start, end = _expected_span(plan)
        kinds = [(INTRODUCTORY_MEETING, ReviewMeeting.Kind.INTRODUCTORY)]
        team = plan.review_type.expected_team_meetings
        joint = plan.review_type.expected_joint_meetings
        kinds += [(point, ReviewMeeting.Kind.REVIEW_TEAM) for point in _points(TEAM_MEETINGS, team)]
        kinds += [(point, ReviewMeeting.Kind.JOINT) for point in _points(JOINT_MEETINGS, joint)]
        for point, kind in kinds:
            day = _on(start, end, point)
            moment = world.moment(min(day, yesterday), 14)
            row = ReviewMeeting(
                review=plan.review,
                kind=kind,
                status=_held(day, yesterday),
                date=day,
                created_at=moment,
                updated_at=moment,
            )
            row.plan = plan
            rows.append(row)
    insert(ReviewMeeting, rows)
    Team = ReviewMeeting.team_attendees.through
    Group = ReviewMeeting.group_attendees.through
    insert(
        Team,
        (
            Team(reviewmeeting_id=row.pk, reviewteammember_id=member.pk)
            for row in rows
            for member in row.plan.team
        ),
    )
    insert(
        Group,
        (
            Group(reviewmeeting_id=row.pk, casegroupparticipant_id=person.pk)
            for row in rows
            if row.kind != ReviewMeeting.Kind.REVIEW_TEAM
            for person in row.plan.group
        ),
    )


def _points(bounds: tuple[float, float], count: int) -> list[float]:
    low, high = bounds
    if count == 1:
        return [low]
    return [low + (high - low) * n / max(count - 1, 1) for n in range(count)]


def episodes_create(world: World, *, plans: list[ReviewPlan]) -> None:
    """The plan's key practice episodes, shared among the reviews whose analysis has begun (at
    least one each, more where the analysis is signed off), with their contributory factors."""
    rng = world.rng
    analysed = [plan for plan in plans if _begun(plan, ANALYSIS)]
    weights = {
        index: rng.uniform(0.7, 1.3)
        if plan.stages[ANALYSIS].status == Status.APPROVED
        else rng.uniform(0.3, 0.6)
        for index, plan in enumerate(analysed)
    }
    counts = allocate(world.plan.key_practice_episodes, weights, minimum=1)
    categories = ContributoryFactorCategory.objects.in_bulk(field_name="name")
    fallback = list(categories.values())
    rows, factors, links = [], [], []
    for index, plan in enumerate(analysed):
        stage = plan.stages[ANALYSIS]
        moments = spread(stage.work.opens, stage.work.closes, counts[index])
        plan.episodes = []
        for number, moment in enumerate(moments, start=1):
            spec = EPISODES[(number - 1) % len(EPISODES)]
            fields = {key: value for key, value in spec.items() if key != "factors"}
            row = KeyPracticeEpisode(
                review=plan.review, sort_order=number, created_at=moment, **fields
            )
            plan.episodes.append(row)
            rows.append(row)
            chosen = rng.sample(
                list(spec["factors"].items()), k=min(len(spec["factors"]), rng.randint(1, 3))
            )
            for name, text in chosen:
                category = categories.get(name) or rng.choice(fallback)
                factors.append(ContributoryFactor(episode=row, category=category, description=text))
            conversations = plan.conversations
            for conversation in rng.sample(conversations, k=min(len(conversations), 2)):
                links.append((row, conversation))
    insert(KeyPracticeEpisode, rows)
    insert(ContributoryFactor, factors)
    Link = KeyPracticeEpisode.conversations.through
    insert(
        Link,
        (Link(keypracticeepisode_id=e.pk, conversation_id=c.pk) for e, c in links),
    )


def findings_create(world: World, *, plans: list[ReviewPlan]) -> None:
    """Two to four findings for each review whose findings stage has begun, each citing some of
    its episodes and raising an issue or two for the board."""
    rng = world.rng
    typology = FindingCategory.objects.in_bulk(field_name="name")
    fallback = list(typology.values())
    rows, issues, links = [], [], []
    for plan in plans:
        if not _begun(plan, FINDINGS_STAGE) or not plan.episodes:
            continue
        stage = plan.stages[FINDINGS_STAGE]
        count = rng.randint(2, 4)
        for priority, moment in enumerate(spread(stage.work.opens, stage.work.closes, count), 1):
            spec = FINDINGS[(priority - 1) % len(FINDINGS)]
            row = Finding(
                review=plan.review,
                title=spec["title"],
                category=typology.get(spec["category"]) or rng.choice(fallback),
                direction=spec["direction"],
                in_this_case=spec["in_this_case"],
                how_we_know=spec["how_we_know"],
                system_reliability=spec["system_reliability"],
                statement=spec["statement"],
                priority=priority,
                created_at=moment,
            )
            rows.append(row)
            for order, text in enumerate(spec["issues"][: rng.randint(1, 2)]):
                issues.append(IssueForBoard(finding=row, text=text, sort_order=order))
            for episode in rng.sample(plan.episodes, k=min(len(plan.episodes), rng.randint(1, 3))):
                links.append((row, episode))
    insert(Finding, rows)
    insert(IssueForBoard, issues)
    Link = Finding.episodes.through
    insert(Link, (Link(finding_id=f.pk, keypracticeepisode_id=e.pk) for f, e in links))

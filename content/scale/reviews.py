"""The supervised reviews: each review with its stages, the sign-offs that moved each stage to
its status (the same decisions, by the same people, the stage services record), a written note
for every stage begun, and the supervision its trainees had.

The plan gives each review's progress; the sign-offs are then topped up to the plan's count with
rounds of changes requested before an approval (and, when the count needs an odd number, one
stage reopened and signed off again), as supervisors do.
"""

import datetime
from dataclasses import dataclass, field
from datetime import timedelta

from accreditation.demo_world import (
    GROUP_SUPERVISION,
    INDIVIDUAL_SUPERVISION,
    STAGE_NOTES,
    STAGE_SUBMITTED,
)
from accreditation.models import (
    Evidence,
    ReviewStage,
    SignOff,
    StageDefinition,
    SupervisedReview,
    SupervisionAttendance,
    SupervisionSession,
)

from .base import World, insert, spread
from .plan import GROUP_SESSIONS
from .timeline import ReviewPlan

Status = ReviewStage.Status
Decision = SignOff.Decision
STEPS = {
    Status.NOT_STARTED: [],
    Status.IN_PROGRESS: [Decision.STARTED],
    Status.SUBMITTED: [Decision.STARTED, Decision.SUBMITTED],
    Status.CHANGES_REQUESTED: [Decision.STARTED, Decision.SUBMITTED, Decision.CHANGES_REQUESTED],
    Status.APPROVED: [Decision.STARTED, Decision.SUBMITTED, Decision.APPROVED],
}
# Where each decision takes a stage.
TO_STATUS = {
    Decision.STARTED: Status.IN_PROGRESS,
    Decision.SUBMITTED: Status.SUBMITTED,
    Decision.APPROVED: Status.APPROVED,
    Decision.CHANGES_REQUESTED: Status.CHANGES_REQUESTED,
    Decision.REOPENED: Status.IN_PROGRESS,
}
SUPERVISOR_DECISIONS = {Decision.APPROVED, Decision.CHANGES_REQUESTED, Decision.REOPENED}
COMMENTS = {
    Decision.SUBMITTED: ("Ready for sign-off.", "Resubmitted with the changes asked for.", ""),
    Decision.APPROVED: (
        "Signed off: well evidenced.",
        "Clear and well argued. Approved.",
        "Approved; bring the open questions to the next group supervision.",
    ),
    Decision.CHANGES_REQUESTED: (
        "Say how the case group's view changed this account before I sign it off.",
        "The appraisal needs the local rationality as well as what happened.",
        "Please add how you know this reaches beyond the case.",
    ),
    Decision.REOPENED: ("Reopened: the board asked for the findings to be reordered.",),
}
# Of a review's span, when its supervision sessions fall.
EXTRA_SESSION_SPAN = (0.05, 0.9)


@dataclass
class StageWork:
    """One stage's history as it will be written: its decisions in order and the span they fall
    in. ``cycles`` rounds of changes requested come before the approval; ``reopened`` signs an
    approved stage off a second time."""

    status: str
    opens: datetime.datetime
    closes: datetime.datetime
    cycles: int = 0
    reopened: bool = False

    @property
    def steps(self) -> list[str]:
        steps = list(STEPS[self.status])
        if self.status == Status.APPROVED:
            rounds = [Decision.CHANGES_REQUESTED, Decision.SUBMITTED] * self.cycles
            steps[2:2] = rounds
            if self.reopened:
                steps += [Decision.REOPENED, Decision.SUBMITTED, Decision.APPROVED]
        return steps


@dataclass
class Made:
    """What the reviews part made, for the parts after it."""

    stages: dict[int, list[ReviewStage]] = field(default_factory=dict)
    sign_offs: list[SignOff] = field(default_factory=list)
    sessions: list[SupervisionSession] = field(default_factory=list)
    attendance: list[SupervisionAttendance] = field(default_factory=list)


def reviews_create(world: World, *, plans: list[ReviewPlan], scheme) -> Made:
    rng = world.rng
    definitions = list(StageDefinition.objects.filter(scheme=scheme).order_by("sort_order", "pk"))
    rows = []
    for number, plan in enumerate(plans, start=1):
        review = SupervisedReview(
            scheme=scheme,
            trainee=plan.lead,
            partner=plan.partner,
            supervisor=plan.supervisor_user,
            commissioning_organisation=plan.commissioner,
            case_reference=_case_reference(plan, number),
            review_type=plan.review_type,
            start_date=plan.start,
            created_at=world.moment(plan.start, 9),
            updated_at=world.moment(plan.finish or world.days_ago(1), 18),
        )
        if plan.statutory and not plan.adults:
            review.is_statutory = True
            review.decision_on = plan.start - timedelta(days=rng.randint(10, 40))
        if plan.complete:
            review.board_agreed_on = plan.finish - timedelta(days=rng.randint(5, 12))
            review.published_on = plan.finish
        # What SupervisedReview.save() works out, which a bulk insert does not call.
        review.target_publication_date = review.default_target()
        rows.append(review)
    reviews = insert(SupervisedReview, rows)
    for plan, review in zip(plans, reviews, strict=True):
        plan.review = review

    works = {id(plan): _stage_works(world, plan, len(definitions)) for plan in plans}
    _top_up_sign_offs(world, plans, works)
    made = Made()
    stages, sign_offs, notes = [], [], []
    for plan in plans:
        review_stages = []
        for number, (definition, work) in enumerate(
            zip(definitions, works[id(plan)], strict=True), start=1
        ):
            stage = ReviewStage(
                review=plan.review,
                definition=definition,
                sort_order=number,
                status=work.status,
                updated_at=plan.review.created_at,
            )
            stage.work = work
            review_stages.append(stage)
        stages += review_stages
        made.stages[plan.review.pk] = review_stages
        plan.stages = review_stages
    # Each stage's times come from its sign-offs, worked out before the stages are written.
    for plan in plans:
        for index, stage in enumerate(plan.stages):
            sign_offs += _sign_offs(world, plan, stage)
            if stage.history:
                first = stage.history[0]
                title, note = STAGE_NOTES[index % len(STAGE_NOTES)]
                notes.append((stage, first.by, first.created_at, title, note))
    insert(ReviewStage, stages)
    made.sign_offs = insert(SignOff, sign_offs)
    insert(
        Evidence,
        (
            Evidence(
                stage=stage,
                kind=Evidence.Kind.NOTE,
                title=title,
                note=note,
                uploaded_by=by,
                created_at=moment + timedelta(hours=1),
            )
            for stage, by, moment, title, note in notes
        ),
    )
    _supervise(world, plans, made)
    return made


def _case_reference(plan: ReviewPlan, number: int) -> str:
    # Pseudonymous, as the field asks: a letter and a number, never a name.
    who = "Adult" if plan.adults else "Child"
    return f"{who} {chr(65 + number % 26)}{number // 26 + 1} ({plan.start.year})"


def _span(world: World, plan: ReviewPlan) -> tuple[datetime.datetime, datetime.datetime]:
    """When the review's work ran: from its start to its publication, or to yesterday."""
    end = plan.finish or world.days_ago(1)
    return world.moment(plan.start, 9), world.moment(end, 18)


def _stage_works(world: World, plan: ReviewPlan, count: int) -> list[StageWork]:
    start, end = _span(world, plan)
    span = end - start
    if plan.complete:
        bounds = [0.02, *STAGE_SUBMITTED]
        return [
            StageWork(
                Status.APPROVED,
                start + span * bounds[min(i, len(bounds) - 1)],
                start + span * bounds[min(i + 1, len(bounds) - 1)] + timedelta(days=3),
            )
            for i in range(count)
        ]
    k = plan.stages_approved
    works = []
    for i in range(count):
        opens = start + span * min(i, k) / (k + 1)
        closes = start + span * min(i + 1, k + 1) / (k + 1)
        if i < k:
            status = Status.APPROVED
        elif i == k:
            status = plan.current
        else:
            status = Status.NOT_STARTED
        works.append(StageWork(status, opens, closes))
    return works


def _top_up_sign_offs(world: World, plans: list[ReviewPlan], works: dict) -> None:
    rng = world.rng
    all_works = [work for plan in plans for work in works[id(plan)]]
    missing = world.plan.sign_offs - sum(len(work.steps) for work in all_works)
    approved = [work for work in all_works if work.status == Status.APPROVED]
    if missing == 1:
        # One more than the plan's statuses give: a stage waiting for sign-off was sent back.
        waiting = next(work for work in all_works if work.status == Status.SUBMITTED)
        waiting.status = Status.CHANGES_REQUESTED
        missing = 0
    if missing % 2:
        rng.choice(approved).reopened = True
        missing -= 3
    for _ in range(missing // 2):
        rng.choice(approved).cycles += 1


def _sign_offs(world: World, plan: ReviewPlan, stage: ReviewStage) -> list[SignOff]:
    rng = world.rng
    work = stage.work
    moments = spread(work.opens, work.closes, len(work.steps))
    status = Status.NOT_STARTED
    rows = []
    for decision, moment in zip(work.steps, moments, strict=True):
        if decision in SUPERVISOR_DECISIONS:
            by = plan.supervisor_user
        else:
            by = plan.lead if rng.random() < 0.6 else plan.partner
        to_status = TO_STATUS[decision]
        rows.append(
            SignOff(
                stage=stage,
                by=by,
                decision=decision,
                from_status=status,
                to_status=to_status,
                comment=rng.choice(COMMENTS.get(decision, ("",))),
                created_at=moment,
            )
        )
        status = to_status
        if decision == Decision.SUBMITTED:
            stage.submitted_at = moment
        stage.updated_at = moment
    # A submission is settled by the supervisor's next decision on the stage (its notification
    # to the supervisor is then marked done, as the service does).
    for index, row in enumerate(rows):
        row.settled_at = next(
            (
                later.created_at
                for later in rows[index + 1 :]
                if later.decision in SUPERVISOR_DECISIONS
            ),
            None,
        )
    stage.history = rows
    return rows


def _supervise(world: World, plans: list[ReviewPlan], made: Made) -> None:
    """Group sessions for each review's pair and an individual session for each trainee during
    report writing, as the scheme asks; then more group sessions, to the plan's count."""
    rng = world.rng
    sessions: list[tuple[SupervisionSession, list]] = []

    def session(plan, kind, at, attendees, *, writing=False):
        individual = kind == SupervisionSession.Kind.INDIVIDUAL
        row = SupervisionSession(
            supervisor=plan.supervisor_user,
            kind=kind,
            date=at.date(),
            duration_minutes=60 if individual else 120,
            notes="Structuring the findings chapter."
            if individual
            else f"Group supervision on {plan.review.case_reference}.",
            during_report_writing=writing,
            created_at=at + timedelta(hours=3),
        )
        sessions.append((row, attendees))

    for plan in plans:
        start, end = _span(world, plan)
        span, pair = end - start, [plan.lead, plan.partner]
        if plan.complete:
            for point in GROUP_SUPERVISION:
                session(plan, SupervisionSession.Kind.GROUP, start + span * point, pair)
            for person in pair:
                at = start + span * INDIVIDUAL_SUPERVISION
                session(plan, SupervisionSession.Kind.INDIVIDUAL, at, [person], writing=True)
        else:
            count = min(GROUP_SESSIONS, plan.stages_approved)
            for at in spread(start, end - timedelta(days=7), count):
                session(plan, SupervisionSession.Kind.GROUP, at, pair)
    low, high = EXTRA_SESSION_SPAN
    for _ in range(world.plan.supervision_sessions - len(sessions)):
        plan = rng.choice(plans)
        start, end = _span(world, plan)
        at = start + (end - start) * rng.uniform(low, high)
        session(plan, SupervisionSession.Kind.GROUP, at, [plan.lead, plan.partner])

    made.sessions = insert(SupervisionSession, (row for row, _ in sessions))
    yesterday = world.days_ago(1)
    attendance = []
    for row, attendees in sessions:
        for person in attendees:
            confirmed = row.date + timedelta(days=rng.randint(1, 3))
            attendance.append(
                SupervisionAttendance(
                    session=row,
                    trainee=person,
                    confirmed_at=world.moment(confirmed, 20) if confirmed <= yesterday else None,
                )
            )
    made.attendance = insert(SupervisionAttendance, attendance)

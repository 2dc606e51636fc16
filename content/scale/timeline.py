"""The world's history, decided before a row is written: each supervised review, when it started
and how far it has gone, what became of its two trainees' applications, who supervises it and
which cohort its trainees trained in.

Dates follow from outcomes. A certificate that has expired was issued more than three years ago;
one that was renewed reached its renewal window; a trainee still waiting for a decision finished
their review a few months ago. The two trainees of a review are paired from outcomes that fall
close together, and the review ends a couple of months before the earlier of them.
"""

import datetime
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from accreditation.models import (
    AccreditationApplication,
    ReviewStage,
    ReviewType,
    SupervisedReview,
)
from accreditation.services.certificates import add_years
from courses.models import Enrolment
from learning_platform.accounts.models import Organisation, User

from .base import World
from .plan import EXPIRED, STAGES, SUPERSEDED, allocate

AppStatus = AccreditationApplication.Status
StageStatus = ReviewStage.Status
# How often each kind of review is carried out; a themed review, which covers several cases, is
# left out (its cases would need references of their own).
REVIEW_TYPE_WEIGHTS = {
    "full": 40,
    "mid_range": 20,
    "focused": 15,
    "intensive": 12,
    "speed_plus": 13,
}
# Days from a review's end to the first application decided on it, at the least.
DECIDED_AFTER_FINISH = 60
# A cohort's first training day comes this long before its trainees' reviews start.
TRAINING_BEFORE_REVIEW = (70, 85)
# Trainees without a review yet, by enrolment status.
EXTRA_ENROLMENTS = {
    Enrolment.Status.WITHDRAWN: 4,
    Enrolment.Status.DEFERRED: 2,
    Enrolment.Status.ACTIVE: 4,
}


@dataclass
class Outcome:
    """What became of one trainee's application: its status ("" when they have not applied
    yet), the day that settled it (the certificate issued, the decision, the submission), and for
    an approved one the certificate's standing now."""

    status: str
    day: datetime.date
    standing: str = ""
    referred_first: bool = False


@dataclass
class ReviewPlan:
    start: datetime.date
    review_type: ReviewType
    commissioner: Organisation
    statutory: bool = False
    # A complete review: the day its report was published, and its trainees' two outcomes.
    finish: datetime.date | None = None
    outcomes: tuple[Outcome, ...] = ()
    # A review under way: stages approved, and the status of the one being worked on.
    stages_approved: int = STAGES
    current: str = ""
    supervisor: int = 0
    # Set as the world is written: the people, the review and its stages.
    lead: User | None = None
    partner: User | None = None
    supervisor_user: User | None = None
    review: SupervisedReview | None = None
    stages: list[ReviewStage] = field(default_factory=list)
    team: list = field(default_factory=list)
    group: list = field(default_factory=list)
    conversations: list = field(default_factory=list)
    episodes: list = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.finish is not None

    @property
    def adults(self) -> bool:
        return self.commissioner.kind == Organisation.Kind.ADULTS_BOARD


@dataclass
class CohortPlan:
    start: datetime.date
    reviews: list[ReviewPlan]
    # Trainees without a review: the status of each one's enrolment.
    extras: list[str] = field(default_factory=list)
    supervisor: int | None = None

    @property
    def end(self) -> datetime.date:
        return self.start + timedelta(days=330)

    @property
    def size(self) -> int:
        return 2 * len(self.reviews) + len(self.extras)


def history_plan(
    world: World, *, commissioners: list[Organisation], validity_years: int
) -> tuple[list[ReviewPlan], list[CohortPlan]]:
    types = [
        t for t in ReviewType.objects.order_by("sort_order", "pk") if not t.covers_several_cases
    ]
    reviews = _complete_reviews(world, types, commissioners, validity_years) + _reviews_in_progress(
        world, types, commissioners
    )
    reviews.sort(key=lambda review: review.start)
    _assign_supervisors(world, reviews)
    cohorts = _cohorts(world, reviews)
    return reviews, cohorts


def _outcomes(world: World, validity_years: int) -> list[Outcome]:
    rng, today, plan = world.rng, world.today, world.plan
    lapsing = add_years(today, -validity_years)
    oldest_valid = (today - lapsing).days - 60

    def issued(standing: str) -> datetime.date:
        if standing == EXPIRED:
            return lapsing - timedelta(days=rng.randint(20, 540))
        if standing == SUPERSEDED:
            # Its end date passed lately: the holder renewed inside the window before it.
            return lapsing - timedelta(days=rng.randint(15, 200))
        # Valid, suspended or revoked: issued since, more of them recently as the pool grew.
        return world.days_ago(30 + (oldest_valid - 30) * rng.random() ** 1.3)

    settled_days_ago = {
        AppStatus.SUBMITTED: (2, 45),
        AppStatus.REFERRED: (3, 60),
        AppStatus.DECLINED: (10, 240),
        AppStatus.WITHDRAWN: (5, 150),
        AppStatus.DRAFT: (1, 30),
        "": (1, 60),
    }
    outcomes = []
    for standing, count in plan.standings.items():
        outcomes += [
            Outcome(
                AppStatus.APPROVED, issued(standing), standing, referred_first=rng.random() < 0.15
            )
            for _ in range(count)
        ]
    waiting = plan.applicants - plan.applications
    statuses = {**plan.application_statuses, "": waiting}
    for status, count in statuses.items():
        if status == AppStatus.APPROVED:
            continue
        low, high = settled_days_ago[status]
        outcomes += [
            Outcome(
                status,
                world.days_ago(rng.randint(low, high)),
                referred_first=status == AppStatus.SUBMITTED and rng.random() < 0.35,
            )
            for _ in range(count)
        ]
    return sorted(outcomes, key=lambda outcome: outcome.day)


def _review_type(world: World, types: list[ReviewType]) -> ReviewType:
    weights = [REVIEW_TYPE_WEIGHTS.get(t.code, 5) for t in types]
    return world.rng.choices(types, weights)[0]


def _complete_reviews(world, types, commissioners, validity_years) -> list[ReviewPlan]:
    rng = world.rng
    outcomes = _outcomes(world, validity_years)
    reviews = []
    for first, second in zip(outcomes[::2], outcomes[1::2], strict=True):
        review_type = _review_type(world, types)
        finish = first.day - timedelta(days=DECIDED_AFTER_FINISH + rng.randint(0, 20))
        months = review_type.expected_duration_months * 30.4 * rng.uniform(0.95, 1.15)
        pair = (first, second) if rng.random() < 0.5 else (second, first)
        reviews.append(
            ReviewPlan(
                start=finish - timedelta(days=round(months)),
                review_type=review_type,
                commissioner=rng.choice(commissioners),
                statutory=rng.random() < 0.3,
                finish=finish,
                outcomes=pair,
            )
        )
    return reviews


def _reviews_in_progress(world, types, commissioners) -> list[ReviewPlan]:
    rng, plan = world.rng, world.plan
    approved = [k for k, count in plan.stages_approved.items() for _ in range(count)]
    current = [status for status, count in plan.current_stage.items() for _ in range(count)]
    rng.shuffle(approved)
    rng.shuffle(current)
    return [
        ReviewPlan(
            # Reviews further on started longer ago.
            start=world.days_ago(25 + k * rng.randint(30, 50) + rng.randint(0, 20)),
            review_type=_review_type(world, types),
            commissioner=rng.choice(commissioners),
            statutory=rng.random() < 0.3,
            stages_approved=k,
            current=status,
        )
        for k, status in zip(approved, current, strict=True)
    ]


def _assign_supervisors(world: World, reviews: list[ReviewPlan]) -> None:
    """Three busy supervisors, the busiest with the plan's number of trainees (or more, in a
    world with few supervisors); the others share the rest, none of them as busy."""
    rng, plan = world.rng, world.plan
    busiest = min(len(reviews), math.ceil(plan.busiest_supervisor_trainees / 2))
    order = list(range(len(reviews)))
    rng.shuffle(order)
    taken = 0
    for supervisor, quota in enumerate((busiest, round(0.6 * busiest), round(0.45 * busiest))):
        for index in order[taken : taken + quota]:
            reviews[index].supervisor = supervisor
        taken += quota
    others = list(range(3, plan.supervisors))
    activity = {supervisor: rng.uniform(0.5, 1.5) for supervisor in others}
    load: Counter = Counter()
    for index in order[taken:]:
        free = [s for s in others if load[s] < busiest - 1]
        # In a world with few supervisors the busiest takes what the others cannot.
        supervisor = rng.choices(free, [activity[s] for s in free])[0] if free else 0
        reviews[index].supervisor = supervisor
        load[supervisor] += 1


def _cohorts(world: World, reviews: list[ReviewPlan]) -> list[CohortPlan]:
    """Reviews in order of starting, cut into cohorts of uneven sizes; each cohort trained a
    couple of months before its reviews began."""
    rng, plan = world.rng, world.plan
    sizes = allocate(
        len(reviews), {n: rng.uniform(0.35, 1.65) for n in range(plan.cohorts)}, minimum=1
    )
    cohorts, taken = [], 0
    for n in range(plan.cohorts):
        chunk = reviews[taken : taken + sizes[n]]
        taken += sizes[n]
        start = chunk[0].start - timedelta(days=rng.randint(*TRAINING_BEFORE_REVIEW))
        cohorts.append(CohortPlan(start=start, reviews=chunk))

    extras = allocate(plan.trainees - 2 * len(reviews), EXTRA_ENROLMENTS)
    for status, count in extras.items():
        for _ in range(count):
            # Newcomers join the latest cohort; those who left or paused are from earlier ones.
            cohort = cohorts[-1] if status == Enrolment.Status.ACTIVE else rng.choice(cohorts[:-1])
            cohort.extras.append(status)

    _assign_cohort_supervisors(world, cohorts)
    return cohorts


def _assign_cohort_supervisors(world: World, cohorts: list[CohortPlan]) -> None:
    """Each cohort is supervised as a whole by the supervisor with most of its reviews, so long
    as that keeps them less busy than the busiest supervisor (and only one cohort each)."""
    direct: Counter = Counter()
    for cohort in cohorts:
        for review in cohort.reviews:
            direct[review.supervisor] += 2
    ceiling = world.plan.busiest_supervisor_trainees - 2
    taken: set[int] = set()
    for cohort in cohorts:
        mine = Counter(review.supervisor for review in cohort.reviews if review.supervisor >= 3)
        for supervisor, _ in mine.most_common():
            if supervisor not in taken and direct[supervisor] + cohort.size <= ceiling:
                cohort.supervisor = supervisor
                taken.add(supervisor)
                break

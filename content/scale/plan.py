"""How many of each thing a scale world holds.

At scale 1 the world is the national programme the benchmarks measure: about 40 cohorts, 1,500
trainees, 150 supervisors, 30 assessors, 740 supervised reviews, 600 applications and 500
certificates. Every count is that figure times the scale, rounded, and never below the least that
keeps the world's shape: every stage status, every application status and every certificate
standing present, at least two cohorts.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from accreditation.models import AccreditationApplication, ReviewStage

K = TypeVar("K")
AppStatus = AccreditationApplication.Status
StageStatus = ReviewStage.Status

# What a supervised review involves: five stages, four group supervision sessions and one
# individual session for each of the two trainees during report writing.
STAGES = 5
GROUP_SESSIONS = 4
INDIVIDUAL_SESSIONS = 2
# Sign-offs an approved stage records: started, submitted, approved.
APPROVED_STAGE_SIGN_OFFS = 3
# Sign-offs the stage a review is working on has recorded so far, by its status.
CURRENT_STAGE_SIGN_OFFS = {
    StageStatus.NOT_STARTED: 0,
    StageStatus.IN_PROGRESS: 1,
    StageStatus.SUBMITTED: 2,
    StageStatus.CHANGES_REQUESTED: 3,
}

# A certificate's public standing, as the verification page states it.
VALID, SUPERSEDED, EXPIRED, SUSPENDED, REVOKED = (
    "valid",
    "superseded",
    "expired",
    "suspended",
    "revoked",
)
STANDINGS = (VALID, SUPERSEDED, EXPIRED, SUSPENDED, REVOKED)


@dataclass(frozen=True)
class ScalePlan:
    scale: float
    cohorts: int
    organisations: int
    trainees: int
    supervisors: int
    assessors: int
    administrators: int
    reviews: int
    complete_reviews: int
    # Reviews still under way: how many have each number of stages approved, and the status of
    # the stage each is working on.
    stages_approved: Mapping[int, int]
    current_stage: Mapping[str, int]
    sign_offs: int
    key_practice_episodes: int
    supervision_sessions: int
    applications: int
    application_statuses: Mapping[str, int]
    # First awards by standing; each superseded one was renewed by a certificate of its own.
    certificates: int
    standings: Mapping[str, int]
    notifications: int
    busiest_supervisor_trainees: int
    huge_cohort: int = 0

    @property
    def reviews_in_progress(self) -> int:
        return self.reviews - self.complete_reviews

    @property
    def renewals(self) -> int:
        return self.standings[SUPERSEDED]

    @property
    def applicants(self) -> int:
        """Trainees whose review is complete: each has applied or is about to."""
        return 2 * self.complete_reviews


def allocate(total: int, weights: Mapping[K, float], *, minimum: int | Mapping[K, int] = 0):
    """Split ``total`` into whole parts in proportion to ``weights`` (largest remainders), each
    part at least its minimum."""
    floors = {
        key: minimum.get(key, 0) if isinstance(minimum, Mapping) else minimum for key in weights
    }
    rest = total - sum(floors.values())
    if rest < 0:
        raise ValueError(f"{total} cannot be split with these minimums ({floors}).")
    weight = sum(weights.values())
    exact = {key: rest * value / weight for key, value in weights.items()}
    parts = {key: floors[key] + math.floor(exact[key]) for key in weights}
    left = total - sum(parts.values())
    by_remainder = sorted(
        weights, key=lambda key: exact[key] - math.floor(exact[key]), reverse=True
    )
    for key in by_remainder[:left]:
        parts[key] += 1
    return parts


def scale_plan(scale: float, *, huge_cohort: int = 0) -> ScalePlan:
    def times(figure: int, least: int = 1) -> int:
        return max(least, round(figure * scale))

    # Certificates: one of each standing at least, and a renewal for each superseded one.
    certificates = times(500, least=6)
    renewals = max(1, round(0.06 * certificates))
    standings = {
        SUPERSEDED: renewals,
        EXPIRED: max(1, round(0.08 * certificates)),
        SUSPENDED: max(1, round(0.024 * certificates)),
        REVOKED: max(1, round(0.02 * certificates)),
    }
    first_awards = certificates - renewals
    standings[VALID] = first_awards - sum(standings.values())
    standings = {standing: standings[standing] for standing in STANDINGS}

    # Applications: every approved one has its certificate; one of each other status at least.
    applications = max(times(600), first_awards + 5)
    others = allocate(
        applications - first_awards,
        {
            AppStatus.SUBMITTED: 55,
            AppStatus.REFERRED: 25,
            AppStatus.DECLINED: 15,
            AppStatus.WITHDRAWN: 10,
            AppStatus.DRAFT: 25,
        },
        minimum=1,
    )
    application_statuses = {AppStatus.APPROVED: first_awards, **others}

    # Both trainees of a complete review apply, but about one in ten has not done so yet.
    complete = math.ceil(applications * 1.11 / 2)
    reviews = max(times(740), complete + 3)
    in_progress = reviews - complete
    current_stage = allocate(
        in_progress,
        {
            StageStatus.IN_PROGRESS: 50,
            StageStatus.SUBMITTED: 25,
            StageStatus.CHANGES_REQUESTED: 15,
            StageStatus.NOT_STARTED: 10,
        },
        minimum={
            StageStatus.IN_PROGRESS: 1,
            StageStatus.SUBMITTED: 1,
            StageStatus.CHANGES_REQUESTED: 1,
        },
    )
    stages_approved = allocate(in_progress, {0: 18, 1: 24, 2: 22, 3: 20, 4: 16})

    least_sign_offs = (
        complete * STAGES * APPROVED_STAGE_SIGN_OFFS
        + sum(k * n for k, n in stages_approved.items()) * APPROVED_STAGE_SIGN_OFFS
        + sum(CURRENT_STAGE_SIGN_OFFS[status] * n for status, n in current_stage.items())
    )
    least_sessions = complete * (GROUP_SESSIONS + INDIVIDUAL_SESSIONS) + sum(
        min(GROUP_SESSIONS, k) * n for k, n in stages_approved.items()
    )
    supervisors = times(150, least=4)
    return ScalePlan(
        scale=scale,
        cohorts=times(40, least=2),
        organisations=times(30, least=3),
        trainees=max(times(1500), 2 * reviews + 2),
        supervisors=supervisors,
        assessors=times(30, least=2),
        administrators=times(3),
        reviews=reviews,
        complete_reviews=complete,
        stages_approved=stages_approved,
        current_stage=current_stage,
        sign_offs=max(times(9600), least_sign_offs),
        key_practice_episodes=max(times(5700), reviews),
        supervision_sessions=max(times(3000), least_sessions),
        applications=applications,
        application_statuses=application_statuses,
        certificates=certificates,
        standings=standings,
        notifications=times(20000),
        # Busier than anyone else can be, however small the world.
        busiest_supervisor_trainees=max(times(190), 2 * math.ceil(reviews / supervisors) + 2),
        huge_cohort=huge_cohort,
    )

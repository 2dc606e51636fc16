"""The course side of the world: the Wagtail site and course it needs (built by the demo's own
builders when missing), its cohorts with their training days and registers, each trainee's
enrolment, and their progress through the modules with the answers that completed them."""

import datetime
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from accreditation.demo_world import TRAINING_DAYS
from accreditation.models import AccreditationScheme, Region
from accreditation.services.reviews import default_scheme
from content.demo import seed_site
from courses import demo as course_demo
from courses.demo_cohorts import VENUE
from courses.models import (
    Attendance,
    Cohort,
    CoursePage,
    Enrolment,
    KnowledgeCheckAttempt,
    ModulePage,
    ModuleProgress,
    ReflectionAnswer,
    TrainingDay,
)
from learning_platform.accounts.models import User
from learning_platform.accounts.roles import Role

from .base import PREFIX, World, insert
from .people import Person, people_create
from .timeline import CohortPlan

FUNDING_STRANDS = ("DfE VCS grant", "Partnership funded", "NHS England grant", "SCIE pilot")
# The training days' offsets from the first, as the demo's cohorts hold them.
DAY_OFFSETS = [offset - TRAINING_DAYS[0][0] for offset, _title in TRAINING_DAYS]
REFLECTIONS = (
    "A duty social worker closed a referral after one calm home visit. With 28 open cases and no "
    "access to the health visitor's notes, that visit carried more weight than it could bear.",
    "In my own agency, one good week in a family's progress counted for more than it should, "
    "because nobody held the whole history in view.",
    "The strategy meeting went ahead without health present. The invitation list came from a "
    "template nobody owned, so the gap repeated from case to case.",
)
ATTENDED = 0.93
ACTIVE = Enrolment.Status.ACTIVE


@dataclass(frozen=True)
class Content:
    course: CoursePage
    modules: list[ModulePage]
    scheme: AccreditationScheme


def content_ensure(*, stdout) -> Content:
    """The public site, the course with its modules and the scheme the reviews follow. Each is
    the demo's, built by the demo's builders only where it is missing, so a database seeded by
    `seed_demo` keeps its own and both commands share it."""
    seed_site(stdout=None)
    # The course builders are the ones `seed_courses` runs, without the demo's own cohort.
    index = course_demo._course_index(stdout)
    course = course_demo._course(index, stdout)
    course_demo._modules(course, stdout)
    scheme = default_scheme()
    if scheme is not None and scheme.course_id is None:
        # As the demo does: the scheme asks for the course the trainees follow.
        scheme.course = course
        scheme.save(update_fields=["course"])
    modules = list(ModulePage.objects.child_of(course).live().order_by("path"))
    return Content(course=course, modules=modules, scheme=scheme)


def cohorts_create(
    world: World, *, plans: list[CohortPlan], course: CoursePage, admin: User
) -> list[Cohort]:
    rng = world.rng
    regions = list(Region.objects.order_by("sort_order", "name").values_list("name", flat=True))
    regions = regions or ["England"]
    cohorts = insert(
        Cohort,
        (
            _cohort(
                world,
                name=f"{PREFIX}{number:02d}: {regions[number % len(regions)]} {plan.start.year}",
                course=course,
                start=plan.start,
                end=plan.end,
                capacity=plan.size + rng.randint(0, 4),
            )
            for number, plan in enumerate(plans, start=1)
        ),
    )
    days = insert(TrainingDay, (day for cohort in cohorts for day in _training_days(cohort)))
    world.made["training_days"] = {}
    for day in days:
        world.made["training_days"].setdefault(day.cohort_id, []).append(day)
    world.made["register_taker"] = admin
    return cohorts


def _cohort(world: World, *, name, course, start, end, capacity) -> Cohort:
    today = world.today
    if end < today:
        status = Cohort.Status.COMPLETED
    elif start <= today:
        status = Cohort.Status.IN_PROGRESS
    else:
        status = Cohort.Status.PLANNED
    opened = world.moment(min(start - timedelta(days=60), today), 11)
    return Cohort(
        name=name,
        course=course,
        funding_strand=world.rng.choice(FUNDING_STRANDS),
        start_date=start,
        end_date=end,
        capacity=capacity,
        status=status,
        calendar_token=secrets.token_urlsafe(32),
        created_at=opened,
        updated_at=opened,
    )


def _training_days(cohort: Cohort) -> list[TrainingDay]:
    return [
        TrainingDay(
            cohort=cohort,
            date=cohort.start_date + timedelta(days=offset),
            title=title,
            venue=VENUE,
            starts_at=datetime.time(9, 30),
            ends_at=datetime.time(16, 30),
        )
        for offset, (_day, title) in zip(DAY_OFFSETS, TRAINING_DAYS, strict=True)
    ]


def trainees_create(
    world: World,
    *,
    cohorts: list[Cohort],
    plans: list[CohortPlan],
    organisations,
    supervisors: list[User],
) -> None:
    """Each review's two trainees and the trainees without a review, enrolled in their cohort
    with their supervisor and review partner. Sets each review plan's ``lead`` and ``partner``."""
    rng = world.rng
    people = []
    for cohort, plan in zip(cohorts, plans, strict=True):
        joined = cohort.start_date - timedelta(days=rng.randint(40, 60))
        people += [
            Person(joined=joined, organisation=rng.choice(organisations)) for _ in range(plan.size)
        ]
    users = iter(people_create(world, role=Role.TRAINEE, people=people))
    # Trainees without a review go to the least busy supervisors, so the busiest stays so.
    others = range(3, len(supervisors)) if len(supervisors) > 3 else range(len(supervisors))
    load = Counter(review.supervisor for plan in plans for review in plan.reviews for _ in "ab")
    enrolments = []
    for cohort, plan in zip(cohorts, plans, strict=True):
        ended = cohort.end_date < world.today
        for review in plan.reviews:
            review.lead, review.partner = next(users), next(users)
            review.supervisor_user = supervisor = supervisors[review.supervisor]
            status = Enrolment.Status.COMPLETED if review.complete and ended else ACTIVE
            for person, partner in ((review.lead, review.partner), (review.partner, review.lead)):
                enrolments.append(
                    _enrolment(world, cohort, person, status, supervisor, partner, review=review)
                )
        for status in plan.extras:
            if plan.supervisor is not None:
                supervisor = supervisors[plan.supervisor]
            else:
                chosen = min(others, key=lambda index: (load[index], rng.random()))
                load[chosen] += 1
                supervisor = supervisors[chosen]
            enrolments.append(_enrolment(world, cohort, next(users), status, supervisor, None))
    world.made["enrolments"] = insert(Enrolment, enrolments)


def _enrolment(world, cohort, user, status, supervisor, partner, review=None) -> Enrolment:
    enrolled = world.moment(cohort.start_date - timedelta(days=30), 14)
    enrolment = Enrolment(
        user=user,
        cohort=cohort,
        status=status,
        supervisor=supervisor,
        review_partner=partner,
        created_at=enrolled,
        updated_at=enrolled,
    )
    enrolment.review_plan = review
    return enrolment


def registers_take(world: World, *, enrolments: list[Enrolment]) -> None:
    """The register of every training day that has come, for everyone enrolled in its cohort."""
    rng, days = world.rng, world.made["training_days"]
    taker = world.made["register_taker"]
    rows = []
    for enrolment in enrolments:
        for day in days[enrolment.cohort_id]:
            if day.date > world.today:
                continue
            rows.append(
                Attendance(
                    training_day=day,
                    enrolment=enrolment,
                    present=rng.random() < ATTENDED,
                    recorded_by=taker,
                    recorded_at=world.moment(day.date, 17),
                )
            )
    insert(Attendance, rows)


def progress_create(
    world: World, *, enrolments: list[Enrolment], modules: list[ModulePage], answers: bool = True
) -> None:
    """Each trainee's progress: the modules they completed, and the one they are working on.
    With ``answers``, the reflections and passed knowledge checks that completed each module."""
    rng = world.rng
    total = len(modules)
    progress = []
    for enrolment in enrolments:
        done, started = _progress_of(world, enrolment, total)
        first_day = enrolment.cohort.start_date
        last_day = min(world.today, first_day + timedelta(days=200))
        for number, module in enumerate(modules[: done + started]):
            opened = first_day + timedelta(days=number * 7 + rng.randint(0, 5))
            opened = min(opened, last_day)
            finished = min(opened + timedelta(days=rng.randint(1, 6)), world.today)
            moment = world.moment(opened, 19 + rng.random() * 3)
            complete = number < done
            row = ModuleProgress(
                enrolment=enrolment,
                module=module,
                started_at=moment,
                completed_at=world.moment(finished, 21) if complete else None,
                updated_at=world.moment(finished, 21) if complete else moment,
            )
            row.answered = complete or (answers and rng.random() < 0.5)
            progress.append(row)
    progress = insert(ModuleProgress, progress)
    if answers:
        _answers_create(world, progress=progress, modules=modules)


def _progress_of(world: World, enrolment: Enrolment, total: int) -> tuple[int, int]:
    """(modules completed, 1 if working on the next one else 0), from how far the trainee has
    gone: a review under way means the course is mostly or wholly done."""
    rng = world.rng
    review = getattr(enrolment, "review_plan", None)
    if review is not None:
        if review.complete or review.stages_approved >= 2:
            return total, 0
        done = rng.randint(min(3, total), total)
    elif enrolment.status == Enrolment.Status.WITHDRAWN:
        done = rng.randint(0, 3)
    elif enrolment.status == Enrolment.Status.DEFERRED:
        done = rng.randint(2, 5)
    else:
        # Newcomers: most have finished a module or two.
        done = int(rng.expovariate(1 / 1.8))
    done = min(done, total)
    return done, int(done < total and rng.random() < 0.7)


def _answers_create(world: World, *, progress: list[ModuleProgress], modules) -> None:
    rng = world.rng
    blocks = {module.pk: _blocks(module) for module in modules}
    reflections, attempts = [], []
    for row in progress:
        if not row.answered:
            continue
        checks, questions = blocks[row.module_id]
        moment = row.completed_at or row.updated_at
        for block_id in questions:
            reflections.append(
                ReflectionAnswer(
                    progress=row,
                    block_id=block_id,
                    answer=rng.choice(REFLECTIONS),
                    created_at=moment,
                    updated_at=moment,
                )
            )
        if row.completed_at is None:
            continue
        for block_id, correct in checks.items():
            attempts.append(
                KnowledgeCheckAttempt(
                    progress=row,
                    block_id=block_id,
                    answers=correct,
                    score_percent=100,
                    passed=True,
                    created_at=moment,
                )
            )
    insert(ReflectionAnswer, reflections)
    insert(KnowledgeCheckAttempt, attempts)


def _blocks(module: ModulePage) -> tuple[dict[str, dict], list[str]]:
    """The module's knowledge checks, each with its right answers (question to choice, as an
    attempt stores them), and its reflective questions."""
    checks, questions = {}, []
    for item in module.body.raw_data:
        if item["type"] == "knowledge_check":
            checks[item["id"]] = {
                str(number): next(
                    index for index, choice in enumerate(question["choices"]) if choice["correct"]
                )
                for number, question in enumerate(item["value"]["questions"])
            }
        elif item["type"] == "reflective_question":
            questions.append(item["id"])
    return checks, questions


def huge_cohort_create(
    world: World, *, size: int, course: CoursePage, modules: list[ModulePage], organisations
) -> Cohort:
    """One very large cohort that started three weeks ago: every trainee enrolled, paired with a
    review partner, in the registers of its first two days and working through the modules.
    Nobody supervises it as a whole, so no supervisor's home page holds its trainees."""
    rng = world.rng
    start = world.days_ago(20)
    cohort = insert(
        Cohort,
        [
            _cohort(
                world,
                name=f"{PREFIX}national cohort {start.year} ({size:,} trainees)",
                course=course,
                start=start,
                end=start + timedelta(days=330),
                capacity=size,
            )
        ],
    )[0]
    days = insert(TrainingDay, _training_days(cohort))
    world.made["training_days"][cohort.pk] = days
    joined = start - timedelta(days=45)
    users = people_create(
        world,
        role=Role.TRAINEE,
        stem="learner",
        people=[Person(joined=joined, organisation=rng.choice(organisations)) for _ in range(size)],
    )
    statuses = rng.choices(
        [Enrolment.Status.ACTIVE, Enrolment.Status.DEFERRED, Enrolment.Status.WITHDRAWN],
        [97, 2, 1],
        k=size,
    )
    rows = []
    for index, (user, status) in enumerate(zip(users, statuses, strict=True)):
        mate = index + 1 if index % 2 == 0 else index - 1
        partner = users[mate] if mate < size else None
        rows.append(_enrolment(world, cohort, user, status, None, partner))
    enrolments = insert(Enrolment, rows)
    registers_take(world, enrolments=enrolments)
    progress_create(world, enrolments=enrolments, modules=modules, answers=False)
    return cohort

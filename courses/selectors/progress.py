"""Reads for how far a trainee has got: module statuses across a course, "My learning", the
progress record's reflections, and the course page.

Every function here runs a fixed number of queries, however many modules, trainees or attempts
there are: rows are fetched in bulk and joined in Python.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone

from learning_platform.accounts.models import User

from ..access import LEARNING_STATUSES, learning_enrolment
from ..models import (
    Cohort,
    CoursePage,
    Enrolment,
    ModulePage,
    ModuleProgress,
    ReflectionAnswer,
    TrainingDay,
)
from .modules import course_path_of


class ModuleStatus(models.TextChoices):
    CANNOT_START = "cannot_start", "Cannot start yet"
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"


# Progress across a course --------------------------------------------------------------------


@dataclass
class ModuleRow:
    module: ModulePage
    status: ModuleStatus
    progress: ModuleProgress | None = None
    waiting_for: list[ModulePage] = field(default_factory=list)

    @property
    def can_start(self) -> bool:
        return self.status != ModuleStatus.CANNOT_START


@dataclass
class CourseProgress:
    enrolment: Enrolment
    course: CoursePage
    modules: list[ModuleRow]
    next_training_day: TrainingDay | None = None
    # Every training day of the cohort, in date order.
    training_days: list[TrainingDay] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.modules)

    @property
    def completed_count(self) -> int:
        return sum(1 for row in self.modules if row.status == ModuleStatus.COMPLETED)

    @property
    def percent(self) -> int:
        return (100 * self.completed_count) // self.total if self.total else 0

    @property
    def is_complete(self) -> bool:
        return bool(self.modules) and self.completed_count == self.total

    @property
    def next_module(self) -> ModuleRow | None:
        """The next thing to do: the first module that is not complete and can be started."""
        for row in self.modules:
            if row.status in (ModuleStatus.IN_PROGRESS, ModuleStatus.NOT_STARTED):
                return row
        return None


def _modules_by_course(course_paths: Iterable[str]) -> dict[str, list[ModulePage]]:
    paths = sorted(set(course_paths))
    if not paths:
        return {}
    in_courses = Q()
    for path in paths:
        in_courses |= _children_of_path(path)
    modules = ModulePage.objects.live().filter(in_courses).defer_streamfields().order_by("path")
    by_course: dict[str, list[ModulePage]] = defaultdict(list)
    for module in modules:
        by_course[course_path_of(module=module)].append(module)
    return by_course


def _children_of_path(path: str) -> Q:
    return Q(path__startswith=path, depth=len(path) // ModulePage.steplen + 1)


def _prerequisite_ids(module_ids: Sequence[int]) -> dict[int, list[int]]:
    through = ModulePage.prerequisites.through
    pairs = through.objects.filter(from_modulepage_id__in=module_ids).values_list(
        "from_modulepage_id", "to_modulepage_id"
    )
    required: dict[int, list[int]] = defaultdict(list)
    for module_id, prerequisite_id in pairs:
        required[module_id].append(prerequisite_id)
    return required


def _training_days(cohort_ids: Sequence[int]) -> dict[int, list[TrainingDay]]:
    """Each cohort's training days in date order. One query."""
    days = TrainingDay.objects.filter(cohort_id__in=cohort_ids).order_by("date", "starts_at", "pk")
    by_cohort: dict[int, list[TrainingDay]] = defaultdict(list)
    for day in days:
        by_cohort[day.cohort_id].append(day)
    return by_cohort


def _next_training_day(days: Sequence[TrainingDay], today: date) -> TrainingDay | None:
    return next((day for day in days if day.date >= today), None)


def course_progress_for_enrolments(*, enrolments: Sequence[Enrolment]) -> list[CourseProgress]:
    """Module statuses per enrolment, in five queries whatever the number of modules."""
    enrolments = list(enrolments)
    if not enrolments:
        return []
    courses = {e.cohort.course.path: e.cohort.course for e in enrolments}
    modules_by_course = _modules_by_course(courses)
    all_modules = [m for modules in modules_by_course.values() for m in modules]
    modules_by_id = {m.pk: m for m in all_modules}
    required = _prerequisite_ids([m.pk for m in all_modules])
    progress_rows = ModuleProgress.objects.filter(enrolment__in=enrolments)
    progress: dict[tuple[int, int], ModuleProgress] = {
        (row.enrolment_id, row.module_id): row for row in progress_rows
    }
    training_days = _training_days([e.cohort_id for e in enrolments])
    today = timezone.localdate()

    results = []
    for enrolment in enrolments:
        course = enrolment.cohort.course
        rows = []
        for module in modules_by_course.get(course.path, []):
            row_progress = progress.get((enrolment.pk, module.pk))
            waiting_for = [
                modules_by_id[pid]
                for pid in required.get(module.pk, [])
                if pid in modules_by_id and not _is_complete(progress.get((enrolment.pk, pid)))
            ]
            if _is_complete(row_progress):
                status = ModuleStatus.COMPLETED
            elif waiting_for:
                status = ModuleStatus.CANNOT_START
            elif row_progress is not None:
                status = ModuleStatus.IN_PROGRESS
            else:
                status = ModuleStatus.NOT_STARTED
            waiting_for.sort(key=lambda m: m.path)
            rows.append(ModuleRow(module, status, row_progress, waiting_for))
        results.append(
            CourseProgress(
                enrolment=enrolment,
                course=course,
                modules=rows,
                next_training_day=_next_training_day(
                    training_days.get(enrolment.cohort_id, []), today
                ),
                training_days=training_days.get(enrolment.cohort_id, []),
            )
        )
    return results


def _is_complete(progress: ModuleProgress | None) -> bool:
    return progress is not None and progress.completed_at is not None


def _with_course(enrolments):
    return enrolments.select_related("user", "cohort", "cohort__course", "supervisor")


def trainee_progress_for_enrolment(*, enrolment: Enrolment) -> CourseProgress:
    """One trainee's module statuses on their course; for supervisors' pages too."""
    enrolment = _with_course(Enrolment.objects.filter(pk=enrolment.pk)).get()
    return course_progress_for_enrolments(enrolments=[enrolment])[0]


@dataclass(frozen=True)
class MyLearning:
    courses: list[CourseProgress]
    # Enrolments on hold: no modules to show, but the trainee is told why.
    deferred: list[Enrolment]


def my_learning_for_user(*, user: User) -> MyLearning:
    """The trainee home: every course the user is (or was) actively enrolled on, and any
    enrolment of theirs that is deferred. The enrolments come in one query."""
    enrolments = list(
        _with_course(
            Enrolment.objects.filter(
                user=user, status__in=(*LEARNING_STATUSES, Enrolment.Status.DEFERRED)
            )
        ).order_by("-cohort__start_date", "pk")
    )
    return MyLearning(
        courses=course_progress_for_enrolments(
            enrolments=[e for e in enrolments if e.status in LEARNING_STATUSES]
        ),
        deferred=[e for e in enrolments if e.status == Enrolment.Status.DEFERRED],
    )


def user_has_learning(*, user: User) -> bool:
    """Whether to offer "My learning"; cached on the user for the rest of the request."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_has_learning", None)
    if cached is None:
        cached = Enrolment.objects.filter(user=user, status__in=LEARNING_STATUSES).exists()
        user._has_learning = cached
    return cached


# Reflections ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReflectionEntry:
    module: ModulePage
    block_id: str
    question: str
    guidance: str
    answer: ReflectionAnswer | None


@dataclass
class ModuleReflections:
    module: ModulePage
    entries: list[ReflectionEntry]


def reflections_for_enrolment(*, enrolment: Enrolment) -> list[ModuleReflections]:
    """Each module's reflective questions with the trainee's answers, in course order.

    Three queries: the modules (with their bodies), the trainee's progress rows and the answers.
    Questions are read from the raw stream, so no document or embed is loaded.
    """
    course_path = (
        Cohort.objects.filter(pk=enrolment.cohort_id).values_list("course__path", flat=True).first()
    )
    if course_path is None:
        return []
    modules = ModulePage.objects.live().filter(_children_of_path(course_path)).order_by("path")
    answers = {
        (answer.progress.module_id, answer.block_id): answer
        for answer in ReflectionAnswer.objects.filter(progress__enrolment=enrolment).select_related(
            "progress"
        )
    }
    results = []
    for module in modules:
        entries = [
            ReflectionEntry(
                module=module,
                block_id=item.get("id"),
                question=item["value"].get("question", ""),
                guidance=item["value"].get("guidance", ""),
                answer=answers.get((module.pk, item.get("id"))),
            )
            for item in module.body.raw_data
            if item["type"] == "reflective_question"
        ]
        if entries:
            results.append(ModuleReflections(module=module, entries=entries))
    return results


# Course page ---------------------------------------------------------------------------------


def course_page_context(*, course: CoursePage, user: User) -> dict:
    """The public course page, plus the reader's own module statuses when they are enrolled."""
    context: dict = {"modules": list(course.modules()), "course_progress": None}
    if user.is_authenticated:
        enrolment = learning_enrolment(user=user, course_path=course.path)
        if enrolment is not None:
            enrolment.cohort.course = course
            context["course_progress"] = course_progress_for_enrolments(enrolments=[enrolment])[0]
    return context

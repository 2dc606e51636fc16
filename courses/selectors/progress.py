"""Reads for the learning experience: who may see a module's body, and how far a trainee has got.

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

from wagtail.models import Page

from learning_platform.accounts.models import User
from learning_platform.accounts.roles import Role
from learning_platform.accounts.selectors import user_has_role

from ..models import (
    Cohort,
    CoursePage,
    Enrolment,
    KnowledgeCheckAttempt,
    ModulePage,
    ModuleProgress,
    ReflectionAnswer,
    TrainingDay,
)

# Enrolments that open a course's module bodies to the trainee.
LEARNING_STATUSES = (Enrolment.Status.ACTIVE, Enrolment.Status.COMPLETED)


class Viewer(models.TextChoices):
    ANONYMOUS = "anonymous", "Not signed in"
    NOT_ENROLLED = "not_enrolled", "Not enrolled"
    TRAINEE = "trainee", "Enrolled trainee"
    SUPERVISOR = "supervisor", "Supervisor"
    STAFF = "staff", "Programme staff"


class ModuleStatus(models.TextChoices):
    CANNOT_START = "cannot_start", "Cannot start yet"
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"


STATUS_TAG_CLASSES = {
    ModuleStatus.CANNOT_START: "tag--grey",
    ModuleStatus.NOT_STARTED: "tag--blue",
    ModuleStatus.IN_PROGRESS: "tag--yellow",
    ModuleStatus.COMPLETED: "tag--green",
}


# Access --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModuleAccess:
    viewer: Viewer
    enrolment: Enrolment | None = None
    # Prerequisites the trainee has still to complete; only ever set for a trainee.
    waiting_for: tuple[ModulePage, ...] = ()

    @property
    def can_view_body(self) -> bool:
        if self.viewer == Viewer.TRAINEE:
            return not self.waiting_for
        return self.viewer in (Viewer.SUPERVISOR, Viewer.STAFF)

    @property
    def can_answer(self) -> bool:
        return self.viewer == Viewer.TRAINEE and not self.waiting_for


def user_is_programme_admin(user: User) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user_has_role(user=user, role=Role.PROGRAMME_ADMIN)


def _course_path(module: ModulePage) -> str:
    return module.path[: -ModulePage.steplen]


def _opening_enrolment(enrolments: Sequence[Enrolment]) -> Enrolment | None:
    """Of one course's enrolments, latest first, the one that opens it: an active one first."""
    for enrolment in enrolments:
        if enrolment.status == Enrolment.Status.ACTIVE:
            return enrolment
    return enrolments[0] if enrolments else None


def learning_enrolment(*, user: User, course_path: str) -> Enrolment | None:
    """The user's enrolment that opens this course: an active one first, then the latest."""
    return _opening_enrolment(
        list(
            Enrolment.objects.filter(
                user=user, status__in=LEARNING_STATUSES, cohort__course__path=course_path
            )
            .select_related("cohort")
            .order_by("-cohort__start_date", "-pk")
        )
    )


def modules_with_hidden_body(*, user: User) -> Q:
    """A filter on pages matching the modules whose body this person may not read, decided as
    ``module_access_for_user`` decides it module by module, in a fixed number of queries.

    Site search leaves these out, so a match in a module's body (its text, reflective questions
    and knowledge checks) never shows to someone who may read only its public overview.
    """
    every_module = Q(pk__in=ModulePage.objects.values("pk"))
    if not user.is_authenticated or not user.is_active:
        return every_module
    by_course: dict[str, list[Enrolment]] = defaultdict(list)
    for enrolment in (
        Enrolment.objects.filter(user=user, status__in=LEARNING_STATUSES)
        .annotate(course_path=models.F("cohort__course__path"))
        .order_by("-cohort__start_date", "-pk")
    ):
        by_course[enrolment.course_path].append(enrolment)
    opening = {path: _opening_enrolment(enrolments) for path, enrolments in by_course.items()}
    # A trainee sees a module's body once its published prerequisites are complete.
    waiting: set[int] = set()
    if opening:
        completed = set(
            ModuleProgress.objects.filter(
                enrolment__in=opening.values(), completed_at__isnull=False
            ).values_list("enrolment_id", "module_id")
        )
        edges = ModulePage.prerequisites.through.objects.filter(
            _within_courses(opening, prefix="from_modulepage__"), to_modulepage__live=True
        ).values_list("from_modulepage_id", "from_modulepage__path", "to_modulepage_id")
        for module_id, module_path, prerequisite_id in edges:
            enrolment = opening.get(module_path[: -ModulePage.steplen])
            if enrolment is not None and (enrolment.pk, prerequisite_id) not in completed:
                waiting.add(module_id)
    if user_is_programme_admin(user):
        return Q(pk__in=waiting)
    open_courses = set(opening) | set(
        Cohort.objects.filter(Q(supervisors=user) | Q(enrolments__supervisor=user))
        .values_list("course__path", flat=True)
        .distinct()
    )
    if not open_courses:
        return every_module
    return (every_module & ~_within_courses(open_courses)) | Q(pk__in=waiting)


def _within_courses(course_paths: Iterable[str], *, prefix: str = "") -> Q:
    within = Q()
    for path in course_paths:
        within |= Q(**{f"{prefix}path__startswith": path})
    return within


def incomplete_prerequisites(*, enrolment: Enrolment, module: ModulePage) -> list[ModulePage]:
    """Published prerequisites of the module that this enrolment has not completed, in order."""
    if not module.pk:
        return []
    completed = ModuleProgress.objects.filter(
        enrolment=enrolment, completed_at__isnull=False
    ).values("module_id")
    return list(
        ModulePage.objects.live()
        .filter(required_by=module)
        .exclude(pk__in=completed)
        .defer_streamfields()
        .order_by("path")
    )


def module_access_for_user(*, user: User, module: ModulePage) -> ModuleAccess:
    """The one place that decides what a person sees of a module."""
    if not user.is_authenticated:
        return ModuleAccess(viewer=Viewer.ANONYMOUS)
    course_path = _course_path(module) if module.path else ""
    # Staff and supervisors may also be enrolled; the trainee view is what lets them take part.
    enrolment = learning_enrolment(user=user, course_path=course_path) if course_path else None
    if enrolment is not None:
        waiting_for = incomplete_prerequisites(enrolment=enrolment, module=module)
        return ModuleAccess(
            viewer=Viewer.TRAINEE, enrolment=enrolment, waiting_for=tuple(waiting_for)
        )
    if user_is_programme_admin(user):
        return ModuleAccess(viewer=Viewer.STAFF)
    if course_path and user_supervises_course(user=user, course_path=course_path):
        return ModuleAccess(viewer=Viewer.SUPERVISOR)
    return ModuleAccess(viewer=Viewer.NOT_ENROLLED)


def user_supervises_course(*, user: User, course_path: str) -> bool:
    """A cohort supervisor, or the named supervisor of a trainee, in any cohort of the course."""
    return (
        Cohort.objects.filter(course__path=course_path)
        .filter(Q(supervisors=user) | Q(enrolments__supervisor=user))
        .exists()
    )


def join_page() -> Page | None:
    """The public enquiry form, if the site has one: where someone asks for a training place."""
    from wagtail.contrib.forms.models import AbstractForm

    return Page.objects.live().public().type(AbstractForm).order_by("path").first()


# Knowledge checks ----------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionFeedback:
    question: str
    chosen: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class CheckResult:
    correct_count: int
    question_count: int
    score_percent: int
    pass_mark: int
    passed: bool
    feedback: tuple[QuestionFeedback, ...]


def knowledge_check_result(*, check, answers: dict[int, int]) -> CheckResult:
    """Score a knowledge check. `answers` maps question index to the chosen option's index.

    Only the chosen options are explained, so the correct answer is not given away on a retry.
    """
    questions = list(check["questions"])
    feedback = []
    correct_count = 0
    for q_index, question in enumerate(questions):
        choices = list(question["choices"])
        chosen_index = answers.get(q_index)
        if chosen_index is None or not 0 <= chosen_index < len(choices):
            feedback.append(QuestionFeedback(question["question"], "", False, ""))
            continue
        choice = choices[chosen_index]
        is_correct = bool(choice["correct"])
        correct_count += is_correct
        feedback.append(
            QuestionFeedback(question["question"], choice["text"], is_correct, choice["feedback"])
        )
    score = (100 * correct_count) // len(questions) if questions else 0
    pass_mark = int(check["pass_mark"] if check["pass_mark"] is not None else 100)
    return CheckResult(
        correct_count=correct_count,
        question_count=len(questions),
        score_percent=score,
        pass_mark=pass_mark,
        passed=score >= pass_mark,
        feedback=tuple(feedback),
    )


def stored_answers(attempt: KnowledgeCheckAttempt) -> dict[int, int]:
    return {int(q): int(o) for q, o in (attempt.answers or {}).items()}


@dataclass
class ModuleWork:
    """A trainee's saved work on one module, keyed by block id."""

    progress: ModuleProgress | None
    reflections: dict[str, ReflectionAnswer] = field(default_factory=dict)
    latest_attempts: dict[str, KnowledgeCheckAttempt] = field(default_factory=dict)
    attempt_counts: dict[str, int] = field(default_factory=dict)
    passed_checks: set[str] = field(default_factory=set)


def module_work(*, progress: ModuleProgress | None) -> ModuleWork:
    """Two queries, whatever the number of attempts."""
    work = ModuleWork(progress=progress)
    if progress is None:
        return work
    for answer in ReflectionAnswer.objects.filter(progress=progress):
        work.reflections[answer.block_id] = answer
    attempts = KnowledgeCheckAttempt.objects.filter(progress=progress).order_by(
        "-created_at", "-pk"
    )
    for attempt in attempts:
        work.latest_attempts.setdefault(attempt.block_id, attempt)
        work.attempt_counts[attempt.block_id] = work.attempt_counts.get(attempt.block_id, 0) + 1
        if attempt.passed:
            work.passed_checks.add(attempt.block_id)
    return work


def knowledge_check_passed(*, enrolment: Enrolment, module: ModulePage, block_id: str) -> bool:
    """Whether any attempt at this check has passed; a later, lower score does not undo it."""
    return KnowledgeCheckAttempt.objects.filter(
        progress__enrolment=enrolment, progress__module=module, block_id=block_id, passed=True
    ).exists()


def module_progress_for(*, enrolment: Enrolment, module: ModulePage) -> ModuleProgress | None:
    return ModuleProgress.objects.filter(enrolment=enrolment, module=module).first()


def module_is_completed(*, enrolment: Enrolment, module: ModulePage) -> bool:
    return ModuleProgress.objects.filter(
        enrolment=enrolment, module=module, completed_at__isnull=False
    ).exists()


def module_after(module: ModulePage) -> ModulePage | None:
    """The course's next live module, in the order staff set in the page tree."""
    return module.get_next_siblings().live().type(ModulePage).specific().first()


# Progress across a course --------------------------------------------------------------------


@dataclass
class ModuleRow:
    module: ModulePage
    status: ModuleStatus
    progress: ModuleProgress | None = None
    waiting_for: list[ModulePage] = field(default_factory=list)

    @property
    def tag_class(self) -> str:
        return STATUS_TAG_CLASSES[self.status]

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
        by_course[_course_path(module)].append(module)
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


def course_progress_for_enrolments(enrolments: Sequence[Enrolment]) -> list[CourseProgress]:
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


def trainee_progress_for_enrolment(enrolment: Enrolment) -> CourseProgress:
    """One trainee's module statuses on their course; for supervisors' pages too."""
    enrolment = _with_course(Enrolment.objects.filter(pk=enrolment.pk)).get()
    return course_progress_for_enrolments([enrolment])[0]


@dataclass(frozen=True)
class MyLearning:
    courses: list[CourseProgress]
    # Enrolments on hold: no modules to show, but the trainee is told why.
    deferred: list[Enrolment]


def my_learning_for_user(user: User) -> MyLearning:
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
            [e for e in enrolments if e.status in LEARNING_STATUSES]
        ),
        deferred=[e for e in enrolments if e.status == Enrolment.Status.DEFERRED],
    )


def user_has_learning(user: User) -> bool:
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

    @property
    def answered_count(self) -> int:
        return sum(1 for entry in self.entries if entry.answer is not None)


def reflections_for_enrolment(enrolment: Enrolment) -> list[ModuleReflections]:
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
            context["course_progress"] = course_progress_for_enrolments([enrolment])[0]
    return context

"""Reads about one module: its place in the course, what stands before it, and a trainee's saved
work on it."""

from dataclasses import dataclass, field

from wagtail.models import Page

from ..models import Enrolment, KnowledgeCheckAttempt, ModulePage, ModuleProgress, ReflectionAnswer


def course_path_of(*, module: ModulePage) -> str:
    """The tree path of the course page the module sits under."""
    return module.path[: -ModulePage.steplen]


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


def join_page() -> Page | None:
    """The public enquiry form, if the site has one: where someone asks for a training place."""
    from wagtail.contrib.forms.models import AbstractForm

    return Page.objects.live().public().type(AbstractForm).order_by("path").first()


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


def module_after(*, module: ModulePage) -> ModulePage | None:
    """The course's next live module, in the order staff set in the page tree."""
    return module.get_next_siblings().live().type(ModulePage).specific().first()

"""Writes for a trainee's progress through a course's modules."""

from collections.abc import Callable
from typing import TypeVar

from django.db import transaction
from django.utils import timezone

from ..access import LEARNING_STATUSES
from ..exceptions import InvalidAnswerError, NotEnrolledError, PrerequisitesNotMetError
from ..learning_forms import REFLECTION_MAX_LENGTH
from ..models import (
    Enrolment,
    KnowledgeCheckAttempt,
    ModulePage,
    ModuleProgress,
    ReflectionAnswer,
)
from ..scoring import knowledge_check_result
from ..selectors.modules import incomplete_prerequisites

T = TypeVar("T")


def _check_can_work_on(*, enrolment: Enrolment, module: ModulePage) -> None:
    if enrolment.status not in LEARNING_STATUSES:
        raise NotEnrolledError("You are not enrolled on this course.")
    course_path = module.path[: -ModulePage.steplen]
    if not Enrolment.objects.filter(pk=enrolment.pk, cohort__course__path=course_path).exists():
        raise NotEnrolledError("This module is not part of your course.")
    waiting_for = incomplete_prerequisites(enrolment=enrolment, module=module)
    if waiting_for:
        titles = ", ".join(f"“{m.title}”" for m in waiting_for)
        raise PrerequisitesNotMetError(
            f"You cannot start this module yet. Complete {titles} first."
        )


def _progress_for_writing(*, enrolment: Enrolment, module: ModulePage) -> ModuleProgress:
    _check_can_work_on(enrolment=enrolment, module=module)
    progress, _ = ModuleProgress.objects.get_or_create(enrolment=enrolment, module=module)
    return progress


@transaction.atomic
def module_progress_start(*, enrolment: Enrolment, module: ModulePage) -> ModuleProgress:
    """Record that the trainee has opened the module; safe to call on every visit."""
    progress = _progress_for_writing(enrolment=enrolment, module=module)
    if progress.completed_at is None:
        # A module with nothing to answer is complete once it has been read.
        module_progress_recompute(progress=progress, module=module)
    return progress


def module_progress_recompute(*, progress: ModuleProgress, module: ModulePage) -> bool:
    """Mark the module complete when every check is passed and every reflection answered.

    Completion is set once: a later change to the module's content does not undo it.
    """
    if progress.completed_at is not None:
        return True
    check_ids, reflection_ids = module.required_block_ids()
    answered = set(
        ReflectionAnswer.objects.filter(progress=progress, block_id__in=reflection_ids)
        .exclude(answer="")
        .values_list("block_id", flat=True)
    )
    passed = set(
        KnowledgeCheckAttempt.objects.filter(
            progress=progress, block_id__in=check_ids, passed=True
        ).values_list("block_id", flat=True)
    )
    if answered < reflection_ids or passed < check_ids:
        return False
    now = timezone.now()
    # A conditional update, so two saves racing to complete the module set it only once.
    ModuleProgress.objects.filter(pk=progress.pk, completed_at__isnull=True).update(
        completed_at=now, updated_at=now
    )
    progress.refresh_from_db(fields=["completed_at", "updated_at"])
    return True


def _block(*, module: ModulePage, block_id: str, block_type: str, gone: str):
    block = module.find_block(block_id=block_id, block_type=block_type)
    if block is None:
        raise InvalidAnswerError(gone)
    return block


def _record_answer(
    *, enrolment: Enrolment, module: ModulePage, write: Callable[[ModuleProgress], T]
) -> T:
    """What every answer shares: check the trainee may work on the module, write the answer on
    their progress in it, and complete the module if that answer was the last one it needed."""
    progress = _progress_for_writing(enrolment=enrolment, module=module)
    answer = write(progress)
    module_progress_recompute(progress=progress, module=module)
    return answer


@transaction.atomic
def reflection_answer_save(
    *, enrolment: Enrolment, module: ModulePage, block_id: str, answer: str
) -> ReflectionAnswer:
    answer = answer.strip()
    if not answer:
        raise InvalidAnswerError("Enter your answer before saving it.")
    if len(answer) > REFLECTION_MAX_LENGTH:
        raise InvalidAnswerError(
            f"Your answer must be {REFLECTION_MAX_LENGTH:,} characters or fewer."
        )
    _block(
        module=module,
        block_id=block_id,
        block_type="reflective_question",
        gone="That question is no longer part of this module.",
    )

    def write(progress: ModuleProgress) -> ReflectionAnswer:
        reflection, _ = ReflectionAnswer.objects.update_or_create(
            progress=progress, block_id=block_id, defaults={"answer": answer}
        )
        return reflection

    return _record_answer(enrolment=enrolment, module=module, write=write)


@transaction.atomic
def knowledge_check_submit(
    *, enrolment: Enrolment, module: ModulePage, block_id: str, answers: dict[int, int]
) -> KnowledgeCheckAttempt:
    """Score and store an attempt. Every attempt is kept; a retry is simply another attempt."""
    block = _block(
        module=module,
        block_id=block_id,
        block_type="knowledge_check",
        gone="That knowledge check is no longer part of this module.",
    )
    questions = list(block.value["questions"])
    if set(answers) != set(range(len(questions))):
        raise InvalidAnswerError("Answer every question before submitting.")
    for q_index, o_index in answers.items():
        if not 0 <= o_index < len(questions[q_index]["choices"]):
            raise InvalidAnswerError(f"Select one of the answers given for question {q_index + 1}.")
    result = knowledge_check_result(check=block.value, answers=answers)

    def write(progress: ModuleProgress) -> KnowledgeCheckAttempt:
        return KnowledgeCheckAttempt.objects.create(
            progress=progress,
            block_id=block_id,
            answers={str(q): o for q, o in sorted(answers.items())},
            score_percent=result.score_percent,
            passed=result.passed,
        )

    return _record_answer(enrolment=enrolment, module=module, write=write)

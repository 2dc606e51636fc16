"""Writes for a trainee's progress through a course's modules."""

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
    if module.find_block(block_id=block_id, block_type="reflective_question") is None:
        raise InvalidAnswerError("That question is no longer part of this module.")
    progress = _progress_for_writing(enrolment=enrolment, module=module)
    reflection, _ = ReflectionAnswer.objects.update_or_create(
        progress=progress, block_id=block_id, defaults={"answer": answer}
    )
    module_progress_recompute(progress=progress, module=module)
    return reflection


@transaction.atomic
def knowledge_check_submit(
    *, enrolment: Enrolment, module: ModulePage, block_id: str, answers: dict[int, int]
) -> KnowledgeCheckAttempt:
    """Score and store an attempt. Every attempt is kept; a retry is simply another attempt."""
    block = module.find_block(block_id=block_id, block_type="knowledge_check")
    if block is None:
        raise InvalidAnswerError("That knowledge check is no longer part of this module.")
    questions = list(block.value["questions"])
    if set(answers) != set(range(len(questions))):
        raise InvalidAnswerError("Answer every question before submitting.")
    for q_index, o_index in answers.items():
        if not 0 <= o_index < len(questions[q_index]["choices"]):
            raise InvalidAnswerError(f"Select one of the answers given for question {q_index + 1}.")
    progress = _progress_for_writing(enrolment=enrolment, module=module)
    result = knowledge_check_result(check=block.value, answers=answers)
    attempt = KnowledgeCheckAttempt.objects.create(
        progress=progress,
        block_id=block_id,
        answers={str(q): o for q, o in sorted(answers.items())},
        score_percent=result.score_percent,
        passed=result.passed,
    )
    module_progress_recompute(progress=progress, module=module)
    return attempt

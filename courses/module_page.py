"""What a module page shows: who is looking, how far they are, and each block of the body with
the form, answer or result that goes with it.

Built in one place for the page served to a trainee (courses.views.learning.module_page) and for
Wagtail's preview (ModulePage.get_context).
"""

from dataclasses import dataclass
from typing import Any

from .access import ModuleAccess, Viewer, module_access_for_user
from .learning_forms import KnowledgeCheckForm, ReflectionForm
from .models import ModulePage, ModuleProgress
from .scoring import knowledge_check_result, stored_answers
from .selectors.modules import join_page, module_after, module_progress_for, module_work
from .selectors.progress import ModuleStatus


@dataclass
class BodyItem:
    """A block of the module body with what the page needs to show around it."""

    block: Any
    form: Any = None
    answer: Any = None
    result: Any = None
    attempt: Any = None
    attempt_count: int = 0
    # A check passed on an earlier attempt stays passed, whatever a later attempt scores.
    passed_before: bool = False


def module_page_context(
    *,
    user,
    module: ModulePage,
    access: ModuleAccess | None = None,
    progress: ModuleProgress | None = None,
    invalid_block_id: str | None = None,
    invalid_form=None,
) -> dict[str, Any]:
    """The module page's own context for this person.

    ``invalid_form`` is an answer that did not validate: it is shown, with its errors, in place
    of the blank form of block ``invalid_block_id``.
    """
    access = access or module_access_for_user(user=user, module=module)
    context: dict[str, Any] = {
        "access": access,
        # A module previewed before its first save has no place in the tree yet.
        "course": module.get_parent() if module.path else None,
        "invalid_form": invalid_form,
        "body_items": [],
        "progress": None,
        "status": None,
    }
    if access.viewer == Viewer.NOT_ENROLLED:
        context["join_page"] = join_page()
    if access.viewer == Viewer.TRAINEE and access.waiting_for:
        context["status"] = ModuleStatus.CANNOT_START
    if not access.can_view_body:
        return context

    work = None
    if access.can_answer:
        if progress is None:
            progress = module_progress_for(enrolment=access.enrolment, module=module)
        work = module_work(progress=progress)
        context["progress"] = progress
        if progress is None:
            context["status"] = ModuleStatus.NOT_STARTED
        elif progress.completed_at:
            context["status"] = ModuleStatus.COMPLETED
            context["next_module"] = module_after(module=module)
        else:
            context["status"] = ModuleStatus.IN_PROGRESS

    for block in module.body:
        item = BodyItem(block=block)
        if block.block_type == "reflective_question" and work is not None:
            item.answer = work.reflections.get(block.id)
            if block.id == invalid_block_id:
                item.form = invalid_form
            else:
                item.form = ReflectionForm(
                    block_id=block.id,
                    question=block.value["question"],
                    guidance=block.value["guidance"],
                    initial={"answer": item.answer.answer if item.answer else ""},
                )
        elif block.block_type == "knowledge_check" and work is not None:
            item.attempt = work.latest_attempts.get(block.id)
            item.attempt_count = work.attempt_counts.get(block.id, 0)
            item.passed_before = block.id in work.passed_checks
            if item.attempt is not None:
                item.result = knowledge_check_result(
                    check=block.value, answers=stored_answers(attempt=item.attempt)
                )
            if block.id == invalid_block_id:
                item.form = invalid_form
            else:
                item.form = KnowledgeCheckForm(block_id=block.id, check=block.value)
        context["body_items"].append(item)
    return context

"""The trainee's side of a course: module pages, answers, "My learning" and a progress record."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from ..access import ModuleAccess, Viewer, get_enrolment_for_user, module_access_for_user
from ..exceptions import CourseError
from ..learning_forms import KnowledgeCheckForm, ReflectionForm
from ..models import ModulePage, ModuleProgress
from ..scoring import knowledge_check_result, stored_answers
from ..selectors.modules import (
    join_page,
    knowledge_check_passed,
    module_after,
    module_is_completed,
    module_progress_for,
    module_work,
)
from ..selectors.progress import (
    ModuleStatus,
    my_learning_for_user,
    reflections_for_enrolment,
    trainee_progress_for_enrolment,
)
from ..services.progress import (
    knowledge_check_submit,
    module_progress_start,
    reflection_answer_save,
)


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


def module_serve(request: HttpRequest, module: ModulePage, **kwargs) -> HttpResponse:
    access = kwargs.pop("access", None) or module_access_for_user(user=request.user, module=module)
    if access.can_answer and not getattr(request, "is_preview", False):
        try:
            kwargs["progress"] = module_progress_start(enrolment=access.enrolment, module=module)
        except CourseError as error:
            messages.error(request, str(error))
    return TemplateResponse(
        request,
        module.get_template(request),
        module.get_context(request, access=access, **kwargs),
    )


def module_context(
    request: HttpRequest,
    module: ModulePage,
    *,
    access: ModuleAccess | None = None,
    invalid_block_id: str | None = None,
    invalid_form=None,
    progress: ModuleProgress | None = None,
) -> dict:
    access = access or module_access_for_user(user=request.user, module=module)
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
            context["next_module"] = module_after(module)
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
                    check=block.value, answers=stored_answers(item.attempt)
                )
            if block.id == invalid_block_id:
                item.form = invalid_form
            else:
                item.form = KnowledgeCheckForm(block_id=block.id, check=block.value)
        context["body_items"].append(item)
    return context


def _module_for_answer(request: HttpRequest, page_id: int) -> tuple[ModulePage, ModuleAccess]:
    module = get_object_or_404(ModulePage.objects.live().public(), pk=page_id)
    access = module_access_for_user(user=request.user, module=module)
    # Someone who may not see the body may not learn from this URL that it has questions.
    if not access.can_view_body and access.viewer != Viewer.TRAINEE:
        raise Http404
    return module, access


def _refuse(request: HttpRequest, module: ModulePage, access: ModuleAccess) -> HttpResponse | None:
    if access.viewer != Viewer.TRAINEE:
        messages.error(request, "Only trainees enrolled on this course can save answers.")
        return redirect(module.url)
    if access.waiting_for:
        titles = ", ".join(f"“{m.title}”" for m in access.waiting_for)
        messages.error(request, f"You cannot start this module yet. Complete {titles} first.")
        return redirect(module.url)
    return None


def _back_to_block(
    request: HttpRequest, module: ModulePage, access: ModuleAccess, block_id: str
) -> HttpResponse:
    """A GET on an answer URL: someone signed out while idle signs back in and is sent here
    (the form they posted was lost with the session). Access was checked as for a POST; send
    them to the question, saying the answer was not saved."""
    if access.viewer == Viewer.TRAINEE and access.can_answer:
        messages.warning(
            request,
            "Your answer was not saved: you may have been signed out before you sent it. "
            "Enter it again below.",
        )
    return redirect(f"{module.url}#block-{block_id}")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def reflection_save(request: HttpRequest, page_id: int, block_id: str) -> HttpResponse:
    module, access = _module_for_answer(request, page_id)
    block = module.find_block(block_id=block_id, block_type="reflective_question")
    if block is None:
        raise Http404
    if request.method != "POST":
        return _back_to_block(request, module, access, block_id)
    refused = _refuse(request, module, access)
    if refused:
        return refused
    form = ReflectionForm(
        request.POST,
        block_id=block_id,
        question=block.value["question"],
        guidance=block.value["guidance"],
    )
    if not form.is_valid():
        return module_serve(
            request, module, access=access, invalid_block_id=block_id, invalid_form=form
        )
    was_completed = module_is_completed(enrolment=access.enrolment, module=module)
    try:
        reflection_answer_save(
            enrolment=access.enrolment,
            module=module,
            block_id=block_id,
            answer=form.cleaned_data["answer"],
        )
    except CourseError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            "Your answer has been saved." + _completion_news(access, module, was_completed),
        )
    return redirect(f"{module.url}#block-{block_id}")


def _completion_news(access: ModuleAccess, module: ModulePage, was_completed: bool) -> str:
    """A sentence for the message when this answer completed the module."""
    if was_completed or not module_is_completed(enrolment=access.enrolment, module=module):
        return ""
    return f" You have completed “{module.title}”."


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def knowledge_check_answer(request: HttpRequest, page_id: int, block_id: str) -> HttpResponse:
    module, access = _module_for_answer(request, page_id)
    block = module.find_block(block_id=block_id, block_type="knowledge_check")
    if block is None:
        raise Http404
    if request.method != "POST":
        return _back_to_block(request, module, access, block_id)
    refused = _refuse(request, module, access)
    if refused:
        return refused
    form = KnowledgeCheckForm(request.POST, block_id=block_id, check=block.value)
    if not form.is_valid():
        return module_serve(
            request, module, access=access, invalid_block_id=block_id, invalid_form=form
        )
    was_completed = module_is_completed(enrolment=access.enrolment, module=module)
    passed_before = knowledge_check_passed(
        enrolment=access.enrolment, module=module, block_id=block_id
    )
    try:
        attempt = knowledge_check_submit(
            enrolment=access.enrolment, module=module, block_id=block_id, answers=form.answers()
        )
    except CourseError as error:
        messages.error(request, str(error))
    else:
        if attempt.passed:
            messages.success(
                request,
                f"You scored {attempt.score_percent}% and passed."
                + _completion_news(access, module, was_completed),
            )
        elif passed_before:
            messages.info(
                request,
                f"You scored {attempt.score_percent}% this time. You passed this check on an "
                "earlier attempt, so it still counts as passed.",
            )
        else:
            messages.info(
                request,
                f"You scored {attempt.score_percent}%. Read the feedback and try again.",
            )
    return redirect(f"{module.url}#block-{block_id}")


@login_required
def my_learning(request: HttpRequest) -> HttpResponse:
    learning = my_learning_for_user(request.user)
    return render(
        request,
        "courses/my_learning.html",
        {
            "courses": learning.courses,
            "deferred": learning.deferred,
            "join_page": None if learning.courses or learning.deferred else join_page(),
        },
    )


@login_required
def enrolment_progress(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = get_enrolment_for_user(request.user, enrolment_id)
    return render(
        request,
        "courses/enrolment_progress.html",
        {
            "enrolment": enrolment,
            "course_progress": trainee_progress_for_enrolment(enrolment),
            "module_reflections": reflections_for_enrolment(enrolment),
            "is_own": enrolment.user_id == request.user.pk,
        },
    )

"""The trainee's side of a course: module pages, answers, "My learning" and a progress record."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from wagtail.models import Page

from ..access import ModuleAccess, Viewer, get_enrolment_for_user, module_access_for_user
from ..exceptions import CourseError
from ..learning_forms import KnowledgeCheckForm, ReflectionForm
from ..models import ModulePage
from ..module_page import module_page_context
from ..selectors.modules import join_page, knowledge_check_passed, module_is_completed
from ..selectors.progress import (
    my_learning_for_user,
    reflections_for_enrolment,
    trainee_progress_for_enrolment,
)
from ..services.progress import (
    knowledge_check_submit,
    module_progress_start,
    reflection_answer_save,
)


def module_page(
    request: HttpRequest,
    module: ModulePage,
    *,
    access: ModuleAccess | None = None,
    invalid_block_id: str | None = None,
    invalid_form=None,
) -> TemplateResponse:
    """A module page (ModulePage.serve comes here). A trainee who may answer starts the module
    by opening it. An answer that did not validate comes back here to be shown with its errors.
    """
    access = access or module_access_for_user(user=request.user, module=module)
    progress = None
    if access.can_answer and not getattr(request, "is_preview", False):
        try:
            progress = module_progress_start(enrolment=access.enrolment, module=module)
        except CourseError as error:
            messages.error(request, str(error))
    # Wagtail's context for every page (page, self, request), then the module's own.
    context = Page.get_context(module, request)
    context.update(
        module_page_context(
            user=request.user,
            module=module,
            access=access,
            progress=progress,
            invalid_block_id=invalid_block_id,
            invalid_form=invalid_form,
        )
    )
    return TemplateResponse(request, module.get_template(request), context)


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
        return module_page(
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
        return module_page(
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
    learning = my_learning_for_user(user=request.user)
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
            "course_progress": trainee_progress_for_enrolment(enrolment=enrolment),
            "module_reflections": reflections_for_enrolment(enrolment=enrolment),
            "is_own": enrolment.user_id == request.user.pk,
        },
    )

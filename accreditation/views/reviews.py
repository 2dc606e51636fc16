"""The supervised review: My review, a review's task list, a stage page with its evidence,
register and history, the stage transitions, the registers' forms and the supervisor's queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from learning_platform.accounts.roles import user_is_supervisor

from .. import access
from ..exceptions import TransitionError
from ..forms import EpisodeForm, EvidenceFileForm, EvidenceNoteForm, PatternForm, StageCommentForm
from ..models import (
    ContributoryFactorCategory,
    KeyPracticeEpisode,
    ReviewStage,
    StageDefinition,
    UnderlyingPattern,
)
from ..selectors import reviews as selectors
from ..services import registers, stages

Register = StageDefinition.Register


def _stage_url(stage: ReviewStage) -> str:
    return reverse("accreditation:stage_detail", args=[stage.pk])


# Comment forms for each transition: (label, required, hint).
_COMMENT_FORMS = {
    "submit": ("Note for your supervisor", False, "Optional. What you would like them to look at."),
    "approve": ("Comment", False, "Optional. Kept in the stage's history."),
    "request_changes": (
        "What needs to change",
        True,
        "The trainee sees this feedback on the stage page.",
    ),
    "reopen": ("Reason for reopening", True, "Kept in the stage's history."),
}


def comment_form(action: str, data=None) -> StageCommentForm:
    label, required, hint = _COMMENT_FORMS[action]
    return StageCommentForm(data, label=label, required=required, help_text=hint, prefix=action)


def render_stage(request: HttpRequest, stage: ReviewStage, **bound_forms) -> HttpResponse:
    """The stage page; a view that failed to validate a form passes it in to show its errors."""
    review = stage.review
    actions = selectors.stage_actions_for(request.user, stage)
    reopen_refusal = selectors.stage_reopen_refusal(review) if actions["reopen"] else None
    if reopen_refusal:
        actions["reopen"] = False
    held_back_by = None
    if stage.status == ReviewStage.Status.SUBMITTED:
        held_back_by = selectors.stage_held_back_by(stage)
    if held_back_by is not None:
        actions["approve"] = False
    context = {
        "reopen_refusal": reopen_refusal,
        "held_back_by": held_back_by,
        "supervises": request.user.pk == review.supervisor_id,
        "review": review,
        "stage": stage,
        "definition": stage.definition,
        "evidence": selectors.stage_evidence(stage),
        "history": selectors.stage_history(stage),
        "actions": actions,
        "note_form": bound_forms.get("note_form") or EvidenceNoteForm(),
        "file_form": bound_forms.get("file_form") or EvidenceFileForm(),
        "forms_with_errors": [form for form in bound_forms.values() if form.errors],
    }
    for action in _COMMENT_FORMS:
        context[f"{action}_form"] = bound_forms.get(f"{action}_form") or comment_form(action)
    register = stage.definition.register
    if register in (Register.KEY_PRACTICE_EPISODES, Register.UNDERLYING_PATTERNS):
        context["episodes"] = selectors.review_episodes(review)
    if register == Register.UNDERLYING_PATTERNS:
        context["patterns"] = selectors.review_patterns(review)
    if actions["edit"]:
        register_entries = context.get("patterns", context.get("episodes"))
        context["still_needed"] = selectors.stage_still_needed(
            stage,
            evidence_count=len(context["evidence"]),
            register_count=None if register_entries is None else len(register_entries),
        )
    return render(request, "accreditation/stage/stage_detail.html", context)


# Reviews ------------------------------------------------------------------------------------


@login_required
def my_review(request: HttpRequest) -> HttpResponse:
    review = selectors.review_for_trainee(request.user)
    if review is None:
        review = selectors.reviews_as_reviewer(request.user).order_by("-start_date").first()
    if review is not None:
        return redirect("accreditation:review_detail", pk=review.pk)
    return render(
        request,
        "accreditation/review/my_review_empty.html",
        {"is_supervisor": user_is_supervisor(request.user)},
    )


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = access.get_review_for_user(request.user, pk)
    stages_list = selectors.review_stages(review)
    user = request.user
    return render(
        request,
        "accreditation/review/review_detail.html",
        {
            "review": review,
            "stages": stages_list,
            "approved_count": sum(s.status == ReviewStage.Status.APPROVED for s in stages_list),
            "works_on": access.user_works_on_review(user, review),
            "supervises": access.user_supervises_review(user, review),
        },
    )


@login_required
def supervisor_queue(request: HttpRequest) -> HttpResponse:
    if not user_is_supervisor(request.user):
        raise Http404
    return render(
        request,
        "accreditation/review/supervisor_queue.html",
        {
            "waiting": selectors.stages_waiting_for_supervisor(request.user),
            "reviews": selectors.reviews_supervised_by(request.user),
        },
    )


# Stages -------------------------------------------------------------------------------------


@login_required
def stage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_stage(request, access.get_stage_for_user(request.user, pk))


def _transition(request: HttpRequest, pk: int, action: str, service, success: str):
    stage = access.get_stage_for_user(request.user, pk)
    form = comment_form(action, request.POST)
    if not form.is_valid():
        return render_stage(request, stage, **{f"{action}_form": form})
    try:
        kwargs = {"reason": form.cleaned_data["comment"]} if action == "reopen" else {}
        if action != "reopen":
            kwargs["comment"] = form.cleaned_data["comment"]
        service(stage=stage, user=request.user, **kwargs)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect(_stage_url(stage))


@login_required
@require_POST
def stage_start(request: HttpRequest, pk: int) -> HttpResponse:
    stage = access.get_stage_for_user(request.user, pk)
    try:
        stages.stage_start(stage=stage, user=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "You have started this stage.")
    return redirect(_stage_url(stage))


@login_required
@require_POST
def stage_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(
        request,
        pk,
        "submit",
        stages.stage_submit,
        "Stage submitted. Your supervisor can now sign it off.",
    )


@login_required
@require_POST
def stage_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "approve", stages.stage_approve, "Stage approved.")


@login_required
@require_POST
def stage_request_changes(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(
        request,
        pk,
        "request_changes",
        stages.stage_request_changes,
        "Stage sent back to the trainee with your feedback.",
    )


@login_required
@require_POST
def stage_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(
        request,
        pk,
        "reopen",
        stages.stage_reopen,
        "Stage reopened. The trainee can change it again.",
    )


# Registers ----------------------------------------------------------------------------------


def _register_stage_for_reviewer(request: HttpRequest, pk: int, register: str) -> ReviewStage:
    stage = access.get_stage_for_user(request.user, pk)
    if stage.definition.register != register or not access.user_works_on_review(
        request.user, stage.review
    ):
        raise Http404
    return stage


def already_removed(
    request: HttpRequest, model, pk: int, what: str, anchor: str = "evidence"
) -> HttpResponse:
    """A second click on a Remove button finds the row gone: say so on the stage page the form
    came from, rather than answering 404. Anyone who may not see that stage still gets 404."""
    stage_pk = request.POST.get("stage", "")
    if model.objects.filter(pk=pk).exists() or not stage_pk.isdigit():
        raise Http404
    stage = access.get_stage_for_user(request.user, int(stage_pk))
    messages.info(request, f"That {what} had already been removed.")
    return redirect(f"{_stage_url(stage)}#{anchor}")


def _refuse(request: HttpRequest, stage: ReviewStage, error: TransitionError) -> HttpResponse:
    messages.error(request, str(error))
    return redirect(_stage_url(stage))


def _categories() -> list[ContributoryFactorCategory]:
    return list(ContributoryFactorCategory.objects.all())


def _episode_form_page(request, stage, form, episode=None) -> HttpResponse:
    return render(
        request,
        "accreditation/stage/episode_form.html",
        {"stage": stage, "review": stage.review, "form": form, "episode": episode},
    )


@login_required
@require_http_methods(["GET", "POST"])
def episode_add(request: HttpRequest, pk: int) -> HttpResponse:
    stage = _register_stage_for_reviewer(request, pk, Register.KEY_PRACTICE_EPISODES)
    form = EpisodeForm(request.POST or None, categories=_categories())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registers.episode_create(
                stage=stage,
                user=request.user,
                title=data["title"],
                what_happened=data["what_happened"],
                when=data["when"],
                agencies=data["agencies"],
                assessment=data["assessment"],
                factors=form.factors(),
            )
        except TransitionError as error:
            # Shown on the form, so nothing the trainee typed is lost.
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Key practice episode “{data['title']}” added.")
            return redirect(_stage_url(stage) + "#register")
    return _episode_form_page(request, stage, form)


@login_required
@require_http_methods(["GET", "POST"])
def episode_edit(request: HttpRequest, pk: int) -> HttpResponse:
    episode = access.get_episode_for_reviewer(request.user, pk)
    stage = registers.register_stage(
        review_id=episode.review_id, register=Register.KEY_PRACTICE_EPISODES
    )
    stage = access.get_stage_for_user(request.user, stage.pk)
    form = EpisodeForm(
        request.POST or None,
        categories=_categories(),
        initial=EpisodeForm.initial_for(episode),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registers.episode_update(
                episode=episode,
                user=request.user,
                title=data["title"],
                what_happened=data["what_happened"],
                when=data["when"],
                agencies=data["agencies"],
                assessment=data["assessment"],
                factors=form.factors(),
            )
        except TransitionError as error:
            # Shown on the form, so nothing the trainee typed is lost.
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Key practice episode “{data['title']}” saved.")
            return redirect(_stage_url(stage) + "#register")
    return _episode_form_page(request, stage, form, episode)


@login_required
@require_POST
def episode_delete(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        episode = access.get_episode_for_reviewer(request.user, pk)
    except Http404:
        return already_removed(request, KeyPracticeEpisode, pk, "key practice episode", "register")
    stage = registers.register_stage(
        review_id=episode.review_id, register=Register.KEY_PRACTICE_EPISODES
    )
    try:
        registers.episode_delete(episode=episode, user=request.user)
    except TransitionError as error:
        return _refuse(request, stage, error)
    messages.success(request, f"Key practice episode “{episode.title}” removed.")
    return redirect(_stage_url(stage) + "#register")


def _pattern_form_page(request, stage, form, pattern=None) -> HttpResponse:
    return render(
        request,
        "accreditation/stage/pattern_form.html",
        {"stage": stage, "review": stage.review, "form": form, "pattern": pattern},
    )


def _pattern_kwargs(data: dict) -> dict:
    return {
        "title": data["title"],
        "description": data["description"],
        "pattern_type": data["pattern_type"],
        "priority": data["priority"],
        "episodes": data["episodes"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def pattern_add(request: HttpRequest, pk: int) -> HttpResponse:
    stage = _register_stage_for_reviewer(request, pk, Register.UNDERLYING_PATTERNS)
    form = PatternForm(request.POST or None, review=stage.review)
    if request.method == "POST" and form.is_valid():
        try:
            registers.pattern_create(
                stage=stage, user=request.user, **_pattern_kwargs(form.cleaned_data)
            )
        except TransitionError as error:
            # Shown on the form, so nothing the trainee typed is lost.
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Underlying pattern “{form.cleaned_data['title']}” added.")
            return redirect(_stage_url(stage) + "#register")
    return _pattern_form_page(request, stage, form)


@login_required
@require_http_methods(["GET", "POST"])
def pattern_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pattern = access.get_pattern_for_reviewer(request.user, pk)
    stage = registers.register_stage(
        review_id=pattern.review_id, register=Register.UNDERLYING_PATTERNS
    )
    stage = access.get_stage_for_user(request.user, stage.pk)
    initial = {
        "title": pattern.title,
        "description": pattern.description,
        "pattern_type": pattern.pattern_type_id,
        "priority": pattern.priority,
        "episodes": list(pattern.episodes.values_list("pk", flat=True)),
    }
    form = PatternForm(request.POST or None, review=stage.review, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            registers.pattern_update(
                pattern=pattern, user=request.user, **_pattern_kwargs(form.cleaned_data)
            )
        except TransitionError as error:
            # Shown on the form, so nothing the trainee typed is lost.
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Underlying pattern “{form.cleaned_data['title']}” saved.")
            return redirect(_stage_url(stage) + "#register")
    return _pattern_form_page(request, stage, form, pattern)


@login_required
@require_POST
def pattern_delete(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        pattern = access.get_pattern_for_reviewer(request.user, pk)
    except Http404:
        return already_removed(request, UnderlyingPattern, pk, "underlying pattern", "register")
    stage = registers.register_stage(
        review_id=pattern.review_id, register=Register.UNDERLYING_PATTERNS
    )
    try:
        registers.pattern_delete(pattern=pattern, user=request.user)
    except TransitionError as error:
        return _refuse(request, stage, error)
    messages.success(request, f"Underlying pattern “{pattern.title}” removed.")
    return redirect(_stage_url(stage) + "#register")

"""The supervised review: My review, a review's task list, a stage page with its evidence,
register and history, the stage transitions and the registers' forms."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from learning_platform.accounts.roles import user_is_supervisor

from .. import access
from ..exceptions import TransitionError
from ..forms import (
    EpisodeForm,
    EpisodeOrderForm,
    EvidenceFileForm,
    EvidenceNoteForm,
    FindingForm,
    StageCommentForm,
)
from ..models import (
    Finding,
    KeyPracticeEpisode,
    ReviewStage,
    StageDefinition,
)
from ..selectors import reviews as selectors
from ..selectors.clock import review_clock
from ..selectors.conduct import conduct_counts
from ..selectors.expectations import review_expectations, type_expectations
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
    actions = selectors.stage_actions_for(user=request.user, stage=stage)
    reopen_refusal = selectors.stage_reopen_refusal(review=review) if actions["reopen"] else None
    if reopen_refusal:
        actions["reopen"] = False
    held_back_by = None
    if stage.status == ReviewStage.Status.SUBMITTED:
        held_back_by = selectors.stage_held_back_by(stage=stage)
    if held_back_by is not None:
        actions["approve"] = False
    context = {
        "reopen_refusal": reopen_refusal,
        "held_back_by": held_back_by,
        "supervises": request.user.pk == review.supervisor_id,
        "review": review,
        "stage": stage,
        "definition": stage.definition,
        "evidence": selectors.stage_evidence(stage=stage),
        "history": selectors.stage_history(stage=stage),
        "actions": actions,
        "note_form": bound_forms.get("note_form") or EvidenceNoteForm(),
        "file_form": bound_forms.get("file_form") or EvidenceFileForm(),
        "forms_with_errors": [form for form in bound_forms.values() if form.errors],
        "expectations": review_expectations(review=review),
    }
    for action in _COMMENT_FORMS:
        context[f"{action}_form"] = bound_forms.get(f"{action}_form") or comment_form(action)
    register = stage.definition.register
    if register in (Register.KEY_PRACTICE_EPISODES, Register.FINDINGS):
        # The conversations an episode rests on name case-group members: only those who read
        # the review's records see them (not programme staff).
        reads_records = access.user_reads_review_records(request.user, review)
        context["show_conversations"] = reads_records
        context["episodes"] = selectors.review_episodes(
            review=review, with_conversations=reads_records
        )
    if register == Register.FINDINGS:
        context["findings"] = selectors.review_findings(review=review)
    if actions["edit"]:
        register_entries = context.get("findings", context.get("episodes"))
        context["still_needed"] = selectors.stage_still_needed(
            stage=stage,
            evidence_count=len(context["evidence"]),
            register_count=None if register_entries is None else len(register_entries),
            findings=context.get("findings"),
        )
    return render(request, "accreditation/stage/stage_detail.html", context)


# Reviews ------------------------------------------------------------------------------------


@login_required
def my_review(request: HttpRequest) -> HttpResponse:
    review = selectors.review_for_trainee(user=request.user)
    if review is None:
        review = selectors.reviews_as_reviewer(user=request.user).order_by("-start_date").first()
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
    stages_list = selectors.review_stages(review=review)
    user = request.user
    reads_records = access.user_reads_review_records(user, review)
    return render(
        request,
        "accreditation/review/review_detail.html",
        {
            "review": review,
            "stages": stages_list,
            "approved_count": sum(s.status == ReviewStage.Status.APPROVED for s in stages_list),
            "works_on": access.user_works_on_review(user, review),
            "supervises": access.user_supervises_review(user, review),
            "conduct": conduct_counts(review=review) if reads_records else None,
            **_review_details_context(user, review, stages_list),
        },
    )


def _review_details_context(user, review, stages_list) -> dict:
    """What "About the review" shows of its type, clock, milestones and cases."""
    review_type = review.review_type
    return {
        "clock": review_clock(review=review, stages=stages_list, today=timezone.localdate()),
        "type_expectations": type_expectations(review_type=review_type),
        "cases": list(review.cases.all()) if review_type.covers_several_cases else [],
        "keeps_records": access.user_keeps_review_records(user, review),
    }


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


@dataclass(frozen=True)
class RegisterKind:
    """One stage register's pages: what differs between adding, changing and removing a key
    practice episode and a finding."""

    register: str
    label: str  # starts the success messages: "Key practice episode “…” added."
    model: type[KeyPracticeEpisode] | type[Finding]
    name: str  # the entry's keyword in the update and delete services
    form: type[EpisodeForm] | type[FindingForm]
    heading: str  # "Add a key practice episode", "Change a key practice episode"
    fields_template: str
    get_for_reviewer: Callable[..., Any]
    create: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., Any]


EPISODES = RegisterKind(
    register=Register.KEY_PRACTICE_EPISODES,
    label="Key practice episode",
    model=KeyPracticeEpisode,
    name="episode",
    form=EpisodeForm,
    heading="a key practice episode",
    fields_template="accreditation/stage/_episode_fields.html",
    get_for_reviewer=access.get_episode_for_reviewer,
    create=registers.episode_create,
    update=registers.episode_update,
    delete=registers.episode_delete,
)
FINDINGS = RegisterKind(
    register=Register.FINDINGS,
    label="Finding",
    model=Finding,
    name="finding",
    form=FindingForm,
    heading="a finding",
    fields_template="accreditation/stage/_finding_fields.html",
    get_for_reviewer=access.get_finding_for_reviewer,
    create=registers.finding_create,
    update=registers.finding_update,
    delete=registers.finding_delete,
)


def _entry_form(request: HttpRequest, kind: RegisterKind, stage: ReviewStage, entry=None):
    """The add and change pages: the form, and on a valid POST the service."""
    form = kind.form(request.POST or None, stage=stage, entry=entry)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        try:
            if entry is None:
                kind.create(stage=stage, user=request.user, **values)
            else:
                kind.update(**{kind.name: entry}, user=request.user, **values)
        except TransitionError as error:
            # Shown on the form, so nothing the trainee typed is lost.
            form.add_error(None, str(error))
        else:
            done = "added" if entry is None else "saved"
            messages.success(request, f"{kind.label} “{values['title']}” {done}.")
            return redirect(_stage_url(stage) + "#register")
    context = {"stage": stage, "review": stage.review, "form": form, "entry": entry, "kind": kind}
    return render(request, "accreditation/stage/register_entry_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def register_entry_add(request: HttpRequest, pk: int, kind: RegisterKind) -> HttpResponse:
    stage = _register_stage_for_reviewer(request, pk, kind.register)
    return _entry_form(request, kind, stage)


@login_required
@require_http_methods(["GET", "POST"])
def register_entry_edit(request: HttpRequest, pk: int, kind: RegisterKind) -> HttpResponse:
    entry = kind.get_for_reviewer(request.user, pk)
    stage = registers.register_stage(review_id=entry.review_id, register=kind.register)
    stage = access.get_stage_for_user(request.user, stage.pk)
    return _entry_form(request, kind, stage, entry)


@login_required
@require_POST
def register_entry_delete(request: HttpRequest, pk: int, kind: RegisterKind) -> HttpResponse:
    try:
        entry = kind.get_for_reviewer(request.user, pk)
    except Http404:
        return already_removed(request, kind.model, pk, kind.label.lower(), "register")
    stage = registers.register_stage(review_id=entry.review_id, register=kind.register)
    try:
        kind.delete(**{kind.name: entry}, user=request.user)
    except TransitionError as error:
        return _refuse(request, stage, error)
    messages.success(request, f"{kind.label} “{entry.title}” removed.")
    return redirect(_stage_url(stage) + "#register")


@login_required
@require_POST
def episode_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move an episode one place up or down; the episodes are renumbered to follow."""
    episode = access.get_episode_for_reviewer(request.user, pk)
    stage = registers.register_stage(review_id=episode.review_id, register=EPISODES.register)
    form = EpisodeOrderForm(request.POST)
    if not form.is_valid():
        return _refuse(request, stage, TransitionError("Choose to move the episode up or down."))
    by = -1 if form.cleaned_data["direction"] == "up" else 1
    try:
        registers.episode_move(episode=episode, user=request.user, by=by)
    except TransitionError as error:
        return _refuse(request, stage, error)
    episode.refresh_from_db(fields=["sort_order"])
    messages.success(request, f"“{episode.title}” is now {episode.label}.")
    return redirect(f"{_stage_url(stage)}#episode-{episode.pk}")

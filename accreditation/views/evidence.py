"""Evidence on a stage: add a note, change a note, upload a file, remove (after a confirmation
page), and download through a permission check (never a public URL)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import access
from ..exceptions import TransitionError
from ..forms import EvidenceFileForm, EvidenceNoteForm
from ..models import Evidence
from ..selectors.reviews import stage_change_refusal
from ..services import evidence as services
from .downloads import private_download
from .reviews import already_removed, render_stage


def _stage_url(stage) -> str:
    return reverse("accreditation:stage_detail", args=[stage.pk]) + "#evidence"


@dataclass(frozen=True)
class EvidenceKind:
    """What differs between adding a note and uploading a file on the stage page."""

    form: type[EvidenceNoteForm] | type[EvidenceFileForm]
    form_name: str  # the stage page's name for the form, to show it again with its errors
    add: Callable[..., Evidence]
    content: str  # the service's keyword for what the form's `content_field` holds
    content_field: str
    done: str  # "Note “{title}” added."
    # A refused note is shown again with the form, so nothing typed is lost; a browser cannot
    # be handed a file to send again, so a refused upload is reported on the stage page.
    refusal_on_form: bool


NOTE = EvidenceKind(
    form=EvidenceNoteForm,
    form_name="note_form",
    add=services.evidence_add_note,
    content="note",
    content_field="note",
    done="Note “{title}” added.",
    refusal_on_form=True,
)
FILE = EvidenceKind(
    form=EvidenceFileForm,
    form_name="file_form",
    add=services.evidence_add_file,
    content="upload",
    content_field="file",
    done="File “{title}” uploaded.",
    refusal_on_form=False,
)


@login_required
@require_POST
def evidence_add(request: HttpRequest, pk: int, kind: EvidenceKind) -> HttpResponse:
    stage = access.get_stage_for_user(request.user, pk)
    form = kind.form(request.POST, request.FILES)
    if not form.is_valid():
        return render_stage(request, stage, **{kind.form_name: form})
    title = form.cleaned_data["title"]
    try:
        kind.add(
            stage=stage,
            user=request.user,
            title=title,
            **{kind.content: form.cleaned_data[kind.content_field]},
        )
    except TransitionError as error:
        if kind.refusal_on_form:
            form.add_error(None, str(error))
            return render_stage(request, stage, **{kind.form_name: form})
        messages.error(request, str(error))
    else:
        messages.success(request, kind.done.format(title=title))
    return redirect(_stage_url(stage))


def _evidence_page(request: HttpRequest, template: str, evidence: Evidence, **context):
    stage = evidence.stage
    return render(
        request,
        f"accreditation/evidence/{template}",
        {"evidence": evidence, "stage": stage, "review": stage.review, **context},
    )


@login_required
@require_http_methods(["GET", "POST"])
def evidence_edit_note(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = access.get_evidence_for_user(request.user, pk)
    if evidence.kind != Evidence.Kind.NOTE:
        raise Http404
    if request.method == "GET":
        # A POST goes to the service, which refuses on the form, so nothing typed is lost.
        refusal = stage_change_refusal(
            stage=evidence.stage, user=request.user, doing="change evidence"
        )
        if refusal:
            messages.error(request, refusal)
            return redirect(_stage_url(evidence.stage))
    form = EvidenceNoteForm(
        request.POST or None, initial={"title": evidence.title, "note": evidence.note}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_update_note(
                evidence=evidence,
                user=request.user,
                title=form.cleaned_data["title"],
                note=form.cleaned_data["note"],
            )
        except TransitionError as error:
            # Shown on the form, so nothing the trainee typed is lost.
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Note “{form.cleaned_data['title']}” saved.")
            return redirect(_stage_url(evidence.stage))
    return _evidence_page(request, "note_form.html", evidence, form=form)


@login_required
@require_http_methods(["GET", "POST"])
def evidence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm (a page that needs no JavaScript); POST removes."""
    try:
        evidence = access.get_evidence_for_user(request.user, pk)
    except Http404:
        if request.method == "GET":
            raise
        return already_removed(request, Evidence, pk, "evidence")
    if request.method == "GET":
        refusal = stage_change_refusal(
            stage=evidence.stage, user=request.user, doing="remove evidence"
        )
        if refusal:
            messages.error(request, refusal)
            return redirect(_stage_url(evidence.stage))
        return _evidence_page(request, "remove_confirm.html", evidence)
    try:
        services.evidence_remove(evidence=evidence, user=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"“{evidence.title}” removed.")
    return redirect(_stage_url(evidence.stage))


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = access.get_evidence_for_user(request.user, pk)
    if evidence.kind == Evidence.Kind.FILE and evidence.purged_at:
        # Gone for good, and on purpose: say so rather than a bare "not found".
        return render(
            request,
            "accreditation/evidence/purged.html",
            {
                "evidence": evidence,
                "stage": evidence.stage,
                "retention_days": settings.EVIDENCE_RETENTION_DAYS,
            },
            status=410,
        )
    if evidence.kind != Evidence.Kind.FILE:
        raise Http404
    return private_download(
        evidence.file,
        filename=evidence.original_filename or "evidence",
        content_type=evidence.content_type or "application/octet-stream",
    )

"""Evidence on a stage: add a note, upload a file, remove, and download through a permission
check (never a public URL)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from .. import access
from ..exceptions import TransitionError
from ..forms import EvidenceFileForm, EvidenceNoteForm
from ..models import Evidence
from ..services import evidence as services
from .reviews import already_removed, render_stage


def _stage_url(stage) -> str:
    return reverse("accreditation:stage_detail", args=[stage.pk]) + "#evidence"


@login_required
@require_POST
def evidence_add_note(request: HttpRequest, pk: int) -> HttpResponse:
    stage = access.get_stage_for_user(request.user, pk)
    form = EvidenceNoteForm(request.POST)
    if not form.is_valid():
        return render_stage(request, stage, note_form=form)
    try:
        services.evidence_add_note(
            stage=stage,
            user=request.user,
            title=form.cleaned_data["title"],
            note=form.cleaned_data["note"],
        )
    except TransitionError as error:
        # Shown with the note form, so nothing the trainee typed is lost.
        form.add_error(None, str(error))
        return render_stage(request, stage, note_form=form)
    messages.success(request, f"Note “{form.cleaned_data['title']}” added.")
    return redirect(_stage_url(stage))


@login_required
@require_POST
def evidence_add_file(request: HttpRequest, pk: int) -> HttpResponse:
    stage = access.get_stage_for_user(request.user, pk)
    form = EvidenceFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_stage(request, stage, file_form=form)
    try:
        services.evidence_add_file(
            stage=stage,
            user=request.user,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
        )
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"File “{form.cleaned_data['title']}” uploaded.")
    return redirect(_stage_url(stage))


@login_required
@require_POST
def evidence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        evidence = access.get_evidence_for_user(request.user, pk)
    except Http404:
        return already_removed(request, Evidence, pk, "evidence")
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
    if evidence.kind != Evidence.Kind.FILE or not evidence.file:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_filename or "evidence",
        content_type=evidence.content_type or "application/octet-stream",
    )
    # Confidential: no copy in any cache, and never sniffed into something the browser runs.
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response

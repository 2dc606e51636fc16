"""A person's own CPD log: the list with its totals, add, change, remove (after a confirmation
page) and the evidence download. Anyone else's entry is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from .. import access
from ..exceptions import TransitionError
from ..lifecycle_forms import CpdEntryForm
from ..models import CpdEntry
from ..selectors.cpd import cpd_entries_for, cpd_log_totals
from ..services import cpd as services
from .downloads import cpd_evidence_download


@login_required
@require_GET
def cpd_log(request: HttpRequest) -> HttpResponse:
    access.require_cpd_log_keeper(request.user)
    entries = list(cpd_entries_for(request.user))
    return render(
        request,
        "accreditation/cpd/log.html",
        {"entries": entries, "totals": cpd_log_totals(entries)},
    )


def _fields(form: CpdEntryForm) -> dict:
    data = form.cleaned_data
    return {
        "date": data["date"],
        "activity_type": data["activity_type"],
        "title": data["title"],
        "hours": data["hours"],
        "reflection": data["reflection"],
        "upload": data.get("evidence") or None,
    }


def _form_page(request: HttpRequest, form: CpdEntryForm, entry: CpdEntry | None) -> HttpResponse:
    return render(
        request,
        "accreditation/cpd/entry_form.html",
        {"form": form, "entry": entry},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def cpd_add(request: HttpRequest) -> HttpResponse:
    access.require_cpd_log_keeper(request.user)
    form = CpdEntryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.cpd_entry_add(person=request.user, **_fields(form))
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"“{entry.title}” added to your CPD log.")
            return redirect("accreditation:cpd_log")
    return _form_page(request, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def cpd_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access.get_cpd_entry_for_owner(request.user, pk)
    initial = {
        "date": entry.date,
        "activity_type": entry.activity_type,
        "title": entry.title,
        "hours": entry.hours,
        "reflection": entry.reflection,
    }
    form = CpdEntryForm(request.POST or None, request.FILES or None, entry=entry, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.cpd_entry_change(
                entry=entry,
                person=request.user,
                remove_evidence=form.cleaned_data.get("remove_evidence", False),
                **_fields(form),
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"“{entry.title}” saved.")
            return redirect("accreditation:cpd_log")
    return _form_page(request, form, entry)


@login_required
@require_http_methods(["GET", "POST"])
def cpd_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST removes."""
    entry = access.get_cpd_entry_for_owner(request.user, pk)
    if request.method == "GET":
        return render(request, "accreditation/cpd/remove_confirm.html", {"entry": entry})
    try:
        services.cpd_entry_remove(entry=entry, person=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"“{entry.title}” removed from your CPD log.")
    return redirect("accreditation:cpd_log")


@login_required
@require_GET
def cpd_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access.get_cpd_entry_for_reading(request.user, pk)
    return cpd_evidence_download(entry)

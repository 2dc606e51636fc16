"""Appeals: the trainee's appeal against a decline, the holder's against a revocation, the
assessors' queue of lodged appeals, and the appeal page with the form to decide it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from .. import access
from ..exceptions import TransitionError
from ..lifecycle_forms import AppealDecisionForm, AppealForm
from ..models import Appeal, Certificate
from ..selectors.appeals import (
    appeal_queue as queued_appeals,
)
from ..selectors.appeals import (
    appeal_refusal_for,
    decline_appeal_opening,
    recent_appeal_outcomes,
    revocation_appeal_opening,
)
from ..selectors.certificates import certificate_events_prefetch
from ..services import appeals as services


def _appeal_form_page(request, form, *, opening, subject, back_url, back_text, certificate=None):
    return render(
        request,
        "accreditation/appeals/lodge.html",
        {
            "form": form,
            "opening": opening,
            "subject": subject,
            "back_url": back_url,
            "back_text": back_text,
            "certificate": certificate,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def appeal_decline(request: HttpRequest) -> HttpResponse:
    decision = access.get_declined_decision_for_appellant(request.user)
    opening = decline_appeal_opening(application=decision.application)
    if opening is None or opening.appeal is not None:
        return redirect("accreditation:application")
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appeal_lodge_against_decline(
                decision=decision, appellant=request.user, grounds=form.cleaned_data["grounds"]
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your appeal has been lodged. We will email you the outcome.")
            return redirect("accreditation:application")
    return _appeal_form_page(
        request,
        form,
        opening=opening,
        subject="the decision to decline your application",
        back_url="accreditation:application",
        back_text="Back to your application",
    )


@login_required
@require_http_methods(["GET", "POST"])
def appeal_revocation(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = access.get_certificate_for_holder(request.user, pk)
    certificate = (
        Certificate.objects.select_related("scheme")
        .prefetch_related(certificate_events_prefetch())
        .get(pk=certificate.pk)
    )
    opening = revocation_appeal_opening(certificate=certificate)
    if opening is None or opening.appeal is not None:
        return redirect("accreditation:my_certificates")
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appeal_lodge_against_revocation(
                certificate=certificate,
                appellant=request.user,
                grounds=form.cleaned_data["grounds"],
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your appeal has been lodged. We will email you the outcome.")
            return redirect("accreditation:my_certificates")
    return _appeal_form_page(
        request,
        form,
        opening=opening,
        subject=f"the revocation of certificate {certificate.number}",
        back_url="accreditation:my_certificates",
        back_text="Back to your certificates",
        certificate=certificate,
    )


@login_required
@require_GET
def appeal_queue(request: HttpRequest) -> HttpResponse:
    access.require_assessor(request.user)
    return render(
        request,
        "accreditation/appeals/queue.html",
        {
            "queue": queued_appeals(assessor=request.user),
            "decided": list(recent_appeal_outcomes()),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = access.get_appeal_for_assessor(request.user, pk)
    refusal = appeal_refusal_for(appeal=appeal, assessor=request.user)
    may_decide = appeal.status == Appeal.Status.LODGED and not refusal
    form = AppealDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appeal_decide(
                appeal=appeal,
                assessor=request.user,
                outcome=form.cleaned_data["outcome"],
                reasons=form.cleaned_data["reasons"],
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your decision on the appeal has been recorded.")
            return redirect("accreditation:appeal_detail", pk=appeal.pk)
    return render(
        request,
        "accreditation/appeals/detail.html",
        {
            "appeal": appeal,
            "refusal": refusal,
            "may_decide": may_decide or (request.method == "POST"),
            "form": form,
        },
        status=400 if form.errors else 200,
    )

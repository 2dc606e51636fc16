"""Renewing a certificate: the holder's form and their renewal's page; the assessor's renewal
portfolio with the decision form, and the CPD evidence it rests on."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import access
from ..exceptions import TransitionError
from ..models import AssessmentCriterion, RenewalApplication, RenewalDecision
from ..renewal_forms import RenewalDecisionForm, RenewalForm, WithdrawRenewalForm
from ..selectors import renewal as selectors
from ..services import renewal as services
from ..services.criteria import scheme_criteria
from .downloads import cpd_evidence_download

Status = RenewalApplication.Status


def _render_form(request, certificate, *, form=None, status=200):
    readiness = selectors.renewal_readiness(certificate=certificate)
    renewal = selectors.open_renewal(certificate=certificate)
    latest_decision = None
    if renewal is not None and renewal.status == Status.REFERRED:
        latest_decision = renewal.decisions.order_by("-created_at", "-pk").first()
    renewable = selectors.certificate_renewable(certificate)
    if form is None:
        initial = {}
        if renewal is not None:
            initial = {"practice_statement": renewal.practice_statement}
        form = RenewalForm(platform_reviews=readiness.platform_reviews, initial=initial)
    return render(
        request,
        "accreditation/renewal/form.html",
        {
            "certificate": certificate,
            "readiness": readiness,
            "window": readiness.window,
            "renewal": renewal,
            "latest_decision": latest_decision,
            "renewable": renewable,
            "may_apply": renewable
            and (
                (renewal is None and readiness.window.is_open)
                or (renewal is not None and renewal.status == Status.REFERRED)
            ),
            "form": form,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def renewal(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = access.get_certificate_for_holder(request.user, pk)
    if request.method == "GET":
        return _render_form(request, certificate)
    readiness_reviews = selectors.platform_reviews_for_renewal(
        holder=request.user, since=certificate.issued_at
    )
    form = RenewalForm(request.POST, platform_reviews=readiness_reviews)
    if not form.is_valid():
        return _render_form(request, certificate, form=form, status=400)
    existing = selectors.open_renewal(certificate=certificate)
    arguments = {
        "holder": request.user,
        "practice_statement": form.cleaned_data["practice_statement"],
        "declaration": form.cleaned_data["declaration"],
        "reviews": form.review_claims(),
    }
    try:
        if existing is not None and existing.status == Status.REFERRED:
            renewal = services.renewal_resubmit(renewal=existing, **arguments)
        else:
            renewal = services.renewal_apply(certificate=certificate, **arguments)
    except TransitionError as error:
        form.add_error(None, str(error))
        return _render_form(request, certificate, form=form, status=400)
    messages.success(request, "Your renewal is submitted. An assessor will read it.")
    return redirect("accreditation:renewal_status", pk=renewal.pk)


def _render_status(request, renewal, *, form=None, status=200):
    renewal = selectors.renewals_for_holder(holder=request.user).get(pk=renewal.pk)
    return render(
        request,
        "accreditation/renewal/status.html",
        {
            "renewal": renewal,
            "decisions": list(renewal.decisions.all()),
            "reviews": list(renewal.reviews.all()),
            "new_certificate": getattr(renewal, "new_certificate", None)
            if renewal.status == Status.APPROVED
            else None,
            "can_withdraw": renewal.status in selectors.OPEN_STATUSES,
            "form": form or WithdrawRenewalForm(),
        },
        status=status,
    )


@login_required
@require_GET
def renewal_status(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_status(request, access.get_renewal_for_holder(request.user, pk))


@login_required
@require_POST
def renewal_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    renewal = access.get_renewal_for_holder(request.user, pk)
    form = WithdrawRenewalForm(request.POST)
    form.is_valid()
    try:
        services.renewal_withdraw(renewal=renewal, holder=request.user)
    except TransitionError as error:
        form.add_error(None, str(error))
        return _render_status(request, renewal, form=form, status=400)
    messages.success(request, "Your renewal is withdrawn.")
    return redirect("accreditation:renewal_status", pk=renewal.pk)


# Assessors --------------------------------------------------------------------------------


def _criteria(renewal: RenewalApplication):
    return scheme_criteria(scheme=renewal.scheme, purpose=AssessmentCriterion.Purpose.RENEWAL)


def _render_portfolio(request, renewal, *, form=None, status=200):
    renewal = selectors.renewals_with_detail().get(pk=renewal.pk)
    supervises = selectors.assessor_supervises_holder(assessor=request.user, renewal=renewal)
    decided_on = None
    if renewal.status in (Status.APPROVED, Status.DECLINED) and renewal.decisions.all():
        decided_on = timezone.localtime(list(renewal.decisions.all())[-1].created_at).date()
    entries = selectors.renewal_cpd_entries(renewal=renewal, today=decided_on)
    summary = selectors.cpd_summary(
        person=renewal.holder,
        since=renewal.certificate.issued_at,
        until=decided_on or timezone.localdate(),
    )
    return render(
        request,
        "accreditation/renewal/portfolio.html",
        {
            "renewal": renewal,
            "certificate": renewal.certificate,
            "cpd": summary,
            "entries": entries,
            "reviews": list(renewal.reviews.all()),
            "decisions": list(renewal.decisions.all()),
            "assessor_supervises": supervises,
            "may_decide": renewal.status == Status.SUBMITTED and not supervises,
            "form": form or RenewalDecisionForm(criteria=_criteria(renewal)),
        },
        status=status,
    )


@login_required
@require_GET
def renewal_portfolio(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_portfolio(request, access.get_renewal_for_assessor(request.user, pk))


_DECIDE = {
    RenewalDecision.Outcome.REFERRED: (services.renewal_refer, "Renewal referred back."),
    RenewalDecision.Outcome.DECLINED: (services.renewal_decline, "Renewal declined."),
}


@login_required
@require_POST
def renewal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    renewal = access.get_renewal_for_assessor(request.user, pk)
    form = RenewalDecisionForm(request.POST, criteria=_criteria(renewal))
    if not form.is_valid():
        return _render_portfolio(request, renewal, form=form, status=400)
    outcome = form.cleaned_data["outcome"]
    arguments = {
        "renewal": renewal,
        "assessor": request.user,
        "reasons": form.cleaned_data["reasons"],
        "answers": form.criteria_answers(),
    }
    try:
        if outcome == RenewalDecision.Outcome.APPROVED:
            certificate = services.renewal_approve(**arguments)
            messages.success(request, f"Renewal approved. Certificate {certificate.number} issued.")
        else:
            service, message = _DECIDE[outcome]
            service(**arguments)
            messages.success(request, message)
    except TransitionError as error:
        form.add_error(None, str(error))
        return _render_portfolio(request, renewal, form=form, status=400)
    return redirect("accreditation:assessment_queue")


@login_required
@require_GET
def renewal_cpd_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access.get_cpd_entry_for_renewal_assessor(request.user, pk)
    return cpd_evidence_download(entry)

"""Assessors: the queue of submitted applications, the complete portfolio with the decision form,
and managing certificates (suspend, reinstate, revoke)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import access
from ..award_forms import CertificateStatusForm, DecisionForm
from ..exceptions import TransitionError
from ..models import AccreditationApplication, AssessmentCriterion, Certificate, Decision
from ..selectors import applications as selectors
from ..selectors import renewal as renewal_selectors
from ..selectors.certificates import (
    certificate_public_status,
    certificate_standing,
    certificates_for_assessor,
)
from ..services import applications as services
from ..services import certificates as certificate_services
from ..services.criteria import scheme_criteria

APPLICATIONS_PER_PAGE = 25


class QueueFilterForm(forms.Form):
    name = forms.CharField(label="Trainee's name", required=False, max_length=200)
    shows = forms.ChoiceField(label="Show", required=False, choices=selectors.QueueShows.choices)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.hide_optional = True  # a filter: every field may be left empty


@login_required
@require_GET
def assessment_queue(request: HttpRequest) -> HttpResponse:
    access.require_assessor(request.user)
    form = QueueFilterForm(request.GET)
    # A choice that is not valid is left out (and the form says why); the others still apply.
    form.is_valid()
    name, shows = form.cleaned_data.get("name", ""), form.cleaned_data.get("shows", "")
    queue = selectors.assessment_queue(assessor=request.user, name=name, shows=shows)
    page = Paginator(queue, APPLICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accreditation/assessment/queue.html",
        {
            "form": form,
            "page": page,
            "queue": list(page.object_list),
            "filtered": bool(name or shows),
            "decisions": selectors.recent_decisions(),
            "renewals": renewal_selectors.renewal_queue(assessor=request.user),
            "renewal_decisions": renewal_selectors.recent_renewal_decisions(),
        },
    )


def _render_portfolio(
    request: HttpRequest, application: AccreditationApplication, *, form=None, status=200
):
    supervises = selectors.assessor_supervises(assessor=request.user, application=application)
    may_decide = application.status == AccreditationApplication.Status.SUBMITTED and not (
        supervises
    )
    return render(
        request,
        "accreditation/assessment/portfolio.html",
        {
            "portfolio": selectors.application_portfolio(application=application),
            "application": application,
            "assessor_supervises": supervises,
            "may_decide": may_decide,
            "report_downloadable": access.application_opens_report(application),
            "form": form or DecisionForm(criteria=_criteria(application)),
        },
        status=status,
    )


def _criteria(application: AccreditationApplication):
    return scheme_criteria(
        scheme=application.scheme, purpose=AssessmentCriterion.Purpose.ACCREDITATION
    )


@login_required
@require_GET
def portfolio(request: HttpRequest, pk: int) -> HttpResponse:
    application = access.get_application_for_assessor(request.user, pk)
    return _render_portfolio(request, application)


_DECIDE = {
    Decision.Outcome.APPROVED: "approved",
    Decision.Outcome.REFERRED: "referred back",
    Decision.Outcome.DECLINED: "declined",
}


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = access.get_application_for_assessor(request.user, pk)
    form = DecisionForm(request.POST, criteria=_criteria(application))
    if not form.is_valid():
        return _render_portfolio(request, application, form=form, status=400)
    outcome, reasons = form.cleaned_data["outcome"], form.cleaned_data["reasons"]
    answers = form.criteria_answers()
    try:
        if outcome == Decision.Outcome.APPROVED:
            certificate = services.application_approve(
                application=application, assessor=request.user, reasons=reasons, answers=answers
            )
            messages.success(
                request, f"Application approved. Certificate {certificate.number} issued."
            )
        elif outcome == Decision.Outcome.REFERRED:
            services.application_refer(
                application=application,
                assessor=request.user,
                reasons=reasons,
                answers=answers,
                required_actions=form.cleaned_data["required_actions"],
            )
            messages.success(request, "Application referred back to the trainee.")
        else:
            services.application_decline(
                application=application, assessor=request.user, reasons=reasons, answers=answers
            )
            messages.success(request, "Application declined.")
    except TransitionError as error:
        form.add_error(None, str(error))
        application.refresh_from_db()
        return _render_portfolio(request, application, form=form, status=400)
    return redirect("accreditation:assessment_queue")


@login_required
@require_GET
def certificate_list(request: HttpRequest) -> HttpResponse:
    access.require_assessor(request.user)
    page = Paginator(certificates_for_assessor(), 50).get_page(request.GET.get("page"))
    rows = [(c, certificate_public_status(certificate=c)) for c in page.object_list]
    return render(
        request, "accreditation/assessment/certificate_list.html", {"page": page, "rows": rows}
    )


def _allowed_actions(certificate: Certificate) -> list[str]:
    return {
        Certificate.Status.ISSUED: ["suspend", "revoke"],
        Certificate.Status.SUSPENDED: ["reinstate", "revoke"],
    }.get(certificate.status, [])


_DONE = {"suspend": "suspended", "reinstate": "reinstated", "revoke": "revoked"}
_CHANGE = {
    "suspend": certificate_services.certificate_suspend,
    "reinstate": certificate_services.certificate_reinstate,
    "revoke": certificate_services.certificate_revoke,
}


@login_required
@require_http_methods(["GET", "POST"])
def certificate_manage(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = access.get_certificate_for_assessor(request.user, pk)
    supervises = selectors.assessor_supervises_trainee(
        assessor=request.user, application=certificate.origin_application
    )
    allowed = [] if supervises else _allowed_actions(certificate)
    form = CertificateStatusForm(
        request.POST if request.method == "POST" else None, allowed=allowed
    )
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        try:
            _CHANGE[action](
                certificate=certificate, by=request.user, reason=form.cleaned_data["reason"]
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Certificate {certificate.number} {_DONE[action]}.")
            return redirect("accreditation:certificate_manage", pk=certificate.pk)
    events = list(certificate.events.select_related("by"))
    return render(
        request,
        "accreditation/assessment/certificate_manage.html",
        {
            "certificate": certificate,
            "events": events,
            "standing": certificate_standing(certificate=certificate, events=events),
            "credential": getattr(certificate, "current_credential", None),
            "form": form,
            "allowed": allowed,
            "supervises": supervises,
        },
        status=400 if form.errors else 200,
    )

"""The trainee's accreditation page: what is still needed, the reflective statement, submitting
and resubmitting, and the decisions so far."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .. import access
from ..award_forms import StatementForm
from ..exceptions import TransitionError
from ..models import AccreditationApplication, Certificate
from ..selectors.applications import application_for_trainee
from ..selectors.certificates import certificate_standing
from ..selectors.readiness import accreditation_readiness
from ..services import applications as services

Status = AccreditationApplication.Status


@login_required
@require_http_methods(["GET", "POST"])
def application_page(request: HttpRequest) -> HttpResponse:
    if not access.user_is_trainee(request.user):
        raise Http404
    readiness = accreditation_readiness(request.user)
    application = application_for_trainee(request.user, readiness.review)
    guidance = readiness.scheme.reflective_statement_guidance if readiness.scheme else ""
    form = StatementForm(
        request.POST if request.method == "POST" else None,
        guidance=guidance,
        initial={"reflective_statement": application.reflective_statement if application else ""},
    )
    if request.method == "POST" and form.is_valid():
        submitting = request.POST.get("action") == "submit"
        try:
            application = services.application_save_draft(
                trainee=request.user,
                reflective_statement=form.cleaned_data["reflective_statement"],
            )
            if submitting and application.status == Status.REFERRED:
                services.application_resubmit(application=application, trainee=request.user)
                messages.success(request, "Your application has been resubmitted.")
            elif submitting:
                services.application_submit(application=application, trainee=request.user)
                messages.success(
                    request, "Your application has been submitted. An assessor will decide on it."
                )
            else:
                messages.success(request, "Your reflective statement has been saved.")
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            return redirect("accreditation:application")
        readiness = accreditation_readiness(request.user)
        application = application_for_trainee(request.user, readiness.review)
    editable = application is None or application.status in (Status.DRAFT, Status.REFERRED)
    decisions = list(application.decisions.all()) if application else []
    return render(
        request,
        "accreditation/application/application.html",
        {
            "readiness": readiness,
            "application": application,
            "decisions": decisions,
            "latest_decision": decisions[-1] if decisions else None,
            "form": form,
            "can_edit_statement": editable and readiness.ready_for_statement,
            "can_submit": editable and readiness.ready_for_statement,
            **_certificate(application),
        },
        status=400 if form.errors else 200,
    )


def _certificate(application) -> dict:
    if application is None or application.status != Status.APPROVED:
        return {"certificate": None, "standing": None}
    certificate = Certificate.objects.filter(application=application).first()
    return {
        "certificate": certificate,
        "standing": certificate_standing(certificate) if certificate else None,
    }

"""The trainee's accreditation page: what is still needed, the reflective statement with its word
count, checking the answers before submitting or resubmitting, withdrawing, and the decisions so
far."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from learning_platform.accounts.roles import user_is_trainee

from ..award_forms import (
    WORD_COUNT_ID,
    StatementForm,
    SubmitApplicationForm,
    WithdrawApplicationForm,
)
from ..exceptions import TransitionError
from ..models import AccreditationApplication, AssessmentCriterion, Certificate
from ..selectors.appeals import decline_appeal_opening
from ..selectors.applications import application_for_trainee
from ..selectors.certificates import certificate_standing
from ..selectors.readiness import (
    Readiness,
    Requirement,
    accreditation_readiness,
    statement_word_count,
)
from ..selectors.reviews import review_for_trainee
from ..services import applications as services
from ..services.criteria import scheme_criteria

Status = AccreditationApplication.Status
EDITABLE = (Status.DRAFT, Status.REFERRED, Status.WITHDRAWN)


def _require_trainee(request: HttpRequest) -> None:
    if not user_is_trainee(request.user):
        raise Http404


def _current(request: HttpRequest) -> tuple[Readiness, AccreditationApplication | None]:
    readiness = accreditation_readiness(user=request.user)
    return readiness, application_for_trainee(user=request.user, review=readiness.review)


def _word_count(statement: str, readiness: Readiness) -> dict:
    scheme = readiness.scheme
    minimum = 0
    if scheme is not None and scheme.requires_reflective_statement:
        minimum = scheme.min_statement_words
    words = statement_word_count(statement=statement)
    return {"word_count": words, "min_words": minimum, "words_to_go": max(minimum - words, 0)}


@login_required
@require_http_methods(["GET", "POST"])
def application_page(request: HttpRequest) -> HttpResponse:
    _require_trainee(request)
    readiness, application = _current(request)
    guidance = readiness.scheme.reflective_statement_guidance if readiness.scheme else ""
    form = StatementForm(
        request.POST if request.method == "POST" else None,
        guidance=guidance,
        initial={"reflective_statement": application.reflective_statement if application else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_save_draft(
                trainee=request.user,
                reflective_statement=form.cleaned_data["reflective_statement"],
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            if request.POST.get("action") == "save":
                messages.success(request, "Your reflective statement has been saved.")
                return redirect("accreditation:application")
            # Continue: the statement is saved either way; the trainee checks their answers only
            # once everything is in place, and is told here what is not.
            readiness = accreditation_readiness(user=request.user, application=application)
            if readiness.all_met:
                return redirect("accreditation:application_check")
            for item in readiness.missing:
                if item.key == Requirement.STATEMENT:
                    form.add_error("reflective_statement", item.detail)
                else:
                    form.add_error(
                        None,
                        f"You cannot submit your application yet. {item.label}: {item.detail}",
                    )
        readiness, application = _current(request)
    editable = application is None or application.status in EDITABLE
    decisions = list(application.decisions.all()) if application else []
    statement = form["reflective_statement"].value() or ""
    return render(
        request,
        "accreditation/application/application.html",
        {
            "readiness": readiness,
            "application": application,
            "decisions": decisions,
            "latest_decision": decisions[-1] if decisions else None,
            "criteria": _criteria(readiness),
            "form": form,
            "can_edit_statement": editable and readiness.ready_for_statement,
            "can_withdraw": application is not None and application.status in services.WITHDRAWABLE,
            **_word_count(statement, readiness),
            "word_count_id": WORD_COUNT_ID,
            **_certificate(application),
            "appeal_opening": decline_appeal_opening(application=application),
        },
        status=400 if form.errors else 200,
    )


def _criteria(readiness: Readiness) -> list[AssessmentCriterion]:
    if readiness.scheme is None:
        return []
    return scheme_criteria(
        scheme=readiness.scheme, purpose=AssessmentCriterion.Purpose.ACCREDITATION
    )


def _certificate(application) -> dict:
    if application is None or application.status != Status.APPROVED:
        return {"certificate": None, "standing": None}
    certificate = (
        Certificate.objects.filter(application=application).select_related("superseded_by").first()
    )
    return {
        "certificate": certificate,
        "standing": certificate_standing(certificate=certificate) if certificate else None,
    }


@login_required
@require_http_methods(["GET", "POST"])
def application_check(request: HttpRequest) -> HttpResponse:
    """Check your answers: everything the submission will send, with links to change the
    statement, then the one button that submits (or resubmits)."""
    _require_trainee(request)
    readiness, application = _current(request)
    if application is None or application.status not in (Status.DRAFT, Status.REFERRED):
        return redirect("accreditation:application")
    # Bound either way, so the reasons a submission cannot go ahead reach the error summary.
    form = SubmitApplicationForm(request.POST if request.method == "POST" else {})
    form.is_valid()
    if request.method == "POST":
        submit = (
            services.application_resubmit
            if application.status == Status.REFERRED
            else services.application_submit
        )
        try:
            submit(application=application, trainee=request.user)
        except TransitionError as error:
            form.add_error(None, str(error))
            readiness, application = _current(request)
        else:
            messages.success(
                request,
                "Your application has been resubmitted."
                if application.status == Status.REFERRED
                else "Your application has been submitted. An assessor will decide on it.",
            )
            return redirect("accreditation:application")
    elif not readiness.all_met:
        for item in readiness.missing:
            form.add_error(None, f"{item.label}: {item.detail}")
    return render(
        request,
        "accreditation/application/check.html",
        {
            "readiness": readiness,
            "application": application,
            "form": form,
            **_word_count(application.reflective_statement, readiness),
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_withdraw(request: HttpRequest) -> HttpResponse:
    """Confirm withdrawing the trainee's current application, with a reason."""
    _require_trainee(request)
    application = application_for_trainee(
        user=request.user, review=review_for_trainee(user=request.user)
    )
    if application is None or application.status not in services.WITHDRAWABLE:
        messages.info(request, "You have no application to withdraw.")
        return redirect("accreditation:application")
    form = WithdrawApplicationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(
                application=application, trainee=request.user, reason=form.cleaned_data["reason"]
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your application has been withdrawn.")
            return redirect("accreditation:application")
    return render(
        request,
        "accreditation/application/withdraw.html",
        {"application": application, "form": form},
        status=400 if form.errors else 200,
    )

"""Invitations outside the Wagtail admin: inviting one person or a CSV file of them from the
cohort page, sending a fresh link, and accepting an invitation from its emailed link.

Staff pages fetch the cohort through courses.access, which raises 404 for anyone who may not
see it; the acceptance page is opened by its token alone.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from learning_platform.accounts.models import User
from learning_platform.accounts.roles import user_is_programme_staff

from .. import access
from ..forms import AcceptInvitationForm, InvitationForm, InvitationImportForm
from ..models import Invitation
from ..selectors import cohorts as selectors
from ..services.invitations import acceptance, csv_import, lifecycle
from ..services.invitations.checks import InvitationError, invitation_expiry_days
from ..tasks import contact_email_for


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = access.get_cohort_for_staff(request.user, pk)
    if not user_is_programme_staff(request.user):
        raise Http404
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = lifecycle.invitation_create(
                cohort=cohort, invited_by=request.user, **form.cleaned_data
            )
        except InvitationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("courses:cohort_detail", pk=cohort.pk)
    return render(
        request,
        "courses/cohorts/invitation_form.html",
        {
            "cohort": cohort,
            "form": form,
            "places_left": selectors.cohort_places_left(cohort=cohort),
            "expiry_days": invitation_expiry_days(),
        },
    )


@login_required
@require_POST
def invitation_resend(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    cohort = access.get_cohort_for_staff(request.user, pk)
    if not user_is_programme_staff(request.user):
        raise Http404
    invitation = get_object_or_404(Invitation, pk=invitation_pk, cohort=cohort)
    try:
        invitation = lifecycle.invitation_resend(invitation_id=invitation.pk, by=request.user)
    except InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"A new invitation was sent to {invitation.email}. The link in any earlier email "
            "no longer works.",
        )
    return redirect("courses:cohort_detail", pk=cohort.pk)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_import(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = access.get_cohort_for_staff(request.user, pk)
    if not user_is_programme_staff(request.user):
        raise Http404
    form = InvitationImportForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST" and form.is_valid():
        report = csv_import.invitations_import_csv(
            cohort=cohort, upload=form.cleaned_data["file"], invited_by=request.user
        )
        if report.saved:
            messages.success(request, f"{len(report.accepted)} invitations saved and being sent.")
            return redirect("courses:cohort_detail", pk=cohort.pk)
        status = 400
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "courses/cohorts/invitation_import.html",
        {
            "cohort": cohort,
            "form": form,
            "report": report,
            "places_left": selectors.cohort_places_left(cohort=cohort),
        },
        status=status,
    )


@login_required
def invitation_import_template(request: HttpRequest, pk: int) -> HttpResponse:
    """An empty CSV file with the columns an import reads, to fill in with a spreadsheet."""
    access.get_cohort_for_staff(request.user, pk)
    if not user_is_programme_staff(request.user):
        raise Http404
    # A byte order mark, so Excel opens the file as UTF-8 and keeps accented names intact.
    response = HttpResponse(
        "\ufeff" + csv_import.invitations_csv_template(),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="invitations-template.csv"'
    return response


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_by_token(token=token)
    context = {"invitation": invitation, "contact_email": contact_email_for(invitation)}
    if invitation is None or invitation.state != Invitation.State.PENDING:
        context["states"] = Invitation.State
        return render(
            request,
            "courses/cohorts/invitation_unusable.html",
            context,
            status=404 if invitation is None else 410,
        )

    account = User.objects.filter(email__iexact=invitation.email).first()
    user = request.user
    if account is None:
        if user.is_authenticated:
            context["signed_in_as"] = user
            return render(request, "courses/cohorts/invitation_wrong_account.html", context)
        return _accept_as_new_user(request, token, invitation, context)

    if not user.is_authenticated:
        context["login_url"] = f"{reverse('account_login')}?next={request.path}"
        return render(request, "courses/cohorts/invitation_sign_in.html", context)
    if user.pk != account.pk:
        context["signed_in_as"] = user
        return render(request, "courses/cohorts/invitation_wrong_account.html", context)
    if request.method == "POST":
        try:
            enrolment = acceptance.invitation_accept_existing_user(token=token, user=user)
        except InvitationError as error:
            messages.error(request, str(error))
            return redirect(request.path)
        messages.success(request, f"You have joined {enrolment.cohort}. Your next step is below.")
        return redirect("courses:my_learning")
    return render(request, "courses/cohorts/invitation_confirm.html", context)


def _accept_as_new_user(request, token, invitation, context) -> HttpResponse:
    form = AcceptInvitationForm(
        request.POST or None,
        email=invitation.email,
        initial={"full_name": invitation.full_name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = acceptance.invitation_accept_new_user(
                token=token,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except InvitationError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error("password1", error)
        else:
            login(request, enrolment.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                f"Welcome, {enrolment.user.get_short_name()}. You have joined "
                f"{enrolment.cohort}. Your first step is below.",
            )
            return redirect("courses:my_learning")
    context["form"] = form
    return render(request, "courses/cohorts/invitation_accept.html", context)

"""Accepting an invitation from its emailed link. The page is opened by its token alone.

Staff invite people, send fresh links and withdraw invitations on the Wagtail admin's
invitations screen (courses.viewsets.invitations).
"""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from learning_platform.accounts.models import User

from ..forms import AcceptInvitationForm
from ..models import Invitation
from ..selectors import cohorts as selectors
from ..services.invitations import acceptance
from ..services.invitations.checks import InvitationError
from ..tasks import contact_email_for


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

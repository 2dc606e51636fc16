"""The public register's own pages: a holder's register profile, and the page where anyone may
send a listed reviewer a message."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from learning_platform.ratelimits import attempt

from .. import access
from ..exceptions import TransitionError
from ..register_forms import ContactForm, RegisterProfileForm
from ..selectors.certificates import certificate_standing
from ..selectors.register import (
    certificate_is_listed,
    holder_accepts_messages,
    holder_register_certificate,
    register_profile_for,
)
from ..services.register import contact_message_send, register_profile_update


@login_required
@require_http_methods(["GET", "POST"])
def register_profile(request: HttpRequest) -> HttpResponse:
    access.require_register_holder(request.user)
    certificate = holder_register_certificate(person=request.user)
    standing = certificate_standing(certificate=certificate) if certificate else None
    register_open = certificate is not None and certificate.scheme.public_register_enabled
    # A holder may list a valid certificate, and may always take a listed one off.
    may_list = register_open and (standing.is_valid or certificate.listed_on_register)
    profile = register_profile_for(person=request.user)
    organisation = request.user.organisation
    initial = {
        "listed": bool(certificate and certificate.listed_on_register),
        "show_organisation": profile.show_organisation,
        "regions": list(profile.regions.all()) if profile.pk else [],
        "contact_enabled": profile.contact_enabled,
    }
    form = RegisterProfileForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        organisation_name=organisation.name if organisation else "",
        may_list=may_list,
    )
    if request.method == "POST" and form.is_valid():
        try:
            register_profile_update(
                person=request.user,
                show_organisation=form.cleaned_data["show_organisation"],
                regions=form.cleaned_data["regions"],
                contact_enabled=form.cleaned_data["contact_enabled"],
                listed=form.cleaned_data["listed"] if "listed" in form.fields else None,
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your register profile has been saved.")
            return redirect("accreditation:register_profile")
    return render(
        request,
        "accreditation/register/profile.html",
        {
            "form": form,
            "certificate": certificate,
            "standing": standing,
            "register_open": register_open,
            "listed_now": certificate is not None and certificate_is_listed(certificate),
        },
        status=400 if form.errors else 200,
    )


def _contact_page(request, certificate, *, form=None, status=200, sent=False) -> HttpResponse:
    return render(
        request,
        "accreditation/register/contact.html",
        {
            "certificate": certificate,
            "listed": certificate_is_listed(certificate),
            "accepts": holder_accepts_messages(certificate),
            "form": form,
            "sent": sent,
            "retention_days": settings.CONTACT_MESSAGE_RETENTION_DAYS,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest, number: str) -> HttpResponse:
    certificate = access.get_certificate_for_contact(number)
    if request.method == "GET":
        sent = request.GET.get("sent") == "1"
        return _contact_page(request, certificate, form=ContactForm(), sent=sent)
    form = ContactForm(request.POST)
    if not holder_accepts_messages(certificate):
        # The page says so; what they typed is shown back, so it is not lost.
        form.is_valid()
        form.add_error(
            None,
            "This reviewer is not accepting messages through the register, so your message "
            "has not been sent.",
        )
        return _contact_page(request, certificate, form=form, status=400)
    if not form.is_valid():
        return _contact_page(request, certificate, form=form, status=400)
    done = redirect(reverse("public_register_contact", args=[certificate.number]) + "?sent=1")
    if form.is_robot():
        # Looks sent to the robot; nothing is kept and nothing goes.
        return done
    wait = attempt(request, action="register_contact")
    if wait is not None:
        try_again_at = timezone.localtime() + timedelta(seconds=wait)
        minutes = -(-wait // 60)
        form.add_error(
            None,
            "Your message has not been sent: only a few messages can be sent from one place in "
            f"an hour. Try again in {minutes} minute{'s' if minutes != 1 else ''}, after "
            f"{try_again_at:%H:%M} (UK time).",
        )
        response = _contact_page(request, certificate, form=form, status=429)
        response["Retry-After"] = str(wait)
        return response
    try:
        contact_message_send(
            certificate=certificate,
            sender_name=form.cleaned_data["sender_name"],
            sender_organisation=form.cleaned_data["sender_organisation"],
            sender_email=form.cleaned_data["sender_email"],
            message=form.cleaned_data["message"],
        )
    except TransitionError as error:
        form.add_error(None, str(error))
        return _contact_page(request, certificate, form=form, status=400)
    return done

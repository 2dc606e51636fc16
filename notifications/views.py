"""The signed-in user's notifications and email preferences. Every view reads only the user's own
notifications: anyone else's id is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import registry
from .access import get_notification_for_user
from .forms import EmailPreferencesForm
from .rendering import render_summary
from .selectors import notifications_for_user
from .services import notification_mark_read as mark_read
from .services import notification_preferences_set, notifications_mark_all_read

PER_PAGE = 20


def _back_to_list(request: HttpRequest) -> HttpResponse:
    # Back to the page of the list the form was on, never to another site.
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for_user(user=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    items = [{"notification": n, "text": render_summary(n)} for n in page]
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "items": items,
            "current_url": request.get_full_path(),
        },
    )


@login_required
@require_POST
def notification_mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_notification_for_user(request.user, pk)
    mark_read(notification=notification, user=request.user)
    messages.success(request, "Notification marked as read.")
    return _back_to_list(request)


@login_required
@require_POST
def notification_mark_all_read(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_all_read(user=request.user)
    if count:
        messages.success(
            request,
            f"{count} notification{'s' if count != 1 else ''} marked as read.",
        )
    else:
        messages.info(request, "You have no unread notifications.")
    return _back_to_list(request)


def _target(notification) -> str:
    link = notification.link
    if not link or not url_has_allowed_host_and_scheme(link, allowed_hosts=None):
        return reverse("notifications:list")
    return link


@login_required
@require_http_methods(["GET", "POST"])
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """POST (the list's and this page's button) marks the notification read and goes on to what
    it is about. A GET changes nothing: mail scanners and link previews follow an email's link
    before the person does, so an unread notification is shown here with the button, and a read
    one goes straight on."""
    notification = get_notification_for_user(request.user, pk)
    if request.method == "POST":
        mark_read(notification=notification, user=request.user)
        return redirect(_target(notification))
    if notification.is_read:
        return redirect(_target(notification))
    return render(
        request,
        "notifications/open.html",
        {"notification": notification, "text": render_summary(notification)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request: HttpRequest) -> HttpResponse:
    form = EmailPreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        notification_preferences_set(user=request.user, email=form.cleaned_data)
        messages.success(request, "Your email preferences have been saved.")
        return redirect("notifications:preferences")
    mandatory = [
        {"label": event_type.label_text, "reason": event_type.why_always_sent}
        for event_type in registry.event_types()
        if not event_type.optional
    ]
    return render(request, "notifications/preferences.html", {"form": form, "mandatory": mandatory})

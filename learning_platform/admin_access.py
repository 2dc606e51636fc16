"""Signed-in people without admin access get a refusal at the admin, not a sign-in page."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse


class AdminAccessMiddleware:
    """Refuse (403) a signed-in person the Wagtail or Django admin they may not use.

    Both admins send anyone they will not let in to the sign-in page, and allauth sends a
    signed-in visitor straight back to `next`: without this, a trainee, supervisor or assessor
    who opens /admin/ bounces between the two until the browser gives up, and Wagtail queues a
    "You do not have permission" message on every turn. Anonymous visitors are left to the
    admins, which send them to sign in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        path = request.path
        wagtail_admin = reverse("wagtailadmin_home")
        django_admin = reverse("admin:index")
        if path.startswith(wagtail_admin) and not user.has_perm("wagtailadmin.access_admin"):
            raise PermissionDenied
        if path.startswith(django_admin) and not admin.site.has_permission(request):
            raise PermissionDenied
        return None

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import RedirectView

from .health import run_checks

# Both admin logins go through allauth, so no login bypasses its rate limits or MFA.
to_allauth_login = RedirectView.as_view(pattern_name="account_login", query_string=True)


def django_admin_login(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    # The Django admin sends anyone it will not let in to its login page, and allauth sends a
    # signed-in visitor straight back to `next`: without this a signed-in non-staff user would
    # bounce between the two for ever. Signed in without admin access is a refusal (logged).
    if request.user.is_authenticated and not admin.site.has_permission(request):
        raise PermissionDenied
    return to_allauth_login(request, *args, **kwargs)


@never_cache
def health(request):
    """For a load balancer: 200 when every component answers, 503 otherwise."""
    results = run_checks()
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **results}, status=200 if healthy else 503
    )


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and feed readers ask for /favicon.ico whatever the page links to.

    A temporary redirect to the static file (whose name carries a hash of its content), kept
    for a day: a permanent one would pin an old icon in browsers for good.
    """
    response = HttpResponseRedirect(static("icons/favicon.ico"))
    patch_cache_control(response, public=True, max_age=24 * 60 * 60)
    return response

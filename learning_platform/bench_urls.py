"""The site's URLs plus the bare view the benchmarks measure every page against. Only
learning_platform.settings.bench points here."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from .urls import urlpatterns as site_urlpatterns


def ok(request: HttpRequest) -> HttpResponse:
    """As little as a Django view can do, through the same middleware as every page."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/ok/", ok, name="bench_ok"), *site_urlpatterns]

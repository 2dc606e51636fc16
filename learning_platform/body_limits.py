"""A limit on the size of a request's body, for the views that set one, applied before any
middleware reads the body (the CSRF check reads a form's whole body to find its token).

A view takes part with ``@body_limit(max_bytes, too_large)``: a request whose Content-Length is
larger gets ``too_large(request)``, and its body is never read.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


def body_limit(max_bytes: int, too_large: Callable[[HttpRequest], HttpResponse]):
    def decorator(view):
        view.body_limit = (max_bytes, too_large)
        return view

    return decorator


def content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class BodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        limit = getattr(view_func, "body_limit", None)
        if limit is None:
            return None
        max_bytes, too_large = limit
        return too_large(request) if content_length(request) > max_bytes else None

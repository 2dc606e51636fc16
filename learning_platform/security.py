"""Response headers that Django's SecurityMiddleware does not set itself."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def permissions_policy_header(features: dict[str, list[str]]) -> str:
    # An empty allow-list, "()", switches the feature off for this page and every frame in it.
    return ", ".join(f"{name}=({' '.join(origins)})" for name, origins in features.items())


class PermissionsPolicyMiddleware:
    """Turn off browser features no page here uses, so injected code cannot reach them either."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy_header(settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response

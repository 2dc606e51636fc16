from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .health import run_checks


@never_cache
def health(request):
    """For a load balancer: 200 when every component answers, 503 otherwise."""
    results = run_checks()
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **results}, status=200 if healthy else 503
    )

from django.db import connection
from django.http import JsonResponse


def health(request):
    """A minimal liveness check for a load balancer: can we reach the database?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        ok = True
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        ok = False
    return JsonResponse({"database": "ok" if ok else "error"}, status=200 if ok else 503)

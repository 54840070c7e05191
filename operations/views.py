from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET

from .health import health


@require_GET
def health_view(request):
    """200 when the database, the cache and the task queue are fine, else 503; JSON details
    (timings and ages only, nothing about content or people)."""
    report = health()
    healthy = all(check.ok for check in report.values())
    response = JsonResponse(
        {
            "status": "ok" if healthy else "failing",
            "checks": {name: {"ok": check.ok, **check.detail} for name, check in report.items()},
        },
        status=200 if healthy else 503,
    )
    add_never_cache_headers(response)
    return response

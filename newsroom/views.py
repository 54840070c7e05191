"""Error pages of the project as a whole."""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import defaults


def permission_denied(request, exception):
    """403: inside the admin, a page in the admin's design that says what to do; elsewhere
    Django's own."""
    if not request.path.startswith(reverse("admin:index")) or not request.user.is_staff:
        return defaults.permission_denied(request, exception)
    context = {
        **admin.site.each_context(request),
        "title": "Your role does not allow this",
        "reason": str(exception) if exception else "",
    }
    response = TemplateResponse(request, "admin/403.html", context, status=403)
    return response.render()

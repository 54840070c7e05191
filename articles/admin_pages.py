"""Pages of our own inside the admin (the workflow, revisions, the fact-check desk, ...)."""

from functools import partial

from django.template.response import TemplateResponse
from django.urls import path
from django.views.decorators.http import require_POST


def admin_page(request, model_admin, template, *, title, **context):
    """Render `template` as an admin page: the admin's design and navigation, the model's
    options for breadcrumbs, and `title`."""
    return TemplateResponse(
        request,
        template,
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.opts,
            "title": title,
            **context,
        },
    )


def admin_route(model_admin, route, view, *, name, post_only=False):
    """A URL pattern under `model_admin` for `view(request, ..., model_admin=model_admin)`,
    behind the admin's login and staff check (and answering only POST when `post_only`)."""
    bound = partial(view, model_admin=model_admin)
    if post_only:
        bound = require_POST(bound)
    return path(route, model_admin.admin_site.admin_view(bound), name=name)

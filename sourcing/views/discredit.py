"""Decisions of the standards editor about a source: approving its anonymity, and discrediting
it (which opens a correction task on every published story that quotes it)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from articles.admin_pages import admin_page
from articles.models import Article

from .. import services
from ..forms import DiscreditForm
from ..models import Quote


def approve_view(request, pk, *, model_admin):
    source = model_admin.source_or_404(request, pk)
    if not model_admin.has_approve_anonymity_permission(request):
        raise PermissionDenied
    model_admin.approve(request, source)
    return redirect(reverse("admin:sourcing_source_change", args=[pk]))


def discredit_view(request, pk, *, model_admin):
    source = model_admin.source_or_404(request, pk)
    if not request.user.has_perm("sourcing.discredit_source"):
        raise PermissionDenied
    form = DiscreditForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        tasks = services.discredit_source(
            source=source, by=request.user, reason=form.cleaned_data["reason"]
        )
        stories = "story needs" if len(tasks) == 1 else "stories need"
        model_admin.message_user(
            request,
            f"{source} is marked discredited. {len(tasks)} published {stories} review for a "
            "correction.",
            messages.WARNING,
        )
        changelist = reverse("admin:sourcing_correctiontask_changelist")
        return redirect(f"{changelist}?{urlencode({'source__id__exact': source.pk})}")
    affected = (
        Quote.objects.in_body()
        .filter(source=source, article__in=Article.objects.published())
        .select_related("article")
    )
    return admin_page(
        request,
        model_admin,
        "admin/sourcing/source/discredit.html",
        title=f"Discredit {source}",
        source=source,
        form=form,
        affected=affected,
    )

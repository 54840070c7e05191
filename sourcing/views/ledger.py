"""The ledger of a source (every quote and story that uses it) and the whole quote ledger as CSV.
Both show identities only to those who may see them, and log each time they do."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Min
from django.db.models.functions import Coalesce
from django.http import StreamingHttpResponse

from articles.admin_pages import admin_page
from articles.models import Article

from ..confidential import CONFIDENTIAL_FIELDS, can_see_identity, log_identity_views
from ..export import ledger_lines, ledger_quotes
from ..forms import LedgerExportForm
from ..models import ARTICLE_LONG_TEXT, Source
from ..smells import overused_anonymous_sources


def source_ledger_view(request, pk, *, model_admin):
    """Every quote and story that uses the source, with its first and last use."""
    source = model_admin.source_or_404(request, pk)
    quotes = (
        source.quotes.select_related("article__section", "checked_by")
        .defer(*(f"article__{name}" for name in ARTICLE_LONG_TEXT))
        .annotate(story_date=Coalesce("article__first_published_at", "article__created_at"))
        .order_by("story_date", "article_id", "position")
        .filter(article__in=Article.objects.visible_to(request.user))
    )
    span = quotes.aggregate(
        first=Min("story_date"), last=Max("story_date"), stories=Count("article", distinct=True)
    )
    identity = None
    if can_see_identity(request.user, source):
        log_identity_views(user=request.user, sources=[source], place="ledger")
        identity = [
            (Source._meta.get_field(name).verbose_name, getattr(source, name))
            for name in CONFIDENTIAL_FIELDS
        ]
    return admin_page(
        request,
        model_admin,
        "admin/sourcing/source/ledger.html",
        title=f"Ledger: {source}",
        source=source,
        quotes=quotes,
        span=span,
        identity=identity,
        overused=source.is_anonymous and overused_anonymous_sources().filter(pk=source.pk).exists(),
    )


def export_view(request, *, model_admin):
    """The ledger for a date range as CSV (identities only for those allowed to see them)."""
    if not request.user.has_perm("sourcing.export_ledger"):
        raise PermissionDenied
    form = LedgerExportForm(request.GET or None)
    if not form.is_valid():
        return admin_page(
            request,
            model_admin,
            "admin/sourcing/quote/export.html",
            title="Export the quote ledger",
            form=form,
        )
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    quotes = ledger_quotes(start, end)
    sources = Source.objects.filter(quotes__in=quotes).distinct().select_related("person")
    shown = {source for source in sources if can_see_identity(request.user, source)}
    log_identity_views(user=request.user, sources=shown, place="export")
    response = StreamingHttpResponse(
        ledger_lines(quotes, identities_of=shown), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="quote-ledger-{start}-{end}.csv"'
    return response

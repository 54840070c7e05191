"""The fact-check desk: the queue of quotes needing a verdict across all stories, and the one-click
verdict posted from it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, When
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone

from articles.admin_pages import admin_page
from articles.models import Article, FactCheckAssignment
from articles.workflow import REVIEW, Status

from .. import services
from ..forms import DeskFilterForm, QuoteCheckForm
from ..models import ARTICLE_LONG_TEXT, Quote
from ..smells import attribution_smells, overused_anonymous_sources

#: The desk shows at most this many quotes; the filters narrow it down.
DESK_LIMIT = 500


def can_use_desk(user):
    return user.has_perm("sourcing.verify_quote") or user.has_perm(REVIEW)


def desk_view(request, *, model_admin):
    if not can_use_desk(request.user):
        raise PermissionDenied
    filters = DeskFilterForm(request.GET or None)
    # The user's own assignments come first, then by due time.
    mine_first = Case(When(article__factcheck_assignment__checker=request.user, then=0), default=1)
    quotes = filters.filter(Quote.objects.for_desk()).order_by(
        mine_first, "article__factcheck_assignment__due_at", "article_id", "position"
    )
    rows = [(quote, attribution_smells(quote.attribution)) for quote in quotes[:DESK_LIMIT]]
    assignments = (
        FactCheckAssignment.objects.filter(article__status=Status.FACT_CHECK)
        .select_related("article", "checker")
        .defer(*(f"article__{name}" for name in ARTICLE_LONG_TEXT))
        .order_by(Case(When(checker=request.user, then=0), default=1), "due_at")
    )
    return admin_page(
        request,
        model_admin,
        "admin/sourcing/desk.html",
        title="Fact-check desk",
        filters=filters,
        first_hand=[row for row in rows if not row[0].is_second_hand],
        second_hand=[row for row in rows if row[0].is_second_hand],
        truncated=len(rows) == DESK_LIMIT,
        assignments=assignments,
        unassigned=Article.objects.filter(
            status=Status.FACT_CHECK, factcheck_assignment__isnull=True
        ).defer(*ARTICLE_LONG_TEXT),
        overused=overused_anonymous_sources(),
        can_check=request.user.has_perm("sourcing.verify_quote"),
        now=timezone.now(),
        query=request.GET.urlencode(),
    )


def check_view(request, pk, *, model_admin):
    """Verify, dispute or mark unverifiable, with a note; back to the desk as it was filtered."""
    quote = get_object_or_404(model_admin.get_queryset(request), pk=pk)
    form = QuoteCheckForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.check_quote(quote=quote, by=request.user, **form.cleaned_data)
        except ValidationError as refusal:
            model_admin.message_user(
                request, f"{quote}: {' '.join(refusal.messages)}", messages.ERROR
            )
        else:
            quote.refresh_from_db()
            model_admin.message_user(
                request, f"{quote} is now {quote.get_status_display().lower()}.", messages.SUCCESS
            )
    else:
        errors = " ".join(error for errors in form.errors.values() for error in errors)
        model_admin.message_user(request, f"{quote}: {errors}", messages.ERROR)
    query = request.POST.get("query", "")
    return redirect(reverse("admin:sourcing_desk") + (f"?{query}" if query else ""))

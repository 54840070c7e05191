"""Sourcing in the admin: sources behind the confidentiality boundary, the quote ledger, the
fact-check desk, assignments, correction tasks and the log of who saw which identity."""

from urllib.parse import urlencode

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Min
from django.db.models.constants import LOOKUP_SEP
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from articles.admin import ArticleAdmin, ReadOnlyAdmin, status_badge
from articles.models import Article
from articles.workflow import REVIEW

from . import services
from .export import ledger_quotes, write_ledger
from .forms import DeskFilterForm, DiscreditForm, LedgerExportForm, QuoteCheckForm
from .models import (
    ConfidentialAccess,
    CorrectionTask,
    FactCheckAssignment,
    Outlet,
    Quote,
    QuoteCheck,
    Source,
)
from .smells import attribution_smells, overused_anonymous_sources

CONFIDENTIAL_NOTE = (
    "Confidential. Shown only to editors, fact-checkers, the standards editor and the reporter "
    "who recorded the source. Every view of this section is logged."
)
VIEW_CONFIDENTIAL = "sourcing.view_confidential_source"


def can_use_desk(user):
    return user.has_perm("sourcing.verify_quote") or user.has_perm(REVIEW)


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "url"]
    search_fields = ["name"]


class AnonymityFilter(admin.SimpleListFilter):
    title = "anonymity"
    parameter_name = "anonymity"

    def lookups(self, request, model_admin):
        return [("pending", "Awaiting approval"), ("approved", "Approved")]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.anonymous().filter(anonymity_approved_at__isnull=True)
        if self.value() == "approved":
            return queryset.anonymous().approved()
        return queryset


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    """Sources, with the confidential fields left out of every page, form and search for users
    who may not see them. `str(source)` is safe, so lists, dropdowns and logs are too."""

    list_display = ["__str__", "kind", "anonymity", "discredited", "created_by"]
    list_filter = ["kind", AnonymityFilter, ("discredited_at", admin.EmptyFieldListFilter)]
    list_select_related = ["person", "created_by", "anonymity_approved_by", "discredited_by"]
    # Never a confidential field here: a match would reveal what it contains.
    search_fields = ["name", "public_description", "person__name"]
    autocomplete_fields = ["person", "corroborating_sources"]
    readonly_fields = ["anonymity", "discredited", "created_by", "created_at"]
    change_form_template = "admin/sourcing/source/change_form.html"
    actions = ["approve_anonymity_action"]

    class Media:
        css = {"all": ["admin/css/newsroom.css"]}

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["kind", "person", "name", "public_description"]}),
            (
                "Grant of anonymity",
                {
                    "description": "For anonymous sources. Changing any of this after approval "
                    "withdraws the approval.",
                    "fields": [
                        "knowledge",
                        "information",
                        "on_record_possible",
                        "anonymity_reason_public",
                        "corroborating_sources",
                        "anonymity",
                    ],
                },
            ),
            ("Record", {"fields": ["discredited", "created_by", "created_at"]}),
        ]
        if obj is None or obj.identity_visible_to(request.user):
            fieldsets.insert(
                1,
                (
                    "Confidential identity",
                    {
                        "classes": ["confidential"],
                        "description": CONFIDENTIAL_NOTE,
                        "fields": list(Source.CONFIDENTIAL_FIELDS),
                    },
                ),
            )
        return fieldsets

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or obj.identity_visible_to(request.user)

    def lookup_allowed(self, lookup, value, request):
        # Filtering the list by a confidential field (?real_name__startswith=A) would tell
        # anyone reading the result count what the field holds, one letter at a time.
        field = lookup.split(LOOKUP_SEP, 1)[0]
        if field in Source.CONFIDENTIAL_FIELDS and not request.user.has_perm(VIEW_CONFIDENTIAL):
            return False
        return super().lookup_allowed(lookup, value, request)

    def has_approve_anonymity_permission(self, request):
        return request.user.has_perm("sourcing.approve_anonymity")

    @admin.display(description="Anonymity")
    def anonymity(self, source):
        if not source.is_anonymous:
            return "—"
        if source.anonymity_approved:
            when = timezone.localtime(source.anonymity_approved_at)
            return f"Approved by {source.anonymity_approved_by} on {when:%Y-%m-%d}"
        return "Awaiting a standards editor's approval"

    @admin.display(description="Discredited")
    def discredited(self, source):
        if not source.is_discredited:
            return "—"
        when = timezone.localtime(source.discredited_at)
        return f"{when:%Y-%m-%d} by {source.discredited_by}: {source.discredited_reason}"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @method_decorator(sensitive_post_parameters(*Source.CONFIDENTIAL_FIELDS))
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.identity_visible_to(request.user):
            services.record_identity_views(user=request.user, sources=[obj], place="source page")
        context["can_approve"] = (
            obj is not None
            and obj.is_anonymous
            and not obj.anonymity_approved
            and self.has_approve_anonymity_permission(request)
        )
        context["can_discredit"] = (
            obj is not None
            and not obj.is_discredited
            and request.user.has_perm("sourcing.discredit_source")
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.action(description="Approve anonymity (selected)", permissions=["approve_anonymity"])
    def approve_anonymity_action(self, request, queryset):
        for source in queryset:
            self._approve(request, source)

    def _approve(self, request, source):
        try:
            services.approve_anonymity(source=source, by=request.user)
        except ValidationError as refusal:
            self.message_user(
                request, f"{source}: not approved. {' '.join(refusal.messages)}", messages.ERROR
            )
        else:
            self.message_user(request, f"Anonymity approved for {source}.", messages.SUCCESS)

    def get_urls(self):
        return [
            path(
                "<int:pk>/approve/",
                self.admin_site.admin_view(require_POST(self.approve_view)),
                name="sourcing_source_approve",
            ),
            path(
                "<int:pk>/discredit/",
                self.admin_site.admin_view(self.discredit_view),
                name="sourcing_source_discredit",
            ),
            path(
                "<int:pk>/ledger/",
                self.admin_site.admin_view(self.ledger_view),
                name="sourcing_source_ledger",
            ),
            *super().get_urls(),
        ]

    def _source_or_404(self, request, pk):
        source = get_object_or_404(Source.objects.select_related("person"), pk=pk)
        if not self.has_view_permission(request, source):
            raise Http404
        return source

    def approve_view(self, request, pk):
        source = self._source_or_404(request, pk)
        if not self.has_approve_anonymity_permission(request):
            raise PermissionDenied
        self._approve(request, source)
        return redirect(reverse("admin:sourcing_source_change", args=[pk]))

    def discredit_view(self, request, pk):
        source = self._source_or_404(request, pk)
        if not request.user.has_perm("sourcing.discredit_source"):
            raise PermissionDenied
        form = DiscreditForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            tasks = services.discredit_source(
                source=source, by=request.user, reason=form.cleaned_data["reason"]
            )
            self.message_user(
                request,
                f"{source} is marked discredited. {len(tasks)} published "
                f"{'story needs' if len(tasks) == 1 else 'stories need'} review for a correction.",
                messages.WARNING,
            )
            changelist = reverse("admin:sourcing_correctiontask_changelist")
            return redirect(f"{changelist}?{urlencode({'source__id__exact': source.pk})}")
        affected = (
            Quote.objects.in_body()
            .filter(source=source, article__in=Article.objects.published())
            .select_related("article")
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Discredit {source}",
            "source": source,
            "form": form,
            "affected": affected,
        }
        return TemplateResponse(request, "admin/sourcing/source/discredit.html", context)

    def ledger_view(self, request, pk):
        """Every quote and story that uses the source, with its first and last use."""
        source = self._source_or_404(request, pk)
        quotes = (
            source.quotes.select_related("article__section", "checked_by")
            .annotate(story_date=Coalesce("article__first_published_at", "article__created_at"))
            .order_by("story_date", "article_id", "position")
        )
        if not request.user.has_perm(VIEW_CONFIDENTIAL):
            quotes = quotes.filter(article__in=Article.objects.visible_to(request.user))
        span = quotes.aggregate(
            first=Min("story_date"), last=Max("story_date"), stories=Count("article", distinct=True)
        )
        show_identity = source.identity_visible_to(request.user)
        if show_identity:
            services.record_identity_views(user=request.user, sources=[source], place="ledger")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Ledger: {source}",
            "source": source,
            "quotes": quotes,
            "span": span,
            "identity": [
                (Source._meta.get_field(name).verbose_name, getattr(source, name))
                for name in Source.CONFIDENTIAL_FIELDS
            ]
            if show_identity
            else None,
            "overused": source.is_anonymous
            and overused_anonymous_sources().filter(pk=source.pk).exists(),
        }
        return TemplateResponse(request, "admin/sourcing/source/ledger.html", context)


class AttributionFormSet(BaseInlineFormSet):
    def save_existing(self, form, obj, commit=True):
        # Write only the attribution fields the user changed: the body may have changed in the
        # same save, and the ledger sync that followed owns the text, position and status.
        instance = form.save(commit=False)
        if commit:
            instance.save(update_fields=form.changed_data)
        return instance


class QuoteInline(admin.TabularInline):
    """The article's quotes, as found in its body, for attributing each one."""

    model = Quote
    formset = AttributionFormSet
    # Each row is headed by the quote's opening words (its str); the full text is in the body.
    fields = [
        "verification",
        "source",
        "attribution",
        "how_obtained",
        "outlet",
        "outlet_url",
        "outlet_date",
    ]
    readonly_fields = ["verification"]
    autocomplete_fields = ["source", "outlet"]
    extra = 0
    can_delete = False
    verbose_name_plural = "Quotes found in the body (saved with the article)"

    def get_queryset(self, request):
        return super().get_queryset(request).in_body().select_related("source__person", "outlet")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or obj.can_be_edited_by(request.user)

    @admin.display(description="Verification")
    def verification(self, quote):
        return status_badge(quote.status, quote.get_status_display())


ArticleAdmin.add_inline(QuoteInline)


class QuoteCheckInline(admin.TabularInline):
    model = QuoteCheck
    fields = ["checked_at", "checked_by", "status", "text", "note", "evidence_url", "evidence"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Evidence file")
    def evidence(self, check):
        if not check.evidence_file:
            return "—"
        url = reverse("admin:sourcing_quotecheck_evidence", args=[check.pk])
        return format_html('<a href="{}">Download</a>', url)


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    """The quote ledger. Quotes come from article bodies; here they are attributed and read."""

    list_display = ["__str__", "article", "source", "verification", "how_obtained", "in_body"]
    list_filter = [
        "status",
        ("removed_at", admin.EmptyFieldListFilter),
        "how_obtained",
        "source__kind",
        "article__section",
    ]
    search_fields = ["text", "attribution", "article__headline"]
    autocomplete_fields = ["source", "outlet"]
    readonly_fields = [
        "article",
        "text",
        "previous_text",
        "verification",
        "checked_text",
        "checked_by",
        "checked_at",
        "check_note",
        "removed_at",
    ]
    fieldsets = [
        (None, {"fields": ["article", "text", "previous_text", "removed_at"]}),
        (
            "Attribution",
            {
                "fields": [
                    "source",
                    "attribution",
                    "how_obtained",
                    "outlet",
                    "outlet_url",
                    "outlet_date",
                ]
            },
        ),
        (
            "Verification",
            {"fields": ["verification", "checked_text", "checked_by", "checked_at", "check_note"]},
        ),
    ]
    inlines = [QuoteCheckInline]

    class Media:
        css = {"all": ["admin/css/newsroom.css"]}

    def get_queryset(self, request):
        quotes = super().get_queryset(request).for_desk()
        return quotes.filter(article__in=Article.objects.visible_to(request.user))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or obj.article.can_be_edited_by(request.user)

    @admin.display(description="Verification", ordering="status")
    def verification(self, quote):
        return status_badge(quote.status, quote.get_status_display())

    @admin.display(description="In body", boolean=True)
    def in_body(self, quote):
        return quote.in_body

    def get_urls(self):
        return [
            path("desk/", self.admin_site.admin_view(self.desk_view), name="sourcing_desk"),
            path(
                "<int:pk>/check/",
                self.admin_site.admin_view(require_POST(self.check_view)),
                name="sourcing_quote_check",
            ),
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="sourcing_ledger_export",
            ),
            path(
                "checks/<int:pk>/evidence/",
                self.admin_site.admin_view(self.evidence_view),
                name="sourcing_quotecheck_evidence",
            ),
            *super().get_urls(),
        ]

    def desk_view(self, request):
        """The fact-check desk: the queue of quotes needing action across all stories."""
        if not can_use_desk(request.user):
            raise PermissionDenied
        filters = DeskFilterForm(request.GET or None)
        quotes = filters.filter(Quote.objects.for_desk()).order_by(
            "article__factcheck_assignment__due_at", "article_id", "position"
        )
        rows = [(quote, attribution_smells(quote.attribution)) for quote in quotes[:500]]
        assignments = (
            FactCheckAssignment.objects.filter(article__status="fact_check")
            .select_related("article", "checker")
            .order_by("due_at")
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Fact-check desk",
            "filters": filters,
            "first_hand": [row for row in rows if not row[0].is_second_hand],
            "second_hand": [row for row in rows if row[0].is_second_hand],
            "truncated": len(rows) == 500,
            "assignments": assignments,
            "unassigned": Article.objects.filter(
                status="fact_check", factcheck_assignment__isnull=True
            ),
            "overused": overused_anonymous_sources(),
            "can_check": request.user.has_perm("sourcing.verify_quote"),
            "now": timezone.now(),
            "query": request.GET.urlencode(),
        }
        return TemplateResponse(request, "admin/sourcing/desk.html", context)

    def check_view(self, request, pk):
        """One click from the desk: verify, dispute or mark unverifiable, with a note."""
        quote = get_object_or_404(self.get_queryset(request), pk=pk)
        form = QuoteCheckForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.check_quote(
                    quote=quote,
                    by=request.user,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                    evidence_url=form.cleaned_data["evidence_url"],
                    evidence_file=form.cleaned_data["evidence_file"],
                    text=form.cleaned_data["text"],
                )
            except ValidationError as refusal:
                self.message_user(request, f"{quote}: {' '.join(refusal.messages)}", messages.ERROR)
            else:
                quote.refresh_from_db()
                self.message_user(
                    request,
                    f"{quote} is now {quote.get_status_display().lower()}.",
                    messages.SUCCESS,
                )
        else:
            errors = " ".join(error for errors in form.errors.values() for error in errors)
            self.message_user(request, f"{quote}: {errors}", messages.ERROR)
        query = request.POST.get("query", "")
        return redirect(reverse("admin:sourcing_desk") + (f"?{query}" if query else ""))

    def export_view(self, request):
        """The ledger for a date range as CSV (identities only for those allowed to see them)."""
        if not request.user.has_perm("sourcing.export_ledger"):
            raise PermissionDenied
        form = LedgerExportForm(request.GET or None)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "Export the quote ledger",
                "form": form,
            }
            return TemplateResponse(request, "admin/sourcing/quote/export.html", context)
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        quotes = list(ledger_quotes(start, end))
        with_identity = request.user.has_perm(VIEW_CONFIDENTIAL)
        if with_identity:
            sources = {quote.source for quote in quotes if quote.source}
            services.record_identity_views(user=request.user, sources=sources, place="export")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="quote-ledger-{start}-{end}.csv"'
        write_ledger(response, quotes, with_identity=with_identity)
        return response

    def evidence_view(self, request, pk):
        if not request.user.has_perm(VIEW_CONFIDENTIAL):
            raise PermissionDenied
        check = get_object_or_404(QuoteCheck, pk=pk)
        if not check.evidence_file:
            raise Http404
        return FileResponse(check.evidence_file.open("rb"), as_attachment=True)


@admin.register(FactCheckAssignment)
class FactCheckAssignmentAdmin(admin.ModelAdmin):
    list_display = ["article", "checker", "due_at", "overdue", "story_state", "assigned_by"]
    list_filter = ["checker"]
    list_select_related = ["article", "checker", "assigned_by"]
    autocomplete_fields = ["article", "checker"]
    fields = ["article", "checker", "due_at", "note"]

    @admin.display(description="Story state")
    def story_state(self, assignment):
        return status_badge(assignment.article.status, assignment.article.get_status_display())

    @admin.display(description="Overdue", boolean=True)
    def overdue(self, assignment):
        return bool(assignment.due_at and assignment.due_at < timezone.now())

    def save_model(self, request, obj, form, change):
        obj.assigned_by = request.user
        super().save_model(request, obj, form, change)


class TaskSourceFilter(admin.RelatedFieldListFilter):
    """The sources that have correction tasks, read with their profiles in one query."""

    def field_choices(self, field, request, model_admin):
        sources = Source.objects.filter(correction_tasks__isnull=False).distinct()
        return [(source.pk, str(source)) for source in sources.select_related("person")]


@admin.register(CorrectionTask)
class CorrectionTaskAdmin(admin.ModelAdmin):
    """Published stories to review because a source they rely on was discredited."""

    list_display = ["article", "source", "created_at", "resolved_at", "resolved_by"]
    list_filter = [("resolved_at", admin.EmptyFieldListFilter), ("source", TaskSourceFilter)]
    list_select_related = ["article", "source__person", "resolved_by"]
    readonly_fields = [
        "article",
        "source",
        "reason",
        "created_by",
        "created_at",
        "resolved_at",
        "resolved_by",
    ]
    fields = [*readonly_fields, "resolution"]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        if obj.resolved_at is None and obj.resolution.strip():
            services.resolve_correction_task(task=obj, by=request.user, resolution=obj.resolution)
        else:
            super().save_model(request, obj, form, change)


@admin.register(ConfidentialAccess)
class ConfidentialAccessAdmin(ReadOnlyAdmin):
    """Who was shown which confidential identity, and where."""

    list_display = ["viewed_at", "user", "source", "place"]
    list_filter = ["place", "user"]
    list_select_related = ["user", "source__person"]
    date_hierarchy = "viewed_at"

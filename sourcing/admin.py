"""Sourcing in the admin: sources behind the confidentiality boundary, the quote ledger, the
fact-check desk, assignments, correction tasks and the log of who saw which identity. The pages of
our own live in `sourcing/views/`; this module registers the models and wires those pages up."""

from math import ceil
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from articles.admin import ArticleAdmin, OfVisibleArticles, ReadOnlyAdmin, status_badge
from articles.admin_pages import admin_route
from articles.models import Article

from . import services
from .confidential import ConfidentialAdminMixin, can_see_identity
from .models import (
    ConfidentialAccess,
    CorrectionTask,
    Outlet,
    Quote,
    QuoteCheck,
    Source,
)
from .views import desk, discredit, evidence, ledger


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
class SourceAdmin(ConfidentialAdminMixin, admin.ModelAdmin):
    """Sources. The confidential fields are added to the form, and logged, only for users who
    may see them (see sourcing/confidential.py). `str(source)` is safe, so lists, dropdowns and
    logs are too."""

    list_display = ["__str__", "kind", "anonymity", "discredited", "created_by"]
    list_filter = ["kind", AnonymityFilter, ("discredited_at", admin.EmptyFieldListFilter)]
    list_select_related = ["person", "created_by", "anonymity_approved_by", "discredited_by"]
    search_fields = ["name", "public_description", "person__name"]
    autocomplete_fields = ["person", "corroborating_sources"]
    readonly_fields = ["anonymity", "discredited", "created_by", "created_at"]
    change_form_template = "admin/sourcing/source/change_form.html"
    actions = ["approve_anonymity_action"]
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

    class Media:
        css = {"all": ["admin/css/newsroom.css"]}

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or can_see_identity(request.user, obj)

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

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
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
            self.approve(request, source)

    def approve(self, request, source):
        """Approve `source`'s anonymity as `request.user`, telling them how it went."""
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
            admin_route(
                self,
                "<int:pk>/approve/",
                discredit.approve_view,
                name="sourcing_source_approve",
                post_only=True,
            ),
            admin_route(
                self,
                "<int:pk>/discredit/",
                discredit.discredit_view,
                name="sourcing_source_discredit",
            ),
            admin_route(
                self, "<int:pk>/ledger/", ledger.source_ledger_view, name="sourcing_source_ledger"
            ),
            *super().get_urls(),
        ]

    def source_or_404(self, request, pk):
        source = get_object_or_404(Source.objects.select_related("person"), pk=pk)
        if not self.has_view_permission(request, source):
            raise Http404
        return source


class AttributionFormSet(BaseInlineFormSet):
    #: The quotes this page of the inline shows (QuoteInline.get_formset sets it per request).
    rows = slice(None)

    def get_queryset(self):
        if not hasattr(self, "_page"):
            self._page = super().get_queryset()[self.rows]
        return self._page

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
    template = "admin/sourcing/quote/inline.html"
    #: Quotes per page of the inline: a story with thousands (from before the cap) would
    #: otherwise make a change form of tens of megabytes.
    per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).in_body().select_related("source__person", "outlet")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        total = obj.quotes.in_body().count() if obj is not None else 0
        pages = max(ceil(total / self.per_page), 1)
        page = request.GET.get("quotes", "1")
        page = min(int(page), pages) if page.isdigit() and int(page) > 0 else 1
        formset.rows = slice((page - 1) * self.per_page, page * self.per_page)
        formset.pager = {
            "total": total,
            "first": (page - 1) * self.per_page + 1,
            "last": min(page * self.per_page, total),
            "links": [
                (number, f"?{urlencode({**request.GET.dict(), 'quotes': number})}", number == page)
                for number in range(1, pages + 1)
            ]
            if pages > 1
            else [],
        }
        return formset

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or obj.can_be_edited_by(request.user)

    @admin.display(description="Verification")
    def verification(self, quote):
        return status_badge(quote.status, quote.get_status_display())


admin.site.unregister(Article)


@admin.register(Article)
class SourcedArticleAdmin(ArticleAdmin):
    """The article admin with the story's quotes to attribute, under the body."""

    inlines = [*ArticleAdmin.inlines, QuoteInline]


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
            admin_route(self, "desk/", desk.desk_view, name="sourcing_desk"),
            admin_route(
                self,
                "<int:pk>/check/",
                desk.check_view,
                name="sourcing_quote_check",
                post_only=True,
            ),
            admin_route(self, "export/", ledger.export_view, name="sourcing_ledger_export"),
            admin_route(
                self,
                "checks/<int:pk>/evidence/",
                evidence.evidence_view,
                name="sourcing_quotecheck_evidence",
            ),
            *super().get_urls(),
        ]


class TaskSourceFilter(admin.RelatedFieldListFilter):
    """The sources that have correction tasks, read with their profiles in one query."""

    def field_choices(self, field, request, model_admin):
        sources = Source.objects.filter(correction_tasks__isnull=False).distinct()
        return [(source.pk, str(source)) for source in sources.select_related("person")]


@admin.register(CorrectionTask)
class CorrectionTaskAdmin(OfVisibleArticles, admin.ModelAdmin):
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

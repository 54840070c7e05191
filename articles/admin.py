from difflib import ndiff

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from people.models import Person

from .checks import publish_problems
from .forms import ArticleAdminForm, WorkflowForm
from .html import plain_text
from .models import (
    Article,
    ArticleRedirect,
    Byline,
    Correction,
    PreviewLink,
    Section,
    WorkflowEvent,
)
from .presence import note_editor
from .workflow import (
    APPROVE_FACTCHECKED,
    PUBLISH,
    REVIEW,
    StaleEdit,
    Status,
    WorkflowError,
    available_transitions,
)


def in_newsroom_zone(label):
    """A label for a time shown in the admin, naming the newsroom's time zone."""
    return f"{label} ({settings.TIME_ZONE})"


def status_badge(status, label):
    """A coloured status label (colours in admin/css/newsroom.css)."""
    return format_html('<span class="status-badge status-{}">{}</span>', status, label)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "role", "position"]


class MyWorkFilter(admin.SimpleListFilter):
    """What is waiting for the current user, by role."""

    title = "my work"
    parameter_name = "my_work"

    def lookups(self, request, model_admin):
        user = request.user
        choices = [("mine", "My drafts and returned stories")]
        if user.has_perm(REVIEW):
            choices.append(("to_review", "Awaiting review"))
        if user.has_perm(REVIEW) or user.has_perm(APPROVE_FACTCHECKED):
            choices.append(("in_factcheck", "In fact-check"))
        if user.has_perm(PUBLISH):
            choices.append(("to_publish", "Approved, ready to publish"))
        return choices

    def queryset(self, request, queryset):
        match self.value():
            case "mine":
                return queryset.filter(created_by=request.user, status=Status.DRAFT)
            case "to_review":
                return queryset.filter(status=Status.IN_REVIEW)
            case "in_factcheck":
                return queryset.filter(status=Status.FACT_CHECK)
            case "to_publish":
                return queryset.filter(status=Status.APPROVED)
        return queryset


class AuthorFilter(admin.SimpleListFilter):
    title = "author"
    parameter_name = "author"

    def lookups(self, request, model_admin):
        return [(person.pk, person.name) for person in Person.objects.staff()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(bylines__person_id=self.value()).distinct()
        return queryset


class ScheduledTodayFilter(admin.SimpleListFilter):
    title = "schedule"
    parameter_name = "scheduled"

    def lookups(self, request, model_admin):
        return [("today", "Scheduled for today"), ("all", "All scheduled")]

    def queryset(self, request, queryset):
        if self.value() == "today":
            return queryset.filter(status=Status.SCHEDULED, publish_at__date=timezone.localdate())
        if self.value() == "all":
            return queryset.filter(status=Status.SCHEDULED)
        return queryset


def _bulk_action(name, description):
    """An admin action that runs transition `name` on each selected article, reporting each."""

    def action(modeladmin, request, queryset):
        done = 0
        for article in queryset:
            try:
                getattr(article, name)(by=request.user)
            except WorkflowError as refusal:
                modeladmin.message_user(request, f"“{article}”: {refusal}", level=messages.ERROR)
            else:
                done += 1
        if done:
            modeladmin.message_user(request, f"{description}: {done} article(s).")

    action.__name__ = f"bulk_{name}"
    return admin.action(description=f"{description} (selected)")(action)


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    form = ArticleAdminForm
    list_display = [
        "headline_or_placeholder",
        "status_label",
        "section",
        "authors",
        "first_published",
        "scheduled_for",
        "modified",
    ]
    list_filter = [MyWorkFilter, "status", "section", AuthorFilter, ScheduledTodayFilter]
    list_select_related = ["section"]
    search_fields = ["headline", "dek", "slug"]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "lead_photo", "people"]
    date_hierarchy = "first_published_at"
    inlines = [BylineInline]
    readonly_fields = ["status_label", "scheduled_for", "first_published", "updated_for_readers"]
    actions = [
        _bulk_action("submit", "Submit for review"),
        _bulk_action("send_to_factcheck", "Send to fact-check"),
        _bulk_action("approve", "Approve"),
        _bulk_action("publish", "Publish now"),
        _bulk_action("unpublish", "Unpublish"),
    ]
    change_form_template = "admin/articles/article/change_form.html"

    #: Inlines that other apps add (sourcing adds the quote ledger) without this app importing them.
    extra_inlines: list = []

    class Media:
        css = {"all": ["admin/css/newsroom.css"]}

    @classmethod
    def add_inline(cls, inline):
        if inline not in cls.extra_inlines:
            cls.extra_inlines.append(inline)

    def get_inlines(self, request, obj):
        return [*self.inlines, *self.extra_inlines]

    def get_fieldsets(self, request, obj=None):
        main = ["headline", "slug", "dek", "section", "dateline", "body", "loaded_version"]
        if obj is not None and obj.status == Status.PUBLISHED:
            main.append("meaningful_update")
        return [
            (None, {"fields": main}),
            ("People, topics and photo", {"fields": ["people", "tags", "lead_photo"]}),
            (
                "Publication",
                {
                    "fields": [
                        "status_label",
                        "scheduled_for",
                        "first_published",
                        "updated_for_readers",
                    ],
                    "description": "The updated time readers see moves only for corrections "
                    "and for edits marked as meaningful updates.",
                },
            ),
            (
                "Advanced",
                {"classes": ["collapse"], "fields": ["seo_title", "seo_description", "desk_notes"]},
            ),
        ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .visible_to(request.user)
            .prefetch_related("bylines__person")
        )

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or Article.objects.visible_to(request.user).filter(pk=obj.pk).exists()

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or obj.can_be_edited_by(request.user)

    @admin.display(description="Headline", ordering="headline")
    def headline_or_placeholder(self, article):
        return str(article)

    @admin.display(description="Status", ordering="status")
    def status_label(self, article):
        return status_badge(article.status, article.get_status_display())

    @admin.display(description="Bylines")
    def authors(self, article):
        return ", ".join(byline.person.name for byline in article.bylines.all())

    # Times are shown in the newsroom's zone (the active one); the labels say which it is.

    def _newsroom_time(self, value):
        # Formatted here: the admin shows what a method returns for a read-only field as is.
        if value is None:
            return self.get_empty_value_display()
        return formats.localize(timezone.localtime(value))

    @admin.display(description=in_newsroom_zone("Scheduled for"), ordering="publish_at")
    def scheduled_for(self, article):
        return self._newsroom_time(article.publish_at)

    @admin.display(description=in_newsroom_zone("First published"), ordering="first_published_at")
    def first_published(self, article):
        return self._newsroom_time(article.first_published_at)

    @admin.display(description=in_newsroom_zone("Updated for readers"))
    def updated_for_readers(self, article):
        return self._newsroom_time(article.updated_at)

    @admin.display(description=in_newsroom_zone("Last saved"), ordering="modified_at")
    def modified(self, article):
        return self._newsroom_time(article.modified_at)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            obj.save()
            return
        obj.version = form.cleaned_data["loaded_version"]
        reopened = obj.save_edit(
            by=request.user, meaningful_update=form.cleaned_data["meaningful_update"]
        )
        if reopened is not None:
            self.message_user(
                request, f"“{obj}” is back in review: {reopened.comment}", messages.WARNING
            )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleEdit:
            # Another save landed between this form's validation and its write. The transaction
            # was rolled back; showing the form again lets its version check explain, with the
            # user's text still in the fields.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        if article is not None and self.has_view_permission(request, article):
            extra_context = {**(extra_context or {}), **self._workflow_context(request, article)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _workflow_context(self, request, article):
        transitions = available_transitions(request.user, article)
        return {
            "article": article,
            "transitions": [t for t in transitions if t.name not in ("schedule", "correct")],
            "can_schedule": any(t.name == "schedule" for t in transitions),
            "can_correct": any(t.name == "correct" for t in transitions),
            "workflow_form": WorkflowForm(),
            "publish_problems": publish_problems(article),
            "events": article.events.select_related("actor"),
            "other_editors": note_editor(article.pk, request.user),
            "preview_links": article.preview_links.active().select_related("created_by"),
            "can_share_preview": request.user.has_perm(REVIEW),
        }

    def get_urls(self):
        own = [
            path(
                "<int:pk>/workflow/",
                self.admin_site.admin_view(require_POST(self.workflow_view)),
                name="articles_article_workflow",
            ),
            path(
                "<int:pk>/preview-links/",
                self.admin_site.admin_view(require_POST(self.create_preview_link_view)),
                name="articles_article_preview_link",
            ),
            path(
                "<int:pk>/preview-links/<int:link_pk>/revoke/",
                self.admin_site.admin_view(require_POST(self.revoke_preview_link_view)),
                name="articles_article_revoke_preview_link",
            ),
        ]
        return own + super().get_urls()

    def _article_or_404(self, request, pk):
        article = get_object_or_404(Article, pk=pk)
        if not self.has_view_permission(request, article):
            raise Http404
        return article

    def _back_to(self, article):
        return redirect(reverse("admin:articles_article_change", args=[article.pk]))

    @staticmethod
    def _form_errors(form):
        return " ".join(error for errors in form.errors.values() for error in errors)

    @staticmethod
    def _refusal_message(article, refusal):
        return f"“{article}” was not changed: {refusal}"

    @staticmethod
    def _success_message(event):
        state = event.get_to_status_display().lower()
        return f"{event.get_action_display()}: “{event.article}” is now {state}."

    def workflow_view(self, request, pk):
        article = self._article_or_404(request, pk)
        form = WorkflowForm(request.POST)
        if not form.is_valid():
            self.message_user(request, self._form_errors(form), level=messages.ERROR)
            return self._back_to(article)
        try:
            event = form.perform(article, by=request.user)
        except WorkflowError as refusal:
            self.message_user(request, self._refusal_message(article, refusal), messages.ERROR)
        else:
            self.message_user(request, self._success_message(event), messages.SUCCESS)
        return self._back_to(article)

    @staticmethod
    def _require_share_permission(request):
        if not request.user.has_perm(REVIEW):
            raise PermissionDenied

    def create_preview_link_view(self, request, pk):
        article = self._article_or_404(request, pk)
        self._require_share_permission(request)
        link = PreviewLink.create_for(article, by=request.user)
        self.message_user(
            request,
            format_html(
                "Shareable preview link (valid until {}): <code>{}</code>",
                timezone.localtime(link.expires_at).strftime("%b %-d, %H:%M %Z"),
                request.build_absolute_uri(link.get_absolute_url()),
            ),
            messages.SUCCESS,
        )
        return self._back_to(article)

    def revoke_preview_link_view(self, request, pk, link_pk):
        article = self._article_or_404(request, pk)
        self._require_share_permission(request)
        get_object_or_404(article.preview_links, pk=link_pk).revoke()
        self.message_user(request, "The preview link no longer works.", messages.SUCCESS)
        return self._back_to(article)

    # Revisions: simple-history lists them; comparing and restoring happens here.

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        article = self._article_or_404(request, object_id)
        revision = get_object_or_404(article.history, history_id=version_id)
        if request.method == "POST":
            try:
                article.restore_revision(revision, by=request.user)
            except WorkflowError as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
            else:
                self.message_user(
                    request,
                    "The earlier version is back, saved as a new revision. "
                    "The article's workflow state did not change.",
                    messages.SUCCESS,
                )
            return self._back_to(article)
        when = timezone.localtime(revision.history_date)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Compare with the version of {when:%Y-%m-%d %H:%M}",
            "article": article,
            "revision": revision,
            "differences": revision_differences(article, revision),
            "can_restore": article.can_be_edited_by(request.user),
        }
        return TemplateResponse(request, "admin/articles/article/revision.html", context)


def revision_differences(article, revision):
    """(field label, [(mark, line)]) for each restorable field that differs from now.
    Marks: "-" only in the revision, "+" only in the current article, " " in both."""
    differences = []
    for name in Article.RESTORABLE_FIELDS:
        field = Article._meta.get_field(name)
        old, new = getattr(revision, field.attname), getattr(article, field.attname)
        if old == new:
            continue
        if name == "body":
            old_lines, new_lines = plain_text(old).split("\n\n"), plain_text(new).split("\n\n")
        else:
            old_lines, new_lines = [_readable(field, old)], [_readable(field, new)]
        lines = [
            (line[0], line[2:])
            for line in ndiff(old_lines, new_lines)
            if line[0] in "-+ " and line[2:].strip()
        ]
        differences.append((field.verbose_name.capitalize(), lines))
    return differences


def _readable(field, value):
    """A field's stored value as an editor would name it: a section by its name, not its id."""
    if value is None or value == "":
        return "—"
    if field.is_relation:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else f"(a deleted {field.related_model._meta.verbose_name})"
    return str(value)


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records the system writes: listed and read in the admin, never added, edited or
    deleted there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ArticleRecordAdmin(ReadOnlyAdmin):
    """Records about articles, listed only for the articles the user may see."""

    def get_queryset(self, request):
        visible = Article.objects.visible_to(request.user)
        return super().get_queryset(request).filter(article__in=visible)


@admin.register(Correction)
class CorrectionAdmin(ArticleRecordAdmin):
    """The corrections log. Corrections are added from the article page, never edited here."""

    list_display = ["article", "kind", "created_at", "created_by"]
    list_filter = ["kind"]
    search_fields = ["text", "article__headline"]
    list_select_related = ["article", "created_by"]


@admin.register(WorkflowEvent)
class WorkflowEventAdmin(ArticleRecordAdmin):
    list_display = ["created_at", "article", "action", "from_status", "to_status", "actor"]
    list_filter = ["action", "to_status"]
    search_fields = ["article__headline", "comment"]
    list_select_related = ["article", "actor"]
    date_hierarchy = "created_at"


@admin.register(ArticleRedirect)
class ArticleRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_slug", "article", "created_at"]
    search_fields = ["old_slug", "article__headline"]
    autocomplete_fields = ["article"]

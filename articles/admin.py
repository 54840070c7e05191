import re

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from newsroom.paginators import DeferredJoinPaginator
from newsroom.shared_records import SharedRecordAdmin
from people.models import Person
from photos.widgets import PhotoPickerMixin

from .admin_views import ArticleDeskViews, workflow_outcome
from .forms import ArticleAdminForm, WorkflowForm
from .models import (
    Article,
    ArticleRedirect,
    Byline,
    Correction,
    FactCheckAssignment,
    MinorNamingClearance,
    Section,
    WorkflowEvent,
)
from .search import matching
from .workflow import (
    APPROVE_FACTCHECKED,
    PUBLISH,
    REVIEW,
    TRANSITIONS,
    Action,
    StaleEdit,
    Status,
    WorkflowError,
)


def in_newsroom_zone(label):
    """A label for a time shown in the admin, naming the newsroom's time zone."""
    return f"{label} ({settings.TIME_ZONE})"


def status_badge(status, label):
    """A coloured status label (colours in admin/css/newsroom.css)."""
    return format_html('<span class="status-badge status-{}">{}</span>', status, label)


@admin.register(Section)
class SectionAdmin(SharedRecordAdmin):
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
            choices.append(("updates", "Published, with a pending update"))
        return choices

    def queryset(self, request, queryset):
        match self.value():
            case "mine":
                return queryset.of(request.user).filter(status=Status.DRAFT)
            case "to_review":
                return queryset.filter(status=Status.IN_REVIEW)
            case "in_factcheck":
                return queryset.filter(status=Status.FACT_CHECK)
            case "to_publish":
                return queryset.filter(status=Status.APPROVED)
            case "updates":
                return queryset.with_pending_update()
        return queryset


class AuthorFilter(admin.SimpleListFilter):
    title = "author"
    parameter_name = "author"

    def lookups(self, request, model_admin):
        return [(person.pk, person.name) for person in Person.objects.staff()]

    def queryset(self, request, queryset):
        # The value is text from the query string, or a lookup's own int when the admin counts
        # facets.
        value = str(self.value() or "")
        if not value:
            return queryset
        if not value.isdigit():
            # As the admin treats a lookup it does not allow: a 400, not a server error.
            raise SuspiciousOperation("The author filter takes the number of a staff profile.")
        return queryset.filter(bylines__person_id=value).distinct()


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


def _bulk_action(action):
    """An admin action that takes workflow `action` on each selected article, reporting each."""
    label = TRANSITIONS[action].label

    def bulk(modeladmin, request, queryset):
        done = 0
        for article in queryset:
            try:
                article.transition(action, by=request.user)
            except WorkflowError as refusal:
                modeladmin.message_user(request, f"“{article}”: {refusal}", level=messages.ERROR)
            else:
                done += 1
        if done:
            modeladmin.message_user(request, f"{label}: {done} article(s).")

    bulk.__name__ = f"bulk_{action}"
    return admin.action(description=f"{label} (selected)")(bulk)


@admin.register(Article)
class ArticleAdmin(PhotoPickerMixin, ArticleDeskViews, SimpleHistoryAdmin):
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
    # Shows the search box; get_search_results() asks the search index (articles/search.py).
    search_fields = ["headline", "dek", "body", "bylines__person__name"]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "people"]
    date_hierarchy = "first_published_at"
    # Deep pages (an offset of 99,900 at 100,000 stories) pick their ids from an index first.
    paginator = DeferredJoinPaginator
    inlines = [BylineInline]
    readonly_fields = ["status_label", "scheduled_for", "first_published", "updated_for_readers"]
    actions = [
        _bulk_action(Action.SUBMIT),
        _bulk_action(Action.SEND_TO_FACTCHECK),
        _bulk_action(Action.APPROVE),
        _bulk_action(Action.PUBLISH),
        _bulk_action(Action.UNPUBLISH),
    ]
    change_form_template = "admin/articles/article/change_form.html"

    class Media:
        css = {"all": ["admin/css/newsroom.css"]}

    def get_fieldsets(self, request, obj=None):
        main = {
            "fields": ["type_of_work", "headline", "slug", "dek", "section", "dateline", "body"]
        }
        if obj is not None and obj.status == Status.PUBLISHED:
            main["fields"].append("meaningful_update")
            main["description"] = (
                "This story is live. Saving keeps your changes as a pending update that readers "
                "do not see; “Publish update” runs the publish checks and makes it live."
            )
        main["fields"].append("loaded_version")
        return [
            (None, main),
            ("People, topics and photo", {"fields": ["people", "tags", "lead_photo"]}),
            (
                "Publication",
                {
                    "fields": [
                        "status_label",
                        "scheduled_for",
                        "first_published",
                        "updated_for_readers",
                        "embargo_until",
                        "expires_at",
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

    def get_search_results(self, request, queryset, search_term):
        """The search index's match, in any state, within the list's queryset (what the user may
        open); a number also finds the story with that id."""
        if not search_term.strip():
            return queryset, False
        found = matching(search_term, queryset)
        if re.fullmatch(r"[0-9]{1,9}", search_term.strip()):
            found |= Q(pk=int(search_term))
        return queryset.filter(found), False

    def get_object(self, request, object_id, from_field=None):
        """The article as its form edits it: a published story with its pending update on, and
        the user's unsaved text when they asked to restore it."""
        article = super().get_object(request, object_id, from_field)
        if article is not None:
            article.show_pending_update()
            if request.GET.get("restore") == "autosave" and (
                autosave := article.autosaves.filter(user=request.user).first()
            ):
                autosave.restore_onto(article)
        return article

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Says neither "deleted" nor whether the story exists: reporters may not learn of
        # other reporters' drafts.
        self.message_user(
            request,
            f"There is no story #{object_id} that you may open. It may not exist, or it may be "
            "another reporter's unpublished story (reporters open their own stories and "
            "published ones). Ask an editor if you need it.",
            messages.WARNING,
        )
        return redirect(reverse("admin:articles_article_changelist"))

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or Article.objects.visible_to(request.user).filter(pk=obj.pk).exists()

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or obj.can_be_edited_by(request.user)

    def history_view(self, request, object_id, extra_context=None):
        # A story the user may not open answers like one that does not exist (simple-history
        # would answer 403, which tells that it does).
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404
        return super().history_view(request, object_id, extra_context)

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

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name != "people":
            return super().formfield_for_manytomany(db_field, request, **kwargs)
        # `people` has a model of its own (PersonInStory: the story's time copied, for the person
        # page's order) with nothing for editors to fill in; the admin leaves out such fields.
        kwargs.setdefault(
            "widget",
            AutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using")),
        )
        if (
            queryset := self.get_field_queryset(kwargs.get("using"), db_field, request)
        ) is not None:
            kwargs.setdefault("queryset", queryset)
        return db_field.formfield(**kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if refusal := getattr(request, "workflow_refusal", None):
            form = type(form.__name__, (form,), {"workflow_refusal": refusal})
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            obj.save()
            return
        obj.version = form.cleaned_data["loaded_version"]
        reopened = obj.save_edit(
            by=request.user, meaningful_update=form.cleaned_data["meaningful_update"]
        )
        obj.autosaves.filter(user=request.user).delete()
        if step := getattr(request, "workflow_step", None):
            request.workflow_event = step.perform(obj, by=request.user)
        elif reopened is not None:
            self.message_user(
                request, f"“{obj}” is back in review: {reopened.comment}", messages.WARNING
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            form.instance.add_creator_byline()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """The change form, and a workflow step posted with it (a button of the workflow panel):
        the edits are saved and the step taken in one transaction, or neither happens and the
        form comes back with the reason and the typed text."""
        if request.method == "POST" and object_id and "workflow-transition" in request.POST:
            step = WorkflowForm(request.POST)
            if step.is_valid():
                request.workflow_step = step
            else:
                request.workflow_refusal = step.refusal
        try:
            with transaction.atomic():
                return super().changeform_view(request, object_id, form_url, extra_context)
        except (StaleEdit, IntegrityError):
            # Another save landed between this form's validation and its write: a newer version,
            # or the same slug taken at the same moment. The transaction was rolled back; showing
            # the form again lets its checks explain, with the user's text still in the fields.
            return super().changeform_view(request, object_id, form_url, extra_context)
        except WorkflowError as refusal:
            request.workflow_step, request.workflow_refusal = None, refusal
            return super().changeform_view(request, object_id, form_url, extra_context)

    def response_change(self, request, obj):
        if event := getattr(request, "workflow_event", None):
            self.message_user(request, f"Saved. {workflow_outcome(event)}", messages.SUCCESS)
            return redirect(reverse("admin:articles_article_change", args=[obj.pk]))
        return super().response_change(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        if article is not None and self.has_view_permission(request, article):
            extra_context = {**(extra_context or {}), **self.workflow_context(request, article)}
        return super().change_view(request, object_id, form_url, extra_context)


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records the system writes: listed and read in the admin, never added, edited or
    deleted there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OfVisibleArticles:
    """An admin mixin for records that name an article: every list, page and search shows only
    those of articles the user may open (others answer as if they did not exist)."""

    def get_queryset(self, request):
        visible = Article.objects.visible_to(request.user)
        return super().get_queryset(request).filter(article__in=visible)


class ArticleRecordAdmin(OfVisibleArticles, ReadOnlyAdmin):
    """Records about articles that the system writes."""


@admin.register(Correction)
class CorrectionAdmin(ArticleRecordAdmin):
    """The corrections log. Corrections are added from the article page, never edited here."""

    list_display = ["article", "kind", "created_at", "created_by"]
    list_filter = ["kind"]
    search_fields = ["text", "article__headline"]
    list_select_related = ["article", "created_by"]


@admin.register(FactCheckAssignment)
class FactCheckAssignmentAdmin(OfVisibleArticles, admin.ModelAdmin):
    """Who checks which story, by when: set when a story is sent to fact-check, changed here."""

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


@admin.register(MinorNamingClearance)
class MinorNamingClearanceAdmin(ArticleRecordAdmin):
    """Stories a standards editor let name a minor, and why. Given from the story's page."""

    list_display = ["article", "person", "cleared_by", "cleared_at"]
    list_select_related = ["article", "person", "cleared_by"]


@admin.register(WorkflowEvent)
class WorkflowEventAdmin(ArticleRecordAdmin):
    list_display = ["created_at", "article", "action", "from_status", "to_status", "actor"]
    list_filter = ["action", "to_status"]
    search_fields = ["article__headline", "comment"]
    list_select_related = ["article", "actor"]
    date_hierarchy = "created_at"


@admin.register(ArticleRedirect)
class ArticleRedirectAdmin(OfVisibleArticles, admin.ModelAdmin):
    list_display = ["old_slug", "article", "created_at"]
    search_fields = ["old_slug", "article__headline"]
    autocomplete_fields = ["article"]

"""The planning desk in the admin: assignments (the budget's lines) with the budget and the
calendar as their pages, and comments, read and written on each story's comments page."""

from django.contrib import admin

from articles.admin import ReadOnlyAdmin, status_badge
from articles.admin_pages import admin_route
from articles.models import Article

from .models import PLAN, Assignment, Comment, staff_writers
from .views import budget, calendar, comments

VIEW_DESK = "articles.view_article"


def _writers():
    """Whom a story may be assigned to."""
    return staff_writers().order_by("last_name", "first_name", "username")


class PlanningPermissions:
    """Everyone at the desk reads the plan; editors (those who may edit any story) write it."""

    def has_module_permission(self, request):
        return request.user.has_perm(VIEW_DESK)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(VIEW_DESK)

    def has_add_permission(self, request):
        return request.user.has_perm(PLAN)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm(PLAN)

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm(PLAN) and (obj is None or obj.article_id is None)


@admin.register(Assignment)
class AssignmentAdmin(PlanningPermissions, admin.ModelAdmin):
    fields = [
        "working_slug",
        "budget_line",
        "section",
        "reporters",
        "photographer",
        "expected_words",
        "due_at",
        "run_on",
        "priority",
    ]
    list_display = [
        "working_slug",
        "budget_line",
        "section",
        "run_on",
        "priority",
        "state",
    ]
    list_filter = ["section", "priority", "run_on"]
    list_select_related = ["section", "article"]
    search_fields = ["working_slug", "budget_line"]
    filter_horizontal = ["reporters"]
    date_hierarchy = "run_on"

    class Media:
        css = {"all": ["admin/css/newsroom.css", "admin/css/planning.css"]}

    def get_urls(self):
        return [
            admin_route(self, "budget/", budget.budget_view, name="planning_budget"),
            admin_route(self, "budget.csv", budget.budget_csv_view, name="planning_budget_csv"),
            admin_route(
                self,
                "<int:pk>/start/",
                budget.start_view,
                name="planning_assignment_start",
                post_only=True,
            ),
            admin_route(
                self,
                "budget/add/<int:pk>/",
                budget.put_on_budget_view,
                name="planning_put_on_budget",
                post_only=True,
            ),
            admin_route(self, "calendar/", calendar.calendar_view, name="planning_calendar"),
            admin_route(
                self,
                "calendar/move/<int:pk>/",
                calendar.move_view,
                name="planning_calendar_move",
                post_only=True,
            ),
            admin_route(
                self,
                "calendar/feed/",
                calendar.feed_view,
                name="planning_calendar_feed",
                post_only=True,
            ),
            *super().get_urls(),
        ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "reporters":
            kwargs["queryset"] = _writers()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "photographer":
            kwargs["queryset"] = _writers()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="State")
    def state(self, assignment):
        return status_badge(assignment.state, assignment.state_label)


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    """A read-only list of the comments on stories the user may open; comments are written,
    answered and resolved on each story's comments page."""

    list_display = ["article", "author", "created_at", "blocking", "is_resolved"]
    list_filter = ["blocking", ("resolved_at", admin.EmptyFieldListFilter)]
    list_select_related = ["article", "author"]
    search_fields = ["text", "article__headline"]

    def get_urls(self):
        return [
            admin_route(
                self,
                "article/<int:pk>/",
                comments.article_comments_view,
                name="planning_comment_article",
            ),
            admin_route(
                self,
                "<int:pk>/resolve/",
                comments.resolve_view,
                name="planning_comment_resolve",
                post_only=True,
            ),
            *super().get_urls(),
        ]

    def get_queryset(self, request):
        visible = Article.objects.visible_to(request.user).values("pk")
        return super().get_queryset(request).filter(article__in=visible)

    def has_module_permission(self, request):
        return request.user.has_perm(VIEW_DESK)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(VIEW_DESK)

    @admin.display(boolean=True, description="Resolved")
    def is_resolved(self, comment):
        return comment.is_resolved

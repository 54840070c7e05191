"""The story budget: planned stories and stories in progress, by day and desk, for the morning
meeting (printable) and for spreadsheets (CSV)."""

import csv
from datetime import timedelta
from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats, timezone

from articles.admin_pages import admin_page
from articles.models import Article
from newsroom.spreadsheets import safe_cell

from ..forms import BudgetFilterForm
from ..models import IN_PROGRESS, PLAN, Assignment

#: How many stories in progress but not on the budget are listed under it.
UNPLANNED_LIMIT = 50

CSV_COLUMNS = [
    "Day",
    "Desk",
    "Priority",
    "Slug",
    "Budget line",
    "Reporters",
    "Photographer",
    "Words",
    "Copy due",
    "State",
    "Embargoed until",
]


def _filtered(request):
    filters = BudgetFilterForm(request.GET)
    assignments = filters.filter(Assignment.objects.on_budget().for_budget())
    return filters, assignments


def _by_day_and_desk(assignments, start, end):
    """[(day, [(section, [assignment, ...]), ...]), ...] for every day from `start` to `end`."""
    by_day = {day: list(rows) for day, rows in groupby(assignments, key=lambda a: a.run_on)}
    days = []
    day = start
    while day <= end:
        rows = by_day.get(day, [])
        desks = [(section, list(items)) for section, items in groupby(rows, lambda a: a.section)]
        days.append((day, desks))
        day += timedelta(days=1)
    return days


def budget_view(request, *, model_admin):
    filters, assignments = _filtered(request)
    start, end = filters.period()
    return admin_page(
        request,
        model_admin,
        "admin/planning/budget.html",
        title="Story budget",
        filters=filters,
        days=_by_day_and_desk(list(assignments), start, end),
        start=start,
        end=end,
        unplanned=filters.filter_unplanned(
            Article.objects.filter(status__in=IN_PROGRESS, assignment__isnull=True)
            .select_related("section")
            .only("headline", "status", "section", "embargo_until", "publish_at")
            .order_by("section__position", "-modified_at")
        )[:UNPLANNED_LIMIT],
        can_plan=request.user.has_perm(PLAN),
        query=request.GET.urlencode(),
        now=timezone.now(),
    )


def _time(value):
    return formats.date_format(timezone.localtime(value), "Y-m-d H:i") if value else ""


def budget_csv_view(request, *, model_admin):
    """The budget as filtered, one story a row."""
    _, assignments = _filtered(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="budget.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for assignment in assignments:
        article = assignment.article
        writer.writerow(
            safe_cell(value)
            for value in [
                assignment.run_on.isoformat(),
                assignment.section.name,
                assignment.get_priority_display(),
                assignment.working_slug,
                assignment.budget_line,
                ", ".join(str(reporter) for reporter in assignment.reporters.all()),
                str(assignment.photographer or ""),
                assignment.expected_words or "",
                _time(assignment.due_at),
                assignment.state_label,
                _time(article.embargo_until) if article else "",
            ]
        )
    return response


def start_view(request, pk, *, model_admin):
    """Start writing a planned story: it becomes a draft, and its reporter lands on it."""
    assignment = get_object_or_404(Assignment, pk=pk)
    try:
        article = assignment.start(by=request.user)
    except PermissionDenied as refusal:
        model_admin.message_user(request, str(refusal), messages.ERROR)
        return redirect(reverse("admin:planning_budget"))
    model_admin.message_user(
        request, f"“{assignment.working_slug}” is now a draft.", messages.SUCCESS
    )
    return redirect(reverse("admin:articles_article_change", args=[article.pk]))


def put_on_budget_view(request, pk, *, model_admin):
    """Put a story in progress on the budget, then open its plan to fill in the rest."""
    article = get_object_or_404(Article, pk=pk)
    try:
        assignment = Assignment.put_on_budget(article, by=request.user)
    except PermissionDenied as refusal:
        model_admin.message_user(request, str(refusal), messages.ERROR)
        return redirect(reverse("admin:planning_budget"))
    model_admin.message_user(
        request, f"“{article}” is on the budget: say when copy is due.", messages.SUCCESS
    )
    return redirect(reverse("admin:planning_assignment_change", args=[assignment.pk]))

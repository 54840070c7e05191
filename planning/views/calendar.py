"""The editorial calendar: scheduled, published and planned stories by day in the newsroom's
zone, a month or a week at a time. Editors move a scheduled story to another day (same time)
through the workflow's `schedule` transition, so the publish gate and the embargo hold."""

import calendar as calendar_module
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone

from articles.admin_pages import admin_page
from articles.models import Article
from articles.workflow import PUBLISH, Action, Status, WorkflowError

from ..forms import MoveForm
from ..models import Assignment, CalendarFeed


def _day_from(value, default):
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _period(request):
    """("month" or "week", first day, last day) asked for; this month by default."""
    today = timezone.localdate()
    around = _day_from(request.GET.get("day"), today)
    if request.GET.get("view") == "week":
        start = around - timedelta(days=around.weekday())
        return "week", start, start + timedelta(days=6)
    start = around.replace(day=1)
    last = calendar_module.monthrange(start.year, start.month)[1]
    return "month", start, start.replace(day=last)


def _aware(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _entries(start, end):
    """{day: [entry, ...]}: stories scheduled or published on each day, and planned ones."""
    since, until = _aware(start), _aware(end + timedelta(days=1))
    days = {}
    scheduled = Article.objects.filter(
        status=Status.SCHEDULED, publish_at__gte=since, publish_at__lt=until
    )
    published = Article.objects.published().filter(
        first_published_at__gte=since, first_published_at__lt=until
    )
    for article in (
        (scheduled | published)
        .select_related("section")
        .order_by("publish_at", "first_published_at")
    ):
        when = (
            article.publish_at if article.status == Status.SCHEDULED else article.first_published_at
        )
        day = timezone.localdate(when)
        days.setdefault(day, []).append({"article": article, "time": when})
    planned = (
        Assignment.objects.filter(run_on__range=(start, end))
        .exclude(article__status__in=[Status.SCHEDULED, Status.PUBLISHED])
        .select_related("section", "article")
    )
    for assignment in planned:
        days.setdefault(assignment.run_on, []).append({"assignment": assignment})
    return days


def calendar_view(request, *, model_admin):
    view, start, end = _period(request)
    entries = _entries(start, end)
    grid_start = start - timedelta(days=start.weekday())
    grid_end = end + timedelta(days=6 - end.weekday())
    weeks, day = [], grid_start
    while day <= grid_end:
        week = [
            (d, d.month == start.month or view == "week", entries.get(d, []))
            for d in (day + timedelta(days=n) for n in range(7))
        ]
        weeks.append(week)
        day += timedelta(days=7)
    step = timedelta(days=7) if view == "week" else None
    previous = start - step if step else (start - timedelta(days=1)).replace(day=1)
    following = start + step if step else end + timedelta(days=1)
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return admin_page(
        request,
        model_admin,
        "admin/planning/calendar.html",
        title="Editorial calendar",
        view=view,
        start=start,
        end=end,
        weeks=weeks,
        previous=previous,
        following=following,
        today=timezone.localdate(),
        can_move=request.user.has_perm(PUBLISH),
        move_form=MoveForm(),
        feed=feed,
        feed_url=request.build_absolute_uri(feed.get_absolute_url()) if feed else "",
        weekdays=[calendar_module.day_abbr[n] for n in range(7)],
    )


def move_view(request, pk, *, model_admin):
    """Move a scheduled story to another day at the same time, through `schedule`."""
    article = get_object_or_404(Article.objects.visible_to(request.user), pk=pk)
    form = MoveForm(request.POST)
    back = _back_to_calendar(request.POST)
    if not form.is_valid():
        model_admin.message_user(request, "Choose the day to move it to.", messages.ERROR)
        return back
    if article.status != Status.SCHEDULED:
        model_admin.message_user(
            request, f"“{article}” is not scheduled, so it has no day to move.", messages.ERROR
        )
        return back
    when = timezone.localtime(article.publish_at)
    moved_to = timezone.make_aware(datetime.combine(form.cleaned_data["day"], when.time()))
    try:
        article.transition(
            Action.SCHEDULE,
            by=request.user,
            publish_at=moved_to,
            comment=f"Moved on the calendar from {when:%Y-%m-%d}.",
        )
    except WorkflowError as refusal:
        model_admin.message_user(request, f"“{article}” was not moved: {refusal}", messages.ERROR)
    else:
        model_admin.message_user(
            request,
            f"“{article}” is now scheduled for {moved_to:%A %d %B, %H:%M}.",
            messages.SUCCESS,
        )
    return back


def _back_to_calendar(posted):
    """The calendar as it was shown (its view and first day, posted with the move as `view` and
    `shown`), or this month."""
    asked = {"view": posted.get("view", ""), "day": posted.get("shown", "")}
    shown = {key: value for key, value in asked.items() if value}
    return redirect(reverse("admin:planning_calendar") + (f"?{urlencode(shown)}" if shown else ""))


def feed_view(request, *, model_admin):
    """Create or replace (`renew`) or end (`revoke`) the user's calendar feed address."""
    if "revoke" in request.POST:
        CalendarFeed.revoke_for(request.user)
        model_admin.message_user(request, "Your calendar feed address no longer works.")
    else:
        CalendarFeed.renew_for(request.user)
        model_admin.message_user(
            request, "Your calendar feed has a new address; any older one no longer works."
        )
    return redirect(reverse("admin:planning_calendar"))

"""A person's due stories as an iCal feed, at a private address (the token is the key:
calendar apps cannot sign in). Only working slugs, budget lines and due times: never comments,
story text or sources."""

from datetime import timedelta

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone

from articles.models import FactCheckAssignment
from articles.workflow import Status

from ..models import Assignment, CalendarFeed

#: How far back the feed reaches: stories due before that are done or forgotten.
LOOKBACK = timedelta(days=30)


def _escape(text):
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _utc(value):
    return value.astimezone(timezone.UTC).strftime("%Y%m%dT%H%M%SZ")


def _fold(line):
    """Lines of at most 75 octets, continued with a space (RFC 5545, 3.1)."""
    encoded = line.encode()
    parts = []
    while len(encoded) > 75:
        cut = 75 if not parts else 74
        while (encoded[cut] & 0xC0) == 0x80:  # not inside a UTF-8 character
            cut -= 1
        parts.append(encoded[:cut].decode())
        encoded = encoded[cut:]
    parts.append(encoded.decode())
    return "\r\n ".join(parts)


def _event(uid, start, summary, description, url, stamp):
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART:{_utc(start)}",
        f"DTEND:{_utc(start + timedelta(minutes=30))}",
        f"SUMMARY:{_escape(summary)}",
        f"DESCRIPTION:{_escape(description)}",
        f"URL:{url}",
        "END:VEVENT",
    ]


def due_events(user, stamp):
    """VEVENT lines for what `user` owes: copy for their assignments, checks for their stories
    in fact-check."""
    since = timezone.now() - LOOKBACK
    host = settings.SITE_URL.removesuffix("/")
    lines = []
    assignments = (
        Assignment.objects.of(user)
        .filter(due_at__gte=since)
        .exclude(article__status__in=[Status.PUBLISHED, Status.UNPUBLISHED])
        .select_related("section")
        .order_by("due_at")
    )
    for assignment in assignments:
        lines += _event(
            f"assignment-{assignment.pk}@{settings.NEWSROOM_NAME.replace(' ', '-').lower()}",
            assignment.due_at,
            f"Copy due: {assignment.working_slug}",
            f"{assignment.section}: {assignment.budget_line}",
            host + reverse("admin:planning_assignment_change", args=[assignment.pk]),
            stamp,
        )
    checks = FactCheckAssignment.objects.filter(
        checker=user, due_at__gte=since, article__status=Status.FACT_CHECK
    ).select_related("article")
    for check in checks:
        lines += _event(
            f"factcheck-{check.pk}@{settings.NEWSROOM_NAME.replace(' ', '-').lower()}",
            check.due_at,
            f"Fact-check due: {check.article}",
            "Quotes to verify on the fact-check desk.",
            host + reverse("admin:articles_article_change", args=[check.article_id]),
            stamp,
        )
    return lines


def ical_view(request, token):
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404("No calendar feed has this address.")
    stamp = _utc(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{_escape(settings.NEWSROOM_NAME)}//Planning desk//EN",
        f"X-WR-CALNAME:{_escape(settings.NEWSROOM_NAME)}: due from {_escape(feed.user)}",
        *due_events(feed.user, stamp),
        "END:VCALENDAR",
    ]
    response = HttpResponse(
        "".join(_fold(line) + "\r\n" for line in lines), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response

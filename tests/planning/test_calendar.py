"""The editorial calendar: what it shows on which day in the newsroom's zone, moving a scheduled
story through the workflow, and each person's iCal feed."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.workflow import Status
from planning.models import Assignment, CalendarFeed
from tests.articles.conftest import ROLES
from tests.articles.test_admin_workflow import messages_of
from tests.articles.test_scheduling import publish_tasks
from tests.conftest import run_tasks
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

CALENDAR = reverse("admin:planning_calendar")
FEED = reverse("admin:planning_calendar_feed")


def local(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def scheduled_on(article_in, editor, day, hour=7, minute=0, **fields):
    article = article_in(Status.APPROVED, **fields)
    article.schedule(by=editor, publish_at=local(day, hour, minute))
    return article


def move_url(article):
    return reverse("admin:planning_calendar_move", args=[article.pk])


def in_days(n):
    return timezone.localdate() + timedelta(days=n)


@pytest.mark.parametrize("role", ROLES)
def test_everyone_at_the_desk_reads_the_calendar(client, users, role):
    client.force_login(users[role])

    assert client.get(CALENDAR).status_code == 200


def test_the_week_shows_scheduled_published_and_planned_stories_on_their_days(
    client, editor, article_in, plan
):
    day = in_days(2)
    late = scheduled_on(article_in, editor, day, 23, 30, headline="Late night council vote")
    published = article_in(Status.PUBLISHED, headline="Harbour reopens to ships")
    plan(2, working_slug="bridge-reopens")
    plan(30, working_slug="far-ahead")
    client.force_login(editor)

    page = client.get(CALENDAR, {"view": "week", "day": day.isoformat()}).content.decode()
    today_page = client.get(
        CALENDAR, {"view": "week", "day": timezone.localdate().isoformat()}
    ).content.decode()

    cell = page[page.index(f'data-day="{day.isoformat()}"') :]
    cell = cell[: cell.index("</td>")]
    assert late.headline in cell and "23:30" in cell
    assert "bridge-reopens" in cell
    assert "far-ahead" not in page
    assert published.headline in today_page
    assert 'class="entry entry-published"' in today_page


def test_the_month_view_marks_embargoed_stories(client, editor, article_in):
    day = in_days(3)
    article = scheduled_on(article_in, editor, day, 9)
    Article.objects.filter(pk=article.pk).update(embargo_until=local(day, 8))
    client.force_login(editor)

    page = client.get(CALENDAR, {"day": day.isoformat()}).content.decode()

    assert article.headline in page
    assert 'class="embargo-badge" title="Embargoed until' in page


@pytest.mark.parametrize("day", ["", "2026-13-45", "yesterday"])
def test_a_bad_day_shows_this_month(client, editor, day):
    client.force_login(editor)

    page = client.get(CALENDAR, {"day": day, "view": "fortnight"})

    assert page.status_code == 200
    assert timezone.localdate().strftime("%B %Y") in page.content.decode()


def test_the_calendar_queries_do_not_grow_with_stories(
    client, editor, article_in, plan, django_assert_max_num_queries
):
    for n in range(4):
        scheduled_on(article_in, editor, in_days(1 + n % 2), 6 + n)
        plan(n % 3, working_slug=f"planned-{n}")
    client.force_login(editor)

    with django_assert_max_num_queries(10):
        page = client.get(CALENDAR, {"view": "week", "day": in_days(1).isoformat()})

    assert page.status_code == 200


# Moving a scheduled story.


@pytest.mark.parametrize("role", ROLES)
def test_who_may_move_a_scheduled_story(client, users, editor, article_in, role):
    article = scheduled_on(article_in, editor, in_days(2), 7, 15)
    client.force_login(users[role])

    response = client.post(move_url(article), {"day": in_days(4).isoformat()})

    article.refresh_from_db()
    if role in ("editor", "standards"):
        assert timezone.localtime(article.publish_at) == local(in_days(4), 7, 15)
        moved = article.events.last()
        assert (moved.action, moved.actor, moved.from_status, moved.to_status) == (
            "schedule",
            users[role],
            Status.SCHEDULED,
            Status.SCHEDULED,
        )
        assert "Moved on the calendar" in moved.comment
    elif role == "other_reporter":
        assert response.status_code == 404
    else:
        assert timezone.localtime(article.publish_at) == local(in_days(2), 7, 15)
        assert any("was not moved" in message for message in messages_of(response))


def test_a_moved_story_is_published_on_its_new_day_not_its_old_one(editor, article_in, client):
    article = scheduled_on(article_in, editor, in_days(1), 7)
    client.force_login(editor)
    client.post(move_url(article), {"day": in_days(3).isoformat()})

    publish_tasks().update(run_after=timezone.now() - timedelta(seconds=1))
    run_tasks()

    article.refresh_from_db()
    assert article.status == Status.SCHEDULED
    assert timezone.localtime(article.publish_at).date() == in_days(3)


def test_a_move_before_the_embargo_is_refused_with_the_reason(client, editor, article_in):
    article = scheduled_on(article_in, editor, in_days(3), 7)
    Article.objects.filter(pk=article.pk).update(embargo_until=local(in_days(3), 6))
    client.force_login(editor)

    response = client.post(move_url(article), {"day": in_days(1).isoformat()})

    assert any(
        "was not moved" in message and "embargoed until" in message
        for message in messages_of(response)
    )
    article.refresh_from_db()
    assert timezone.localtime(article.publish_at) == local(in_days(3), 7)


def test_a_move_into_the_past_is_refused(client, editor, article_in):
    article = scheduled_on(article_in, editor, in_days(1), 7)
    client.force_login(editor)

    response = client.post(move_url(article), {"day": in_days(-2).isoformat()})

    assert any("in the future" in message for message in messages_of(response))
    article.refresh_from_db()
    assert timezone.localtime(article.publish_at) == local(in_days(1), 7)


@pytest.mark.parametrize("day", ["", "tomorrow", "2026-02-30"])
def test_a_move_without_a_good_day_changes_nothing(client, editor, article_in, day):
    article = scheduled_on(article_in, editor, in_days(1), 7)
    version = article.version
    client.force_login(editor)

    response = client.post(move_url(article), {"day": day})

    assert any("Choose the day" in message for message in messages_of(response))
    article.refresh_from_db()
    assert article.version == version


def test_only_a_scheduled_story_moves(client, editor, article_in):
    article = article_in(Status.APPROVED)
    client.force_login(editor)

    response = client.post(move_url(article), {"day": in_days(2).isoformat()})

    assert any("is not scheduled" in message for message in messages_of(response))
    article.refresh_from_db()
    assert (article.status, article.publish_at) == (Status.APPROVED, None)


def test_moving_needs_a_post(client, editor, article_in):
    client.force_login(editor)

    assert client.get(move_url(article_in(Status.SCHEDULED))).status_code == 405


# The iCal feed.


def feed_of(user):
    return CalendarFeed.objects.get(user=user)


def test_making_replacing_and_turning_off_the_feed(client, reporter):
    client.force_login(reporter)

    client.post(FEED, {"renew": "1"})
    first = feed_of(reporter).get_absolute_url()
    assert first in client.get(CALENDAR).content.decode()
    client.post(FEED, {"renew": "1"})
    second = feed_of(reporter).get_absolute_url()
    assert second != first
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200

    client.post(FEED, {"revoke": "1"})
    assert not CalendarFeed.objects.exists()
    assert client.get(second).status_code == 404


def test_the_feed_lists_the_persons_due_stories_and_nobody_elses(
    client, reporter, other_reporter, factchecker, editor, plan, article_in
):
    plan(1, working_slug="bridge-reopens", budget_line="Bridge, reopened; at last")
    plan(1, working_slug="not-mine", reporters=[other_reporter])
    done = plan(0, working_slug="already-out")
    Assignment.objects.filter(pk=done.pk).update(article=article_in(Status.PUBLISHED))
    url = CalendarFeed.renew_for(reporter).get_absolute_url()

    response = client.get(url)

    body = response.content.decode()
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert body.count("BEGIN:VEVENT") == 1
    assert "SUMMARY:Copy due: bridge-reopens" in body
    assert "Bridge\\, reopened\\; at last" in body
    assert "not-mine" not in body and "already-out" not in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_the_feed_has_a_fact_checkers_due_checks(client, factchecker, editor, article_in):
    article = article_in(Status.IN_REVIEW)
    article.send_to_factcheck(
        by=editor, checker=factchecker, factcheck_due=timezone.now() + timedelta(hours=5)
    )

    body = client.get(CalendarFeed.renew_for(factchecker).get_absolute_url()).content.decode()

    assert "SUMMARY:Fact-check due: " in body


def test_the_feed_of_a_departed_colleague_is_gone(client, reporter):
    url = CalendarFeed.renew_for(reporter).get_absolute_url()
    reporter.is_active = False
    reporter.save()

    assert client.get(url).status_code == 404


@pytest.mark.parametrize("token", ["x", "a" * 43, "ZmFrZS10b2tlbg"])
def test_a_made_up_feed_address_is_404(client, reporter, token):
    CalendarFeed.renew_for(reporter)

    assert client.get(f"/admin/planning/ical/{token}.ics").status_code == 404


def test_long_lines_fold_without_splitting_a_character(client, reporter, plan):
    plan(1, budget_line="Économie: " + "é" * 150)

    body = client.get(CalendarFeed.renew_for(reporter).get_absolute_url()).content.decode()

    assert "\r\n " in body
    unfolded = body.replace("\r\n ", "")
    assert "é" * 150 in unfolded


def test_the_feed_queries_are_few(client, reporter, plan, django_assert_num_queries):
    for n in range(5):
        plan(n, working_slug=f"story-{n}")
    url = CalendarFeed.renew_for(reporter).get_absolute_url()

    with django_assert_num_queries(3):
        assert client.get(url).content.decode().count("BEGIN:VEVENT") == 5


def test_an_article_without_assignment_is_not_in_anyones_feed(client, reporter):
    ArticleFactory(created_by=reporter)

    body = client.get(CalendarFeed.renew_for(reporter).get_absolute_url()).content.decode()

    assert "BEGIN:VEVENT" not in body


def test_after_a_move_the_calendar_shows_the_same_week(client, editor, article_in):
    article = scheduled_on(article_in, editor, in_days(2), 7)
    client.force_login(editor)

    response = client.post(
        move_url(article),
        {"day": in_days(3).isoformat(), "view": "week", "shown": "2026-01-05\r\nX-Evil: 1"},
    )

    assert response.status_code == 302
    assert response.url.startswith(CALENDAR + "?view=week&day=2026-01-05%0D%0AX-Evil")


@pytest.mark.parametrize("role", ROLES)
def test_everyone_at_the_desk_may_have_a_feed_of_their_own(client, users, role):
    client.force_login(users[role])

    client.post(FEED, {"renew": "1"})

    feed = feed_of(users[role])
    assert client.get(feed.get_absolute_url()).status_code == 200
    assert CalendarFeed.objects.count() == 1

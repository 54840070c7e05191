"""The planning desk in a real browser: the budget, moving a story on the calendar, resolving a
blocking comment, at phone and desktop widths, with no console errors or CSP violations."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.workflow import Status
from planning.models import Assignment, Comment
from tests.articles.conftest import drive_to
from tests.factories import ArticleFactory, SectionFactory, StaffPersonFactory

from .conftest import WIDTHS

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def local(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def desk(editor, reporter):
    """A week's budget, a scheduled story two days out and a story in review held back by a
    blocking comment."""
    today = timezone.localdate()
    news = SectionFactory(name="News", slug="news")
    person = StaffPersonFactory(user=reporter, name="Rita Reporter")
    for days, slug in enumerate(["harbour-dredging", "council-budget-vote", "ferry-timetable"]):
        assignment = Assignment.objects.create(
            working_slug=slug,
            budget_line=f"The {slug.replace('-', ' ')} story, in one line.",
            section=news,
            run_on=today + datetime.timedelta(days=days),
            due_at=local(today + datetime.timedelta(days=days), 16),
            priority=Assignment.Priority.TOP if days == 0 else Assignment.Priority.NORMAL,
            created_by=editor,
        )
        assignment.reporters.add(reporter)
    scheduled = drive_to(
        ArticleFactory(headline="Tide tables for the winter", created_by=reporter, byline=person),
        Status.APPROVED,
        by=editor,
    )
    scheduled.schedule(by=editor, publish_at=local(today + datetime.timedelta(days=2), 7))
    held = drive_to(
        ArticleFactory(headline="Pool repairs delayed", created_by=reporter, byline=person),
        Status.IN_REVIEW,
        by=editor,
    )
    Comment.post(article=held, by=editor, text="The cost figure needs a source.", blocking=True)
    return {"scheduled": scheduled, "held": held}


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_budget_reads_on_every_screen(open_page, desk, reporter, width):
    tab = open_page(reporter, width=width)
    tab.page.goto(reverse("admin:planning_budget"))

    assert tab.page.locator("text=harbour-dredging").is_visible()
    assert tab.page.locator(".budget-day[aria-labelledby^='day-']").count() == 7
    assert tab.page.locator(".budget-unplanned", has_text="Pool repairs delayed").is_visible()
    tab.page.emulate_media(media="print")
    assert not tab.page.locator(".budget-filters").is_visible()
    tab.page.emulate_media(media="screen")
    tab.screenshot(f"planning-budget-{width}")
    assert tab.overflow() == 0
    assert tab.problems == []


@pytest.mark.parametrize("width", list(WIDTHS))
def test_an_editor_moves_a_story_on_the_calendar(open_page, desk, editor, width):
    story = desk["scheduled"]
    new_day = timezone.localdate() + datetime.timedelta(days=4)
    tab = open_page(editor, width=width)
    tab.page.goto(reverse("admin:planning_calendar") + "?view=week")
    tab.screenshot(f"planning-calendar-week-{width}")

    form = tab.page.locator(f".entry[data-article='{story.pk}'] form.move-form")
    form.locator("input[type=date]").fill(new_day.isoformat())
    form.locator("button").click()
    tab.page.wait_for_selector(".messagelist .success")

    story = Article.objects.get(pk=story.pk)
    assert timezone.localtime(story.publish_at) == local(new_day, 7)
    assert story.events.last().action == "schedule"
    tab.page.goto(reverse("admin:planning_calendar"))
    tab.screenshot(f"planning-calendar-month-{width}")
    assert tab.overflow() == 0
    assert tab.problems == []


@pytest.mark.parametrize("width", list(WIDTHS))
def test_resolving_the_blocking_comment_lets_the_story_be_approved(open_page, desk, editor, width):
    held = desk["held"]
    tab = open_page(editor, width=width)
    tab.page.goto(reverse("admin:articles_article_change", args=[held.pk]))
    assert tab.page.locator("text=marked a comment as blocking").first.is_visible()
    tab.screenshot(f"planning-article-panel-{width}")

    tab.page.click(".desk-links a")
    tab.screenshot(f"planning-comments-{width}")
    tab.page.click(".resolve-button")
    tab.page.wait_for_selector(".messagelist .success")
    tab.page.fill("#id_text", "Sourced now, thanks @reporter.")
    tab.page.click(".new-comment button[type=submit]")
    tab.page.wait_for_selector(".messagelist .success")

    held.approve(by=editor)
    assert held.status == Status.APPROVED
    assert held.desk_comments.filter(text__contains="Sourced now").exists()
    assert tab.overflow() == 0
    assert tab.problems == []

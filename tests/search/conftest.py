"""A small fixed corpus for search, published through the real workflow and dated on purpose."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from articles.search import index_articles
from articles.workflow import Status
from tests.articles.conftest import drive_to
from tests.factories import ArticleFactory, SectionFactory, StaffPersonFactory


@pytest.fixture
def make_story(editor, django_capture_on_commit_callbacks):
    """Make a story in `status` (published by default), `days_ago` days old, the index kept in
    step by the hooks as in production."""

    def make(status=Status.PUBLISHED, days_ago=None, **fields):
        fields.setdefault("body", "<p>Nothing to see here.</p>")
        fields.setdefault("dek", "")
        with django_capture_on_commit_callbacks(execute=True):
            article = drive_to(ArticleFactory(**fields), status, by=editor)
        if days_ago is not None:
            when = timezone.now() - timedelta(days=days_ago)
            Article.objects.filter(pk=article.pk).update(first_published_at=when, created_at=when)
            index_articles([article.pk])
            article.refresh_from_db()
        return article

    return make


@pytest.fixture
def corpus(make_story):
    """The relevance corpus: each story tells one thing apart from the others."""
    culture = SectionFactory(name="Culture", slug="culture")
    writer = StaffPersonFactory(name="Margaret Okonkwo-Hale")
    return {
        "headline": make_story(
            headline="Lighthouse keeper retires after forty years",
            body="<p>The harbour will miss him.</p>",
            days_ago=40,
        ),
        "body": make_story(
            headline="Council meets on Tuesday",
            body="<p>Councillors spoke about the old lighthouse at length.</p>",
            days_ago=2,
        ),
        "phrase": make_story(
            headline="Ferry timetable changes",
            body="<p>The new ferry timetable starts in spring; the old one ends in March.</p>",
            days_ago=5,
        ),
        "split": make_story(
            headline="Timetable for the ferry consultation",
            body="<p>A consultation about a ferry and its timetable opens soon.</p>",
            days_ago=5,
        ),
        "divorce": make_story(
            headline="Singer and actor divorced quietly",
            body="<p>The couple separated last year.</p>",
            section=culture,
            days_ago=10,
        ),
        "byline": make_story(
            headline="Allotment waiting lists grow",
            body="<p>Gardeners wait years for a plot.</p>",
            byline=writer,
            days_ago=20,
        ),
        "older_twin": make_story(
            headline="Marathon route announced", body="<p>Runners cheer.</p>", days_ago=300
        ),
        "newer_twin": make_story(
            headline="Marathon route announced again", body="<p>Runners cheer.</p>", days_ago=1
        ),
    }

"""The admin article list's pages (fetched by id, see newsroom/paginators.py): every page shows
exactly its stories in the list's order, and costs the same queries wherever it is."""

import datetime

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from tests.factories import ArticleFactory, SectionFactory, StaffPersonFactory

pytestmark = pytest.mark.django_db

PER_PAGE = 3
LIST_ORDER = ["-first_published_at", "-created_at", "-pk"]


@pytest.fixture
def stories(django_capture_on_commit_callbacks, reporter):
    """Sixteen stories in two sections by two writers, five of them about a ferry, with tied
    dates (so the list's id tie-break decides) and drafts without a publication date."""
    news, sport = SectionFactory(name="News"), SectionFactory(name="Sport")
    rita, sam = StaffPersonFactory(name="Rita Reporter"), StaffPersonFactory(name="Sam Scribe")
    noon = datetime.datetime(2025, 3, 1, 12, tzinfo=datetime.UTC)
    # The search index is written after commit.
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(16):
            about = "Ferry timetable changes" if n % 3 == 0 else "Harbour bridge reopens"
            article = ArticleFactory(
                headline=f"{about}, part {n}",
                section=sport if n % 2 else news,
                byline=sam if n % 4 == 1 else rita,
                created_by=reporter,
            )
            published = None if n % 5 == 4 else noon - datetime.timedelta(days=n // 3)
            Article.objects.filter(pk=article.pk).update(
                first_published_at=published, created_at=noon
            )
    return {"news": news, "sam": sam}


def ids_on_page(client, query, page):
    response = client.get(reverse("admin:articles_article_changelist"), {**query, "p": page})
    assert response.status_code == 200
    return [article.pk for article in response.context["cl"].result_list]


def queries_on_page(client, query, page):
    with CaptureQueriesContext(connection) as queries:
        ids_on_page(client, query, page)
    return len(queries)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, lambda s: Article.objects.all()),
        ({"section__id__exact": "news"}, lambda s: Article.objects.filter(section=s["news"])),
        ({"author": "sam"}, lambda s: Article.objects.filter(bylines__person=s["sam"])),
        ({"q": "ferry"}, lambda s: Article.objects.filter(headline__startswith="Ferry")),
        ({"o": "1"}, lambda s: Article.objects.order_by("headline", "-pk")),
    ],
    ids=["everything", "a filter", "a filter with a join", "a search", "sorted by headline"],
)
def test_each_page_shows_its_stories_in_order_for_the_same_queries(
    client, editor, stories, monkeypatch, query, expected
):
    monkeypatch.setattr(admin.site.get_model_admin(Article), "list_per_page", PER_PAGE)
    client.force_login(editor)
    query = {
        name: {"news": stories["news"].pk, "sam": stories["sam"].pk}.get(value, value)
        for name, value in query.items()
    }
    articles = expected(stories)
    if not articles.query.order_by:
        articles = articles.order_by(*LIST_ORDER)
    in_order = list(articles.values_list("pk", flat=True))
    pages = [in_order[start : start + PER_PAGE] for start in range(0, len(in_order), PER_PAGE)]
    assert len(pages) >= 2, "the case should span pages"

    shown = [ids_on_page(client, query, number) for number in range(1, len(pages) + 1)]

    assert shown == pages
    middle, last = len(pages) // 2 + 1, len(pages)
    first_cost = queries_on_page(client, query, 1)
    assert queries_on_page(client, query, middle) == first_cost
    assert queries_on_page(client, query, last) == first_cost

"""A page costs the same number of SQL queries however many tags, people and bylines it shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Byline, Correction
from articles.workflow import Status
from tests.factories import PersonFactory, StaffPersonFactory

from .conftest import public_url

pytestmark = pytest.mark.django_db


def dress(article, *, count, editor):
    """Give a published article `count` tags, people and extra bylines, and a correction."""
    article.tags.add(*[f"topic {n}" for n in range(count)])
    article.people.add(*PersonFactory.create_batch(count))
    for n in range(count):
        Byline.objects.create(
            article=article, person=StaffPersonFactory(), role=Byline.Role.PHOTOGRAPHY, position=n
        )
    article.correct(by=editor, kind=Correction.Kind.CORRECTION, text="A name was misspelled.")
    return article


def queries_for(client, url):
    client.get(url)  # warm up caches that are filled once per process
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_article_page_costs_the_same_however_much_it_shows(
    client, editor, article_in, django_assert_num_queries
):
    few = dress(article_in(Status.PUBLISHED), count=1, editor=editor)
    many = dress(article_in(Status.PUBLISHED), count=12, editor=editor)
    expected = queries_for(client, public_url(few))
    url = public_url(many)

    with django_assert_num_queries(expected):
        page = client.get(url)

    assert "topic 11" in page.content.decode()


def test_the_home_page_costs_the_same_however_much_it_lists(
    client, editor, article_in, django_assert_num_queries
):
    dress(article_in(Status.PUBLISHED), count=1, editor=editor)
    expected = queries_for(client, reverse("public:home"))
    for _ in range(12):
        dress(article_in(Status.PUBLISHED), count=4, editor=editor)

    with django_assert_num_queries(expected):
        page = client.get(reverse("public:home"))

    assert len(page.context["articles"]) == 13


@pytest.mark.parametrize("search", ["", "harbour"], ids=["list", "search"])
def test_the_admin_article_list_costs_the_same_however_many_stories(
    client,
    editor,
    article_in,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
    search,
):
    changelist = reverse("admin:articles_article_changelist")
    client.force_login(editor)
    # The search index is written after commit.
    with django_capture_on_commit_callbacks(execute=True):
        dress(article_in(Status.PUBLISHED), count=1, editor=editor)
    expected = queries_for(client, f"{changelist}?q={search}")
    with django_capture_on_commit_callbacks(execute=True):
        for status in [Status.DRAFT, Status.IN_REVIEW, Status.SCHEDULED, Status.PUBLISHED] * 3:
            article = article_in(status)
            if status == Status.PUBLISHED:
                dress(article, count=3, editor=editor)

    with django_assert_num_queries(expected):
        page = client.get(changelist, {"q": search})

    assert page.context["cl"].result_count == 13

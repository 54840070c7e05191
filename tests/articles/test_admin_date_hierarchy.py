"""The admin article list's date drill-down: the years that hold a story, without reading
every story's date."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from articles.workflow import Status

pytestmark = pytest.mark.django_db


def published_in(article_in, year):
    article = article_in(Status.PUBLISHED)
    when = datetime.datetime(year, 6, 1, 12, tzinfo=datetime.UTC)
    Article.objects.filter(pk=article.pk).update(first_published_at=when)
    return article


def test_the_years_offered_are_those_that_hold_a_story(client, editor, article_in):
    for year in (2019, 2024, 2024):
        published_in(article_in, year)
    article_in(Status.DRAFT)  # no publication date: no year
    client.force_login(editor)
    changelist = reverse("admin:articles_article_changelist")

    with CaptureQueriesContext(connection) as queries:
        page = client.get(changelist)
    choices = page.content.decode()

    assert not [query for query in queries if "trunc" in query["sql"].lower()]  # no date read

    assert "first_published_at__year=2019" in choices
    assert "first_published_at__year=2024" in choices
    assert all(f"first_published_at__year={year}" not in choices for year in range(2020, 2024))
    in_2024 = client.get(changelist, {"first_published_at__year": "2024"})
    assert in_2024.context["cl"].result_count == 2
    assert "first_published_at__month=6" in in_2024.content.decode()  # Django's months below


def test_a_list_without_dates_offers_no_year(client, editor, article_in):
    article_in(Status.DRAFT)
    client.force_login(editor)

    page = client.get(reverse("admin:articles_article_changelist"))

    assert page.status_code == 200
    assert "first_published_at__year=" not in page.content.decode()

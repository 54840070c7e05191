"""Listings stop at PUBLIC_LIST_MAX_PAGES, so no listing's cost grows with the archive."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from articles.workflow import Status
from public.pagination import BoundedPaginator
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_the_count_looks_no_further_than_the_last_page_served(settings):
    settings.PUBLIC_LIST_MAX_PAGES = 2
    ArticleFactory.create_batch(7)

    paginator = BoundedPaginator(Article.objects.order_by("pk"), per_page=3)
    with CaptureQueriesContext(connection) as captured:
        count = paginator.count

    assert count == 6
    assert paginator.num_pages == 2
    assert "LIMIT 6" in captured[0]["sql"].upper().replace('"', "")


def test_pages_past_the_last_served_are_not_found(client, settings, article_in):
    settings.PUBLIC_LIST_MAX_PAGES = 1
    for _ in range(21):
        article_in(Status.PUBLISHED)

    first = client.get("/")
    beyond = client.get("/?page=2")

    assert first.status_code == 200
    assert first.context["page_obj"].paginator.num_pages == 1
    assert beyond.status_code == 404

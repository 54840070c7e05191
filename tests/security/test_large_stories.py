"""A story with thousands of quotes (from before the cap) costs little to open and export."""

import csv
import tracemalloc
from io import StringIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from sourcing.admin import QuoteInline
from sourcing.models import Quote
from tests.factories import ArticleFactory, StaffPersonFactory

pytestmark = pytest.mark.django_db

QUOTES = 2_000


@pytest.fixture
def crowded_story(editor):
    """A story whose body is long and whose ledger holds QUOTES quotes (written directly, as an
    import from before the cap would have)."""
    body = "<p>" + "The harbour bridge reopened after repairs. " * 2_000 + "</p>"
    article = ArticleFactory(created_by=editor, body=body, byline=StaffPersonFactory(user=editor))
    Quote.objects.bulk_create(
        Quote(article=article, text=f"Quote number {n} about the bridge", position=n)
        for n in range(QUOTES)
    )
    return article


def test_the_change_form_shows_the_quotes_a_page_at_a_time(client, editor, crowded_story, bounded):
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[crowded_story.pk])

    with bounded():
        first = client.get(url)
    with bounded():
        second = client.get(url, {"quotes": 2})

    assert first.status_code == second.status_code == 200
    assert len(first.content) < 2_000_000
    per_page = QuoteInline.per_page
    assert f'name="quotes-TOTAL_FORMS" value="{per_page}"' in first.text
    assert f"Quotes 1\N{EN DASH}{per_page} of {QUOTES}" in first.text
    assert f"Quotes {per_page + 1}\N{EN DASH}{2 * per_page} of {QUOTES}" in second.text
    first_quote = crowded_story.quotes.get(position=0)
    row = f'name="quotes-0-id" value="{first_quote.pk}"'
    assert row in first.text
    assert row not in second.text


def test_a_page_of_quotes_saves_with_the_article(client, editor, crowded_story):
    from tests.articles.conftest import change_form_data

    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[crowded_story.pk])
    page = client.get(url, {"quotes": 3})
    first_on_page = 2 * QuoteInline.per_page
    data = change_form_data(page, **{"quotes-0-attribution": "the bridge engineer said"})

    response = client.post(f"{url}?quotes=3", data)

    assert response.status_code == 302
    quote = Quote.objects.get(article=crowded_story, position=first_on_page)
    assert quote.attribution == "the bridge engineer said"


def test_the_ledger_export_streams_rows_without_loading_bodies(
    client, standards, crowded_story, bounded
):
    client.force_login(standards)
    # Late in the evening on the newsroom's clock (TIME_ZONE), when UTC is already a day on: the
    # export's dates are the newsroom's.
    evening = timezone.localtime().replace(hour=21, minute=30)
    Article.objects.filter(pk=crowded_story.pk).update(created_at=evening)
    day = evening.date()

    def export():
        response = client.get(reverse("admin:sourcing_ledger_export"), {"start": day, "end": day})
        return response, b"".join(response.streaming_content).decode()

    with CaptureQueriesContext(connection) as queries, bounded():
        response, content = export()
    tracemalloc.start()
    export()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert response.streaming
    _header, *rows = csv.reader(StringIO(content))
    assert len(rows) == QUOTES
    assert not [query["sql"] for query in queries if '"body"' in query["sql"]]
    # The body alone is 90 KB: a copy per row would be 180 MB. The CSV itself is under 1 MB.
    assert peak < 20_000_000


def test_the_quote_list_and_desk_do_not_load_bodies(client, editor, crowded_story):
    client.force_login(editor)

    with CaptureQueriesContext(connection) as queries:
        listing = client.get(reverse("admin:sourcing_quote_changelist"))
        desk = client.get(reverse("admin:sourcing_desk"))

    assert listing.status_code == desk.status_code == 200
    assert not [query["sql"] for query in queries if '"body"' in query["sql"]]

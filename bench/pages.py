"""Generate benchmark content, then print the pages to load with the SQL queries each costs.

Run by bench/run.py inside the benchmark's environment:
`python bench/pages.py ARTICLES CEILING_FILE` (the article page's bytes are written there, for
the ceilings the benchmark measures).
Content is bulk-created straight into the published state: a benchmark needs volume, not the
workflow's audit trail.
"""

import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django.setup()

from datetime import timedelta  # noqa: E402

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from taggit.models import Tag  # noqa: E402

from articles.models import (  # noqa: E402
    Article,
    Byline,
    Correction,
    PersonInStory,
    Section,
    TaggedArticle,
)
from articles.search import index_articles  # noqa: E402
from articles.workflow import Status  # noqa: E402
from people.models import Person  # noqa: E402
from sourcing.models import Quote, Source  # noqa: E402

BODY = (
    "<p>The council met on Tuesday to discuss the harbour budget for the coming year.</p>"
    "<p>“We cannot keep patching the sea wall every winter,” said the harbour master.</p>"
    "<p>“The money has to come from somewhere, and the pier is the obvious place,” said a "
    "council employee who asked not to be named.</p>"
    "<p>Residents will be consulted before any decision, officials said.</p>"
) * 3


#: Rows per INSERT: large enough to be quick, small enough for SQLite's variable limit.
BATCH = 500


def generate(count):
    sections = [
        Section.objects.create(name=name, slug=name.lower(), position=n)
        for n, name in enumerate(["News", "Business", "Sport", "Culture"])
    ]
    staff = Person.objects.bulk_create(
        Person(name=f"Staff Writer {n}", slug=f"staff-{n}", kind=Person.Kind.STAFF)
        for n in range(20)
    )
    figures = Person.objects.bulk_create(
        Person(name=f"Public Figure {n}", slug=f"figure-{n}", kind=Person.Kind.PUBLIC_FIGURE)
        for n in range(200)
    )
    tags = Tag.objects.bulk_create(Tag(name=f"Topic {n}", slug=f"topic-{n}") for n in range(100))
    named = Source.objects.create(kind=Source.Kind.NAMED, name="Harbour master")
    anonymous = Source.objects.create(
        kind=Source.Kind.ANONYMOUS,
        public_description="a council employee",
        anonymity_reason_public="The employee was not authorized to speak publicly.",
        anonymity_approved_at=timezone.now(),
    )
    now = timezone.now()
    articles = Article.objects.bulk_create(
        [
            Article(
                headline=f"Harbour budget story number {n}",
                slug=f"harbour-budget-{n}",
                dek="What the council decided, and what it means for the sea wall.",
                body=BODY,
                section=sections[n % len(sections)],
                status=Status.PUBLISHED,
                first_published_at=now - timedelta(hours=n),
            )
            for n in range(count)
        ],
        batch_size=BATCH,
    )
    Byline.objects.bulk_create(
        [
            Byline(
                article=article,
                person=staff[(n + k) % len(staff)],
                position=k,
                first_published_at=article.first_published_at,
            )
            for n, article in enumerate(articles)
            for k in range(2)
        ],
        batch_size=BATCH,
    )
    PersonInStory.objects.bulk_create(
        [
            PersonInStory(
                article=article,
                person=figures[(n * 7 + k) % len(figures)],
                first_published_at=article.first_published_at,
            )
            for n, article in enumerate(articles)
            for k in range(4)
        ],
        batch_size=BATCH,
    )
    TaggedArticle.objects.bulk_create(
        [
            TaggedArticle(
                content_object=article,
                tag=tags[(n + k * 13) % len(tags)],
                first_published_at=article.first_published_at,
            )
            for n, article in enumerate(articles)
            for k in range(3)
        ],
        batch_size=BATCH,
    )
    Quote.objects.bulk_create(
        [
            Quote(article=article, text=text, position=k, source=source, status="verified")
            for article in articles
            for k, (text, source) in enumerate(
                [
                    ("We cannot keep patching the sea wall every winter,", named),
                    (
                        "The money has to come from somewhere, and the pier is the obvious place,",
                        anonymous,
                    ),
                ]
            )
        ],
        batch_size=BATCH,
    )
    Correction.objects.bulk_create(
        [
            Correction(article=article, text="An earlier version misstated the budget.")
            for article in articles[::10]
        ],
        batch_size=BATCH,
    )
    return articles


def fetched(client, path):
    """(response, SQL queries it cost)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, headers={"host": "127.0.0.1"})
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    return response, len(captured)


def queries_from_page_cache(client, path):
    with override_settings(PAGE_CACHE=True):
        fetched(client, path)
        return fetched(client, path)[1]


def main():
    articles = generate(int(sys.argv[1]))
    index_articles([article.pk for article in articles])
    with connection.cursor() as cursor:
        # Statistics for the new rows, as autovacuum would gather them in time: without them
        # PostgreSQL plans for an empty table (the tag page took 128 ms instead of 16 ms).
        cursor.execute("ANALYZE")
    ceiling_file = Path(sys.argv[2])
    client = Client()
    year = timezone.localtime(articles[len(articles) // 2].first_published_at).year
    in_year = Article.objects.filter(first_published_at__year=year).count()
    deep = max(1, min(settings.PUBLIC_LIST_MAX_PAGES, in_year // 20))
    pages = [
        ("home", "/"),
        ("section", reverse("public:section", args=["business"])),
        ("tag", reverse("public:tag", args=["topic-7"])),
        ("author", reverse("public:author", args=["staff-3"])),
        ("article", articles[0].get_absolute_url()),
        ("article with a correction", articles[10].get_absolute_url()),
        (
            "archive, deep page",
            reverse("public:archive_year", args=[year]) + f"?page={deep}",
        ),
        ("search", reverse("public:search") + "?q=harbour+wall"),
        ("RSS", reverse("public:feed_site_rss")),
        ("sitemap", reverse("public:sitemap", args=["articles"])),
    ]
    for name, path in pages:
        response, rendered = fetched(client, path)
        if name.startswith("article"):
            ceiling_file.parent.mkdir(parents=True, exist_ok=True)
            ceiling_file.write_bytes(response.content)
        print(f"{name}\t{path}\t{rendered}\t{queries_from_page_cache(client, path)}")


if __name__ == "__main__":
    main()

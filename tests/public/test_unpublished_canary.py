"""No public page shows anything of a story readers may not see.

Drafts, stories in review and in fact-check, approved and scheduled stories, and stories taken
down each carry a unique canary in their headline, slug, dek and body. Every public URL (found from
the URL configuration, so new pages are crawled too) is fetched, for every article's address and
preview: no canary may appear. The same crawl finds the canaries when a draft is made visible on
purpose, which proves it looks.
"""

import secrets

import pytest

from articles.models import Article, ArticleQuerySet
from articles.workflow import Status
from planning.models import Assignment, CalendarFeed, Comment
from tests.articles.conftest import drive_to
from tests.crawl import NO_SUCH_RENDITION, leaks, listing_fillings, public_urls
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

UNSEEN = [
    Status.DRAFT,
    Status.IN_REVIEW,
    Status.FACT_CHECK,
    Status.APPROVED,
    Status.SCHEDULED,
    Status.UNPUBLISHED,
]


@pytest.fixture
def planted(editor):
    """{article: its canary} for one article in each state readers may not see, and one
    published story that must stay visible (so the crawl is known to reach real pages)."""
    canaries = {}
    for state in UNSEEN:
        canary = f"cnry{secrets.token_hex(5)}"
        article = ArticleFactory(
            headline=f"Secret {canary} headline",
            slug=f"secret-{canary}",
            dek=f"The {canary} dek",
            body=f"<p>The {canary} body, with the story nobody may read yet.</p>",
        )
        article.tags.add(f"tag {canary}")
        canaries[drive_to(article, state, by=editor)] = canary
    drive_to(
        ArticleFactory(headline="The harbour story everyone may read"), Status.PUBLISHED, by=editor
    )
    return canaries


def every_public_url():
    articles = Article.objects.all()
    addresses = [
        article.public_url_kwargs() if article.first_published_at else _would_be(article)
        for article in articles
    ]
    return public_urls(
        {
            ("section", "year", "month", "day", "slug"): addresses,
            **listing_fillings(addresses),
            ("pk",): [{"pk": article.pk} for article in articles],
            ("pk", "token"): [{"pk": article.pk, "token": "not-a-token"} for article in articles],
            ("path",): [{"path": "no-such-file.jpg"}],
            ("photo_id", "name", "extension"): [NO_SUCH_RENDITION],
        }
    )


def _would_be(article):
    """The address an unpublished article would have if it were published today."""
    article.first_published_at = article.created_at
    return article.public_url_kwargs()


def crawl(client, canaries):
    found, statuses = {}, {}
    for url in every_public_url():
        for term in ("", *canaries):
            response = client.get(url.format(term=term))
            statuses[url] = response.status_code
            if leaked := leaks(response, set(canaries) - {term}):
                found[url.format(term=term)] = leaked
    return found, statuses


def test_no_public_page_shows_an_unpublished_story(client, planted):
    found, statuses = crawl(client, set(planted.values()))

    assert found == {}
    assert 500 not in statuses.values()
    published = Article.objects.published().get()
    assert statuses[published.get_absolute_url()] == 200
    taken_down = next(a for a in planted if a.status == Status.UNPUBLISHED)
    assert statuses[taken_down.get_absolute_url()] == 410


def test_the_crawl_finds_a_draft_made_visible_on_purpose(client, planted, monkeypatch):
    monkeypatch.setattr(ArticleQuerySet, "published", lambda self, **period: self.all())

    found, _ = crawl(client, set(planted.values()))

    shown = set().union(*found.values())
    assert planted[next(a for a in planted if a.status == Status.DRAFT)] in shown


def test_no_public_url_shows_a_comment_on_any_story(client, planted, editor, factchecker):
    """Comments (threads, replies, anchors) on every story, the published one too, never reach
    a public page, nor the calendar feed, the one desk address that needs no sign-in."""
    canaries = set()
    for article in Article.objects.all():
        thread, reply = f"cmnt{secrets.token_hex(5)}", f"rply{secrets.token_hex(5)}"
        root = Comment.post(
            article=article, by=factchecker, text=f"The {thread} remark", blocking=True
        )
        Comment.post(article=article, by=editor, text=f"The {reply} answer", parent=root)
        assignment = Assignment.objects.create(
            working_slug=f"story-{article.pk}",
            budget_line="A story on the budget.",
            section=article.section,
            run_on=article.created_at.date(),
            due_at=article.created_at,
            created_by=editor,
            article=article,
        )
        assignment.reporters.add(editor)
        canaries |= {thread, reply}

    found, statuses = crawl(client, canaries)
    feed = client.get(CalendarFeed.renew_for(editor).get_absolute_url())

    assert found == {}
    assert 500 not in statuses.values()
    assert statuses[Article.objects.published().get().get_absolute_url()] == 200
    assert feed.status_code == 200
    assert "BEGIN:VEVENT" in feed.content.decode()
    assert leaks(feed, canaries) == set()

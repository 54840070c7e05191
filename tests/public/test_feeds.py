"""RSS and Atom feeds parse cleanly (feedparser, no bozo), carry every byline, categories and the
lead photo, list published stories only, and never name a minor."""

import feedparser
import pytest
from django.conf import settings
from django.urls import reverse

from articles.models import Byline, Correction
from articles.workflow import Status
from tests.factories import PersonFactory, PhotoFactory, StaffPersonFactory

from .conftest import queries_for

pytestmark = pytest.mark.django_db

FORMATS = ["rss", "atom"]


def parsed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, (url, feed.get("bozo_exception"))
    return feed


@pytest.fixture
def stories(publish, draft, editor, author):
    """A published story with two authors, a photo, tags and a minor; a draft; a story taken
    down; and corrections on the published and the taken-down ones."""
    second = StaffPersonFactory(name="Sam Second", slug="sam-second")
    story = publish(headline="Bridge reopens", lead_photo=PhotoFactory())
    Byline.objects.create(article=story, person=second, position=1)
    story.tags.add("Harbour")
    story.people.add(PersonFactory(name="Kim Young", is_minor=True))
    story.correct(by=editor, kind=Correction.Kind.CORRECTION, text="The year was 1931.")
    hidden = draft(Status.SCHEDULED, headline="Scheduled harbour story")
    hidden.tags.add("Harbour")
    gone = publish(headline="Taken down harbour story")
    gone.tags.add("Harbour")
    gone.correct(by=editor, kind=Correction.Kind.CORRECTION, text="Hidden correction.")
    gone.unpublish(by=editor)
    return story


def story_feeds(fmt):
    return [
        reverse(f"public:feed_site_{fmt}"),
        reverse(f"public:feed_section_{fmt}", args=["news"]),
        reverse(f"public:feed_topic_{fmt}", args=["harbour"]),
        reverse(f"public:feed_author_{fmt}", args=["rita-reporter"]),
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_story_feeds_list_published_stories_with_every_byline(client, stories, fmt):
    for url in story_feeds(fmt):
        feed = parsed(client, url)

        assert feed.version == ("rss20" if fmt == "rss" else "atom10")
        assert [entry.title for entry in feed.entries] == ["Bridge reopens"], url
        [entry] = feed.entries
        assert entry.link == settings.SITE_URL + stories.get_absolute_url()
        assert [author["name"] for author in entry.authors] == ["Rita Reporter", "Sam Second"]
        assert {tag.term for tag in entry.tags} == {"News", "Harbour"}
        [media] = entry.media_content
        assert media["url"] == settings.SITE_URL + stories.lead_photo.image.url
        assert media["medium"] == "image"
        assert entry.summary == stories.dek
        assert entry.published_parsed
        assert "Kim Young" not in feed.entries[0].summary


def test_atom_authors_link_to_their_pages(client, stories):
    [entry] = parsed(client, reverse("public:feed_site_atom")).entries

    assert entry.authors[0]["href"] == settings.SITE_URL + reverse(
        "public:author", args=["rita-reporter"]
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_corrections_feed_lists_visible_corrections(client, stories, fmt):
    feed = parsed(client, reverse(f"public:feed_corrections_{fmt}"))

    assert [entry.summary for entry in feed.entries] == ["The year was 1931."]
    assert feed.entries[0].title == "Correction: Bridge reopens"
    assert feed.entries[0].id.endswith(f"#correction-{stories.corrections.get().pk}")


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/sections/no-such-section/rss/",
        "/feeds/topics/no-such-topic/atom/",
        "/feeds/authors/no-such-author/rss/",
    ],
)
def test_feeds_of_nothing_are_404(client, url):
    assert client.get(url).status_code == 404


def test_a_topic_only_unpublished_stories_use_has_no_feed(client, draft):
    draft(headline="Plans").tags.add("Secret plans")

    assert client.get(reverse("public:feed_topic_rss", args=["secret-plans"])).status_code == 404


def test_public_figures_have_no_author_feed(client):
    figure = PersonFactory()

    assert client.get(reverse("public:feed_author_rss", args=[figure.slug])).status_code == 404


def test_pages_announce_their_feeds(client, stories):
    pages = {
        reverse("public:home"): ("site", []),
        reverse("public:section", args=["news"]): ("section", ["news"]),
        reverse("public:tag", args=["harbour"]): ("topic", ["harbour"]),
        reverse("public:author", args=["rita-reporter"]): ("author", ["rita-reporter"]),
        reverse("public:corrections"): ("corrections", []),
    }
    for url, (name, args) in pages.items():
        page = client.get(url).content.decode()
        for fmt, kind in (("rss", "rss+xml"), ("atom", "atom+xml")):
            feed_url = reverse(f"public:feed_{name}_{fmt}", args=args)
            assert f'type="application/{kind}"' in page
            assert f'href="{feed_url}"' in page, (url, feed_url)
            assert client.get(feed_url).status_code == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_feed_costs_the_same_however_many_stories_and_bylines(
    client, publish, editor, fmt, django_assert_max_num_queries
):
    publish().tags.add("Harbour")
    urls = [*story_feeds(fmt), reverse(f"public:feed_corrections_{fmt}")]
    expected = {url: queries_for(client, url) for url in urls}
    for n in range(10):
        story = publish(lead_photo=PhotoFactory())
        story.tags.add("Harbour", f"topic {n}")
        Byline.objects.create(article=story, person=StaffPersonFactory(), position=1)
        story.correct(by=editor, kind=Correction.Kind.CORRECTION, text=f"Fix {n}.")

    for url in urls:
        assert expected[url] <= 5, url
        with django_assert_max_num_queries(expected[url]):
            assert client.get(url).status_code == 200

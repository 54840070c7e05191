"""Sitemaps parse and follow the sitemaps.org and Google News schemas, list only what readers
may see (never a minor), and robots.txt points at them."""

import datetime
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.workflow import Status
from public import sitemaps
from public.models import Page
from public.sitemaps import SITEMAPS, SiteSitemap
from tests.factories import PersonFactory, StaffPersonFactory

from .conftest import queries_for

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ElementTree.fromstring(response.content)  # noqa: S314 (our own output)


def locations(root):
    found = [loc.text for loc in root.findall("sm:url/sm:loc", NS)]
    assert all(urlsplit(url).netloc == urlsplit(settings.SITE_URL).netloc for url in found)
    return [urlsplit(url).path for url in found]


@pytest.fixture
def site(publish, draft, editor, policy_pages):
    story = publish(headline="Bridge reopens")
    story.tags.add("Harbour")
    story.people.add(
        PersonFactory(slug="ruth"),
        PersonFactory(slug="kim-young", is_minor=True),
        PersonFactory(slug="pat-private", kind="private_individual"),
    )
    hidden = draft(Status.SCHEDULED, headline="Scheduled")
    hidden.tags.add("Secret plans")
    gone = publish(headline="Taken down")
    gone.unpublish(by=editor)
    return {"story": story, "hidden": hidden, "gone": gone}


def test_the_index_lists_every_sitemap_and_each_parses(client, site):
    index = xml(client, reverse("public:sitemap_index"))

    assert index.tag == f"{{{NS['sm']}}}sitemapindex"
    listed = [loc.text for loc in index.findall("sm:sitemap/sm:loc", NS)]
    assert listed == [
        settings.SITE_URL + reverse("public:sitemap", args=[name]) for name in SITEMAPS
    ]
    lastmod = index.find("sm:sitemap/sm:lastmod", NS).text
    assert datetime.datetime.fromisoformat(lastmod)
    for url in listed:
        root = xml(client, urlsplit(url).path)
        assert root.tag == f"{{{NS['sm']}}}urlset"
        assert root.findall("sm:url", NS)


def test_sitemaps_list_what_readers_may_see_and_nothing_else(client, site, author):
    def listed(name):
        return locations(xml(client, reverse("public:sitemap", args=[name])))

    assert listed("articles") == [site["story"].get_absolute_url()]
    assert listed("sections") == ["/news/"]
    assert listed("topics") == ["/topics/harbour/"]
    assert listed("authors") == [f"/authors/{author.slug}/"]
    assert listed("people") == ["/people/ruth/"]
    standards = listed("standards")
    assert {"/", "/masthead/", "/corrections/"} <= set(standards)
    assert {page.get_absolute_url() for page in Page.objects.all()} <= set(standards)
    for name in SITEMAPS:
        assert client.get(reverse("public:sitemap", args=[name])).status_code == 200
        for url in listed(name):
            assert client.get(url).status_code == 200, url


def test_articles_carry_their_last_change_dated_on_the_newsroom_clock(
    client, site, editor, monkeypatch
):
    # Late in the evening on the newsroom's clock (TIME_ZONE), when UTC is already a day on.
    evening = timezone.localtime().replace(hour=21, minute=30) + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: evening)
    site["story"].correct(by=editor, kind="correction", text="A fix.")
    monkeypatch.undo()
    root = xml(client, reverse("public:sitemap", args=["articles"]))

    [lastmod] = [e.text for e in root.findall("sm:url/sm:lastmod", NS)]
    site["story"].refresh_from_db()
    assert site["story"].updated_at == evening
    assert lastmod == evening.date().isoformat()


def test_sitemaps_are_paginated_at_fifty_thousand():
    assert all(issubclass(s, SiteSitemap) for s in SITEMAPS.values())
    assert SiteSitemap.limit == 50_000


def test_the_news_sitemap_has_the_last_two_days_with_google_news_fields(client, site, publish):
    old = publish(headline="Old news")
    Article.objects.filter(pk=old.pk).update(
        first_published_at=old.first_published_at - datetime.timedelta(hours=49)
    )

    root = xml(client, reverse("public:news_sitemap"))

    assert locations(root) == [site["story"].get_absolute_url()]
    [url] = root.findall("sm:url", NS)
    news = url.find("news:news", NS)
    assert news.find("news:publication/news:name", NS).text == settings.NEWSROOM_NAME
    assert news.find("news:publication/news:language", NS).text == "en"
    published = news.find("news:publication_date", NS).text
    assert datetime.datetime.fromisoformat(published) == site["story"].first_published_at
    assert news.find("news:title", NS).text == "Bridge reopens"


def test_the_news_sitemap_stops_at_its_limit(client, publish, monkeypatch):
    assert sitemaps.NEWS_LIMIT == 1000
    monkeypatch.setattr(sitemaps, "NEWS_LIMIT", 2)
    for _ in range(3):
        publish()

    assert len(xml(client, reverse("public:news_sitemap")).findall("sm:url", NS)) == 2


def test_robots_txt_points_at_the_sitemaps_and_keeps_out_of_admin_and_previews(client):
    response = client.get("/robots.txt")

    lines = response.content.decode().splitlines()
    assert response["Content-Type"].startswith("text/plain")
    assert "User-agent: *" in lines
    assert {"Disallow: /admin/", "Disallow: /preview/"} <= set(lines)
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in lines
    assert f"Sitemap: {settings.SITE_URL}/news-sitemap.xml" in lines


def test_a_staff_member_is_listed_once_as_an_author(client, site):
    StaffPersonFactory(slug="ed-itor")

    people = locations(xml(client, reverse("public:sitemap", args=["people"])))
    authors = locations(xml(client, reverse("public:sitemap", args=["authors"])))

    assert "/people/ed-itor/" not in people
    assert "/authors/ed-itor/" in authors


def test_an_unknown_sitemap_is_404(client):
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_sitemaps_cost_the_same_however_much_they_list(
    client, publish, policy_pages, django_assert_max_num_queries
):
    first = publish()
    first.tags.add("Harbour")
    first.people.add(PersonFactory())
    urls = [
        reverse("public:sitemap_index"),
        reverse("public:news_sitemap"),
        *(reverse("public:sitemap", args=[name]) for name in SITEMAPS),
    ]
    expected = {url: queries_for(client, url) for url in urls}
    for n in range(10):
        story = publish()
        story.tags.add(f"topic {n}")
        story.people.add(PersonFactory())
        StaffPersonFactory()

    for url in urls:
        assert expected[url] <= 2 * len(SITEMAPS), url
        with django_assert_max_num_queries(expected[url]):
            assert client.get(url).status_code == 200

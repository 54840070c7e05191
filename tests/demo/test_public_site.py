"""The public site over the demo newsroom and the seed story: every page, feed and sitemap shows
the published stories, none of the others, and never names the seed story's children outside
the story's own words (which the standards editor cleared)."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from articles.models import Article
from demo import content, policies, seed
from people.models import Person

pytestmark = pytest.mark.django_db

UNSEEN = [story["headline"] for story in content.STORIES if story["state"] != "published"]


@pytest.fixture
def site(seed_story):
    library = Article.objects.get(slug=content.STORIES[0]["slug"])
    return {"seed": seed_story, "library": library}


def site_urls():
    return {
        "home": reverse("public:home"),
        "section": reverse("public:section", args=["entertainment"]),
        "topic": reverse("public:tag", args=["celebrity"]),
        "author": reverse("public:author", args=["lena-marsh"]),
        "person": reverse("public:person", args=["natalie-portman"]),
        "year": reverse("public:archive_year", args=[2024]),
        "month": reverse("public:archive_month", args=[2024, 3]),
        "day": reverse("public:archive_day", args=[2024, 3, 8]),
    }


def machine_urls():
    return [
        reverse("public:feed_site_rss"),
        reverse("public:feed_site_atom"),
        reverse("public:feed_section_rss", args=["entertainment"]),
        reverse("public:feed_topic_atom", args=["celebrity"]),
        reverse("public:feed_author_rss", args=["lena-marsh"]),
        reverse("public:feed_corrections_rss"),
        reverse("public:sitemap_index"),
        *(reverse("public:sitemap", args=[name]) for name in ("articles", "people", "topics")),
        reverse("public:news_sitemap"),
    ]


def test_every_listing_carries_the_seed_story(client, site):
    for name, url in site_urls().items():
        page = client.get(url).content.decode()
        assert escape(site["seed"].headline) in page, name
        assert f'href="{site["seed"].get_absolute_url()}"' in page, name


def test_no_page_feed_or_sitemap_shows_a_story_readers_may_not_see(client, site):
    for url in [*site_urls().values(), *machine_urls(), reverse("public:corrections")]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for headline in UNSEEN:
            assert escape(headline) not in body, (url, headline)


def test_the_corrections_log_and_masthead_show_the_demo_newsroom(client, site):
    log = client.get(reverse("public:corrections")).content.decode()
    masthead = client.get(reverse("public:masthead")).content.decode()

    assert escape(site["library"].corrections.get().text) in log
    for _, first, last, *_ in content.USERS:
        assert f"{first} {last}" in masthead


def test_every_policy_page_answers(client, site):
    for slug, title, *_ in policies.POLICIES:
        page = client.get(reverse("public:policy", args=[slug]))
        assert page.status_code == 200
        assert escape(title) in page.content.decode()


def test_the_children_are_named_nowhere_but_in_the_story_itself(client, site):
    children = list(Person.objects.filter(is_minor=True))
    assert len(children) == 2
    for child in children:
        assert client.get(reverse("public:person", args=[child.slug])).status_code == 404
    urls = [*site_urls().values(), *machine_urls(), site["seed"].get_absolute_url()]
    for url in urls:
        body = client.get(url).content.decode()
        outside_story = re.sub(r'<div class="body">.*?</div>', "", body, flags=re.S)
        for child in children:
            assert not re.search(rf"\b{re.escape(child.name)}\b", outside_story), (url, child)
            assert child.slug not in body


def test_the_seed_story_page_has_its_trust_indicators(client, site):
    page = client.get(site["seed"].get_absolute_url()).content.decode()

    assert '<span class="type-of-work type-news">News</span>' in page
    assert "About the sources in this story" in page
    assert "quotes a source who is not named" in page
    assert f'href="{reverse("public:tag", args=["celebrity"])}"' in page
    assert f'href="{reverse("public:person", args=["natalie-portman"])}"' in page
    assert seed.SLUG in page

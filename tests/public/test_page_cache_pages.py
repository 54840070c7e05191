"""The page cache over the listings, archives, corrections log and standards pages: each is
served from the cache until something it shows changes, and then at once shows the change."""

import pytest
from django.urls import reverse

from articles.models import Article, Correction
from articles.workflow import Status
from tests.factories import StaffPersonFactory

from .conftest import local_time

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE = True


def from_cache(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response["X-Page-Cache"] == "hit"


def warm(client, urls):
    for url in urls:
        client.get(url)
    assert all(from_cache(client, url) for url in urls)


def listings(story, author):
    day = local_time(2024, 3, 8).date()
    return [
        reverse("public:section", args=[story.section.slug]),
        reverse("public:tag", args=["harbour"]),
        reverse("public:author", args=[author.slug]),
        reverse("public:archive_year", args=[day.year]),
        reverse("public:archive_month", args=[day.year, day.month]),
        reverse("public:archive_day", args=[day.year, day.month, day.day]),
        reverse("public:corrections"),
    ]


@pytest.fixture
def archived(publish, editor):
    """A published story from March 8, 2024, tagged and corrected."""
    story = publish(headline="Harbour bridge reopens")
    story.tags.add("harbour")
    story.correct(by=editor, kind=Correction.Kind.CORRECTION, text="A date was wrong.")
    Article.objects.filter(pk=story.pk).update(first_published_at=local_time(2024, 3, 8, 9))
    story.refresh_from_db()
    return story


def test_taking_a_story_down_empties_every_listing_it_was_on(
    client, archived, author, editor, committed
):
    urls = listings(archived, author)
    warm(client, urls)

    with committed():
        archived.unpublish(by=editor)

    for url in urls:
        response = client.get(url)
        assert response.get("X-Page-Cache") != "hit", url
        assert archived.headline not in response.content.decode(), url


def test_a_new_story_reaches_its_listings_and_leaves_others_cached(
    client, archived, author, draft, editor, policy_pages, committed
):
    urls = listings(archived, author)
    policy = policy_pages["ethicsPolicy"].get_absolute_url()
    warm(client, [*urls, policy])
    new = draft(Status.APPROVED, headline="Ferry timetable changes", byline=StaffPersonFactory())
    new.tags.add("harbour")

    with committed():
        new.transition("publish", by=editor)

    section, topic, by_author, year, *_ = urls
    for url in (section, topic):
        assert "Ferry timetable changes" in client.get(url).content.decode(), url
    assert from_cache(client, by_author)  # someone else's story
    assert from_cache(client, year)  # the 2024 archive does not hold today's story
    assert from_cache(client, policy)


def test_editing_a_standards_page_changes_every_page(
    client, archived, author, policy_pages, committed
):
    urls = [reverse("public:home"), archived.get_absolute_url(), *listings(archived, author)]
    warm(client, urls)
    policy = policy_pages["actionableFeedbackPolicy"]

    with committed():
        policy.title = "Write to the standards desk"
        policy.save()

    for url in urls:
        assert "Write to the standards desk" in client.get(url).content.decode(), url

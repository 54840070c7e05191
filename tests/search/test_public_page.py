"""The public search page: published stories only, filters, sort, pages, people, and any query
answering 200 quickly."""

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.workflow import Status
from people.models import Person
from tests.factories import PersonFactory, SectionFactory, StaffPersonFactory

from .test_engine import HOSTILE

pytestmark = pytest.mark.django_db

URL = reverse("public:search")


def headlines(response):
    return [hit.article.headline for hit in response.context["hits"]]


def test_the_page_finds_published_stories_with_highlighted_snippets(client, make_story):
    make_story(headline="Beekeepers count their hives", body="<p>The hives survived winter.</p>")
    make_story(status=Status.DRAFT, headline="Beekeepers draft")

    response = client.get(URL, {"q": "beekeepers or hives"})

    assert response.status_code == 200
    assert headlines(response) == ["Beekeepers count their hives"]
    assert b"Beekeepers draft" not in response.content
    assert b"<mark>hives</mark> survived winter" in response.content
    assert "1 story for “beekeepers or hives”" in response.content.decode()


def test_the_header_has_a_search_box_on_every_public_page(client):
    response = client.get(reverse("public:home"))
    assert b'action="/search/"' in response.content
    assert b'name="q"' in response.content


def test_an_empty_search_asks_for_words(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get(URL)
    assert response.status_code == 200
    assert response.context["hits"] == []
    assert b"Type a word" in response.content


def test_filters_by_section_author_and_dates(client, make_story):
    sport = SectionFactory(name="Sport", slug="sport")
    writer = StaffPersonFactory(name="Odile Fairweather")
    make_story(headline="Regatta news old", days_ago=60)
    make_story(headline="Regatta news sport", section=sport, days_ago=10)
    make_story(headline="Regatta news writer", byline=writer, days_ago=3)

    def search(**filters):
        return sorted(headlines(client.get(URL, {"q": "regatta", **filters})))

    assert len(search()) == 3
    assert search(section=sport.pk) == ["Regatta news sport"]
    assert search(author=writer.pk) == ["Regatta news writer"]
    today = timezone.localdate()
    assert search(date_from=today - timedelta(days=20)) == [
        "Regatta news sport",
        "Regatta news writer",
    ]
    assert search(date_to=today - timedelta(days=20)) == ["Regatta news old"]


@pytest.mark.parametrize(
    "bad",
    [
        {"section": "999999"},
        {"author": "not-a-number"},
        {"date_from": "2026-13-45"},
        {"date_to": "yesterday"},
        {"sort": "random"},
        {"page": "999"},
        {"page": "x"},
    ],
)
def test_bad_filters_answer_sensibly(client, make_story, bad):
    make_story(headline="Regatta news")
    response = client.get(URL, {"q": "regatta", **bad})
    if "page" in bad:
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert headlines(response) == ["Regatta news"]


def test_a_reversed_date_range_says_so(client):
    response = client.get(URL, {"q": "x", "date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert response.status_code == 200
    assert "Pick a date on or after the first one." in response.content.decode()


def test_sort_by_newest(client, make_story):
    make_story(headline="Lantern parade", days_ago=30)
    make_story(headline="Parade route", body="<p>Lantern makers gather.</p>", days_ago=1)
    assert headlines(client.get(URL, {"q": "lantern"})) == ["Lantern parade", "Parade route"]
    assert headlines(client.get(URL, {"q": "lantern", "sort": "newest"})) == [
        "Parade route",
        "Lantern parade",
    ]


def test_results_are_paged_keeping_the_query(client, make_story, django_assert_max_num_queries):
    for n in range(23):
        make_story(headline=f"Harvest report {n}", days_ago=n)
    with django_assert_max_num_queries(10):
        first = client.get(URL, {"q": "harvest", "sort": "newest"})
    assert len(first.context["hits"]) == 20
    assert "?q=harvest&amp;sort=newest&amp;page=2" in first.content.decode()
    second = client.get(URL, {"q": "harvest", "sort": "newest", "page": 2})
    assert headlines(second) == ["Harvest report 20", "Harvest report 21", "Harvest report 22"]


def test_the_people_block_shows_only_people_with_a_public_page(client):
    PersonFactory(name="Florian Brightwater", kind=Person.Kind.PUBLIC_FIGURE, description="Mayor")
    StaffPersonFactory(name="Florian Staffwriter")
    PersonFactory(name="Florian Private", kind=Person.Kind.PRIVATE_INDIVIDUAL)
    PersonFactory(name="Florian Minor", kind=Person.Kind.PUBLIC_FIGURE, is_minor=True)

    response = client.get(URL, {"q": "florian"})

    names = [person.name for person in response.context["people"]]
    assert names == ["Florian Brightwater", "Florian Staffwriter"]
    assert b"Florian Private" not in response.content
    assert b"Florian Minor" not in response.content


@pytest.mark.parametrize("text", [text for text in HOSTILE if "\x00" not in text])
def test_hostile_queries_answer_200_quickly(client, corpus, text):
    started = time.perf_counter()
    response = client.get(URL, {"q": text, "sort": "newest"})
    assert response.status_code == 200
    assert time.perf_counter() - started < 0.2


def test_a_nul_in_the_query_is_refused_before_search(client):
    assert client.get(URL, {"q": "lighthouse\x00"}).status_code == 400


def test_a_common_word_says_only_the_newest_are_ranked(client, make_story, monkeypatch):
    monkeypatch.setattr("articles.search.CANDIDATES", 3)
    stories = [make_story(headline=f"Tram news {n}") for n in range(5)]
    response = client.get(URL, {"q": "tram"})
    assert "More than 3 stories for “tram”: the newest 3" in response.content.decode()
    assert sorted(hit.article.pk for hit in response.context["hits"]) == sorted(
        story.pk for story in stories[2:]
    )

"""Every public page costs a constant number of SQL queries, whatever the number of stories,
tags, people, bylines, photos and corrections it shows; each page's budget is stated here."""

import pytest
from django.urls import reverse

from articles.models import Byline, Correction
from tests.factories import PersonFactory, PhotoFactory, StaffPersonFactory

from .conftest import queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def made_from_scratch(settings):
    """The budgets are those of pages made whole; fragments kept in the cache only lower them
    (tests/public/test_fragments.py), and would make a warmed page cheaper than a new one."""
    settings.FRAGMENT_CACHE = False


#: The article page: article with section and photo, bylines, tags, people, corrections, the
#: anonymous-sourcing note, related stories, and the sections and policy pages (one union).
ARTICLE_BUDGET = 8
#: A listing: its subject (section, topic, person), the count, the page of stories, their
#: bylines, and the sections and policy pages; the home page has its rails instead of a subject.
LISTING_BUDGET = 6


def dress(article, *, count, editor, author):
    """Give a published article `count` tags, people, bylines and corrections, and a photo."""
    article.tags.add("harbour", *[f"topic {n}" for n in range(count)])
    article.people.add(*PersonFactory.create_batch(count))
    for n in range(count):
        Byline.objects.create(article=article, person=StaffPersonFactory(), position=n + 1)
        article.correct(by=editor, kind=Correction.Kind.CORRECTION, text=f"Fix number {n}.")
    Byline.objects.create(article=article, person=author, role=Byline.Role.PHOTOGRAPHY)
    article.lead_photo = PhotoFactory()
    article.save(update_fields=["lead_photo"])
    return article


def listing_urls(article, author):
    day = article.public_url_kwargs()
    person = article.people.first()
    return {
        "home": reverse("public:home"),
        "section": reverse("public:section", args=[article.section.slug]),
        "topic": reverse("public:tag", args=["harbour"]),
        "author": reverse("public:author", args=[author.slug]),
        "person": reverse("public:person", args=[person.slug]),
        "year": reverse("public:archive_year", args=[day["year"]]),
        "month": reverse("public:archive_month", args=[day["year"], day["month"]]),
        "day": reverse("public:archive_day", args=[day["year"], day["month"], day["day"]]),
        "corrections": reverse("public:corrections"),
    }


def test_the_article_page_stays_within_its_budget_however_much_it_shows(
    client, publish, editor, author, policy_pages, django_assert_max_num_queries
):
    few = dress(publish(), count=1, editor=editor, author=author)
    many = dress(publish(), count=12, editor=editor, author=author)
    for _ in range(6):
        dress(publish(), count=2, editor=editor, author=author)  # related stories

    expected = queries_for(client, few.get_absolute_url())
    url = many.get_absolute_url()
    assert expected <= ARTICLE_BUDGET
    with django_assert_max_num_queries(expected):
        page = client.get(url)

    assert "topic 11" in page.content.decode()
    assert "Fix number 11." in page.content.decode()


def test_every_listing_stays_within_its_budget_however_much_it_lists(
    client, publish, editor, author, policy_pages, django_assert_max_num_queries
):
    first = dress(publish(), count=1, editor=editor, author=author)
    urls = listing_urls(first, author)
    expected = {name: queries_for(client, url) for name, url in urls.items()}
    for _ in range(25):
        article = dress(publish(), count=3, editor=editor, author=author)
        article.people.add(first.people.first())

    for name, url in urls.items():
        assert expected[name] <= LISTING_BUDGET, name
        with django_assert_max_num_queries(expected[name]):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize("name", ["masthead", "policy"])
def test_the_masthead_and_policy_pages_cost_two_queries(
    client, policy_pages, name, django_assert_num_queries
):
    StaffPersonFactory.create_batch(5)
    url = (
        reverse("public:masthead")
        if name == "masthead"
        else policy_pages["ethicsPolicy"].get_absolute_url()
    )

    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200

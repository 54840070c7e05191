"""The seed story as `load_demo` imports it: a published, fully sourced article whose public
page carries the file's text verbatim, and which never exposes the children it mentions.

Everything about the text is derived from the seed file at run time; none of it is copied here.
"""

import html
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from articles.publish_gate import publish_problems
from people.models import Person
from sourcing.models import Outlet, Quote, Source

from .conftest import file_paragraphs

pytestmark = pytest.mark.django_db

PUBLIC_FIGURES = {"Natalie Portman", "Benjamin Millepied", "Guy Ritchie"}


def body_html(text):
    """`text` as the article body serialises it: nh3 escapes only &, < and > in text."""
    return html.escape(text, quote=False)


def file_date(seed_text):
    return re.search(r"date (\d{4})-(\d{2})-(\d{2})", seed_text).groups()


def test_published_in_entertainment_on_the_story_date(seed_story, seed_text):
    year, month, day = file_date(seed_text)

    assert (year, month, day) == ("2024", "03", "08")
    assert seed_story.is_published()
    assert seed_story.section.name == "Entertainment"
    assert f"{timezone.localtime(seed_story.first_published_at):%Y-%m-%d}" == "2024-03-08"
    assert seed_story.get_absolute_url() == f"/entertainment/2024/03/08/{seed_story.slug}/"
    assert seed_story.headline and seed_story.headline not in seed_text  # our own words
    assert seed_story.dek and seed_story.dek not in seed_text
    assert seed_story.tags.exists()
    [byline] = seed_story.bylines.select_related("person")
    assert byline.person.kind == Person.Kind.STAFF


def test_public_page_carries_the_story(client, seed_story, seed_text):
    response = client.get(seed_story.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{escape(seed_story.headline)}</h1>" in page
    byline = seed_story.bylines.get().person
    author_page = reverse("public:author", args=[byline.slug])
    link = f'<a class="author" href="{author_page}">{escape(byline.name)}</a>'
    assert f'<p class="byline">By {link}</p>' in page
    assert '<time datetime="2024-03-08T' in page
    assert "March 8, 2024" in page
    paragraphs = file_paragraphs(seed_text)
    assert paragraphs
    for paragraph in paragraphs:
        assert f"<p>{body_html(paragraph)}</p>" in page
    quotes = seed_story.quotes.in_body()
    assert quotes.count() == 3
    for quote in quotes:
        assert quote.attribution
        assert body_html(quote.attribution) in page


def test_people_in_the_story(seed_story, seed_text):
    people = list(seed_story.people.all())

    public = {person.name for person in people if person.kind == Person.Kind.PUBLIC_FIGURE}
    minors = [person for person in people if person.is_minor]
    assert public == PUBLIC_FIGURES
    assert all(p.has_public_page for p in people if p.name in PUBLIC_FIGURES)
    assert len(minors) == 2
    for child in minors:
        assert re.search(rf"\b{re.escape(child.name)}, \d+\b", seed_text)  # named, with age
        assert child.kind == Person.Kind.PRIVATE_INDIVIDUAL
        assert not child.has_public_page
    assert not Person.objects.with_public_page().filter(is_minor=True).exists()


def test_children_are_kept_out_of_structured_data_and_the_people_list(client, seed_story):
    page = client.get(seed_story.get_absolute_url()).content.decode()

    [json_ld] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    [in_this_story] = re.findall(r'<p class="people">(.*?)</p>', page, re.S)
    children = seed_story.people.filter(is_minor=True).values_list("name", flat=True)
    assert len(children) == 2
    for name in children:
        assert name not in json_ld
        assert name not in in_this_story
    mentioned = {person["name"] for person in json.loads(json_ld)[0]["mentions"]}
    assert mentioned == PUBLIC_FIGURES
    for name in PUBLIC_FIGURES:
        assert name in in_this_story


def test_sources_outlets_and_quotes(seed_story, seed_text):
    quotes = list(seed_story.quotes.in_body().select_related("source__person", "outlet"))

    assert Outlet.objects.filter(name__in=["PEOPLE", "Vanity Fair"]).count() == 2
    friend, portman = quotes[0].source, quotes[2].source
    assert friend.kind == Source.Kind.ANONYMOUS
    assert friend.public_description == "a friend of the couple"
    assert friend.anonymity_approved
    assert friend.real_name  # fictional confidential details are filled in
    assert portman.kind == Source.Kind.NAMED
    assert portman.person.name == "Natalie Portman"
    assert [(quote.source, quote.outlet.name) for quote in quotes] == [
        (friend, "PEOPLE"),
        (friend, "PEOPLE"),
        (portman, "Vanity Fair"),
    ]
    text = " ".join(file_paragraphs(seed_text))
    for quote in quotes:
        assert quote.how_obtained == Quote.HowObtained.OTHER_OUTLET
        assert quote.status == Quote.Status.VERIFIED
        assert f'"{quote.text}"' in text  # verbatim, marks and all
        assert quote.attribution in text  # as printed


def test_admin_shows_the_quotes_sources_and_people_to_an_editor(client, seed_story):
    client.force_login(get_user_model().objects.get(username="editor"))

    response = client.get(f"/admin/articles/article/{seed_story.pk}/change/")

    page = response.content.decode()
    assert response.status_code == 200
    for quote in seed_story.quotes.in_body().select_related("source__person"):
        assert escape(quote.text) in page
        source = quote.source
        assert f'<option value="{source.pk}" selected>{escape(source)}</option>' in page
    for person in seed_story.people.all():
        assert f'<option value="{person.pk}" selected>{escape(person.name)}</option>' in page


def test_the_seed_story_names_two_minors_as_the_standards_editor_decided(seed_story):
    """The story names the couple's children: the demo records the standards editor's decision
    and reason, so the story passes the gate; the children still get no page or mention."""
    clearances = seed_story.minor_clearances.select_related("person", "cleared_by")

    assert len(clearances) == 2
    for clearance in clearances:
        assert clearance.person.is_minor
        assert clearance.cleared_by.has_perm("articles.clear_minor_naming")
        assert clearance.reason.strip()
    assert publish_problems(seed_story) == []

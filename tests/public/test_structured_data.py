"""The article's JSON-LD: the schema.org type its type of work implies, every Trust Project
property, breadcrumbs, and never a minor or a private individual."""

import pytest
from django.conf import settings
from django.urls import reverse

from articles.models import Byline, Correction, TypeOfWork
from public.models import TrustProperty
from public.structured_data import SCHEMA_TYPES
from tests.factories import PersonFactory, PhotoFactory, StaffPersonFactory

from .conftest import json_ld, text

pytestmark = pytest.mark.django_db


def absolute(path):
    return settings.SITE_URL + path


def article_data(client, article):
    found = json_ld(text(client.get(article.get_absolute_url())))
    [data] = [item for item in found if item["@type"] != "BreadcrumbList"]
    [crumbs] = [item for item in found if item["@type"] == "BreadcrumbList"]
    return data, crumbs


@pytest.mark.parametrize(
    ("kind", "schema_type"),
    [
        (TypeOfWork.NEWS, "NewsArticle"),
        (TypeOfWork.ANALYSIS, "AnalysisNewsArticle"),
        (TypeOfWork.OPINION, "OpinionNewsArticle"),
        (TypeOfWork.REVIEW, "ReviewNewsArticle"),
        (TypeOfWork.EXPLAINER, "BackgroundNewsArticle"),
        (TypeOfWork.SPONSORED, "AdvertiserContentArticle"),
    ],
)
def test_the_type_of_work_picks_the_schema_type(client, publish, kind, schema_type):
    data, _ = article_data(client, publish(type_of_work=kind))

    assert data["@type"] == schema_type
    assert set(SCHEMA_TYPES) == set(TypeOfWork)


def test_every_trust_property_is_there(client, publish, author, editor, policy_pages):
    second = StaffPersonFactory(name="Sam Second", slug="sam-second")
    photo = PhotoFactory(caption="The bridge.", credit="Ledger")
    article = publish(dateline="EASTMERE", lead_photo=photo)
    Byline.objects.create(article=article, person=second, position=1)
    article.tags.add("Harbour")
    article.correct(by=editor, kind=Correction.Kind.CORRECTION, text="The year was 1931.")

    data, crumbs = article_data(client, article)

    url = absolute(article.get_absolute_url())
    assert data["@context"] == "https://schema.org"
    assert data["headline"] == article.headline
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["datePublished"] == article.first_published_at.isoformat()
    assert data["dateModified"] > data["datePublished"]
    assert data["dateline"] == "EASTMERE"
    assert data["author"] == [
        {"@type": "Person", "name": person.name, "url": absolute(f"/authors/{person.slug}/")}
        for person in (author, second)
    ]
    assert data["image"][0]["url"] == absolute(photo.image.url)
    assert data["image"][0]["width"] == 64
    [correction] = data["correction"]
    assert correction["@type"] == "CorrectionComment"
    assert correction["text"] == "Correction: The year was 1931."
    assert correction["datePublished"]
    publisher = data["publisher"]
    assert publisher["@type"] == "NewsMediaOrganization"
    assert publisher["name"] == settings.NEWSROOM_NAME
    assert publisher["logo"]["url"].endswith(".png")
    assert publisher["masthead"] == absolute(reverse("public:masthead"))
    for prop in TrustProperty:
        assert publisher[prop.value] == absolute(policy_pages[prop.value].get_absolute_url())
        assert client.get(policy_pages[prop.value].get_absolute_url()).status_code == 200
    assert client.get(reverse("public:masthead")).status_code == 200
    assert [item["name"] for item in crumbs["itemListElement"]] == [
        settings.NEWSROOM_NAME,
        "News",
        article.headline,
    ]
    assert crumbs["itemListElement"][-1]["item"] == url


def test_photographers_are_contributors_not_authors(client, publish, author):
    photographer = StaffPersonFactory(name="Pia Photo")
    article = publish()
    Byline.objects.create(article=article, person=photographer, role=Byline.Role.PHOTOGRAPHY)

    data, _ = article_data(client, article)

    assert [a["name"] for a in data["author"]] == [author.name]
    assert [c["name"] for c in data["contributor"]] == ["Pia Photo"]


def test_minors_and_private_individuals_are_never_named(client, publish):
    figure = PersonFactory(name="Ruth Abernathy", same_as="https://example.org/ruth")
    article = publish()
    article.people.add(
        figure,
        PersonFactory(name="Kim Young", is_minor=True),
        PersonFactory(name="Pat Private", kind="private_individual"),
        PersonFactory(name="Lee Minor-Private", kind="private_individual", is_minor=True),
    )

    data, _ = article_data(client, article)

    assert data["mentions"] == [
        {
            "@type": "Person",
            "name": "Ruth Abernathy",
            "url": absolute(reverse("public:person", args=[figure.slug])),
            "sameAs": ["https://example.org/ruth"],
        }
    ]
    for name in ("Kim Young", "Pat Private", "Lee Minor-Private"):
        assert name not in str(data)


def test_json_ld_cannot_close_its_script_element(client, publish):
    article = publish(headline="Bridge </script><script>alert(1)</script> reopens")

    page = text(client.get(article.get_absolute_url()))

    assert "</script><script>alert(1)" not in page
    data, _ = article_data(client, article)
    assert data["headline"] == article.headline


@pytest.mark.parametrize("name", ["public:home", "public:masthead"])
def test_the_front_page_and_masthead_describe_the_newsroom(client, policy_pages, name):
    [org] = json_ld(text(client.get(reverse(name))))

    assert org["@type"] == "NewsMediaOrganization"
    assert org["name"] == settings.NEWSROOM_NAME
    assert org["masthead"] == absolute(reverse("public:masthead"))
    assert {prop.value for prop in TrustProperty} <= set(org)


def test_an_author_page_is_a_profile_of_someone_working_for_the_newsroom(client, author):
    author.photo = PhotoFactory()
    author.save()

    [profile] = json_ld(text(client.get(reverse("public:author", args=[author.slug]))))

    assert profile["@type"] == "ProfilePage"
    person = profile["mainEntity"]
    assert person["name"] == author.name
    assert person["jobTitle"] == "Staff writer"
    assert person["url"] == absolute(reverse("public:author", args=[author.slug]))
    assert person["image"] == absolute(author.photo.image.url)
    assert person["worksFor"]["name"] == settings.NEWSROOM_NAME

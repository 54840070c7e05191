"""The article page: labels, bylines, dateline, times, photo, corrections, sourcing note, links,
related stories, and the tags social sites read."""

import re

import pytest
from django.urls import reverse

from articles.models import Article, Byline, Correction, TypeOfWork
from articles.workflow import Status
from tests.factories import PersonFactory, PhotoFactory, StaffPersonFactory

from .conftest import local_time, text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", list(TypeOfWork))
def test_the_type_of_work_is_labelled_above_the_headline(client, publish, kind):
    page = text(client.get(publish(type_of_work=kind).get_absolute_url()))

    label = page.index(f'<span class="type-of-work type-{kind.value}">{kind.label}</span>')
    assert label < page.index("<h1>")


def test_the_dateline_runs_into_the_first_paragraph(client, publish):
    article = publish(dateline="EASTMERE", body="<p>The council met.</p><p>It voted.</p>")

    page = text(client.get(article.get_absolute_url()))

    assert '<p><span class="dateline">EASTMERE — </span>The council met.</p>' in page


def test_a_body_not_starting_with_a_paragraph_keeps_its_dateline(client, publish):
    article = publish(dateline="EASTMERE", body="<h2>Scene</h2><p>The council met.</p>")

    page = text(client.get(article.get_absolute_url()))

    assert '<p><span class="dateline">EASTMERE — </span></p><h2>Scene</h2>' in page


def test_a_dateline_is_escaped(client, publish):
    article = publish(dateline="<b>PARIS</b>")

    page = text(client.get(article.get_absolute_url()))

    assert '<span class="dateline">&lt;b&gt;PARIS&lt;/b&gt; — </span>' in page


def test_published_and_updated_times_are_in_the_newsroom_zone(client, publish, editor):
    article = publish()
    published = local_time(2024, 3, 8, 9, 5)
    Article.objects.filter(pk=article.pk).update(first_published_at=published)
    article.refresh_from_db()
    article.correct(by=editor, kind=Correction.Kind.CORRECTION, text="A date was wrong.")

    page = text(client.get(article.get_absolute_url()))

    assert '<time datetime="2024-03-08T09:05:00-05:00">March 8, 2024, 9:05 a.m. EST</time>' in page
    assert re.search(r'Updated <time datetime="\d{4}-\d\d-\d\dT[\d:.]+-0[45]:00">', page)


def test_bylines_link_to_every_author_page(client, publish, author):
    second = StaffPersonFactory(name="Sam Second", slug="sam-second")
    article = publish()
    Byline.objects.create(article=article, person=second, position=1)

    page = text(client.get(article.get_absolute_url()))

    for person in (author, second):
        href = reverse("public:author", args=[person.slug])
        assert f'<a class="author" href="{href}">{person.name}</a>' in page


def test_lead_photo_with_caption_and_credit(client, publish):
    photo = PhotoFactory(caption="The bridge at dawn.", credit="Ines Varga / Ledger")
    article = publish(lead_photo=photo)

    page = text(client.get(article.get_absolute_url()))

    assert '<figure class="lead-photo">' in page
    assert f'src="{photo.image.url}" alt="A brown rectangle" width="64" height="48"' in page
    assert '<span class="credit">Ines Varga / Ledger</span>' in page
    assert "The bridge at dawn." in page


def test_tags_and_people_with_a_page_are_links_and_minors_are_not_named(client, publish):
    figure = PersonFactory(name="Ruth Abernathy", description="Council chair")
    private = PersonFactory(name="Pat Private", kind="private_individual")
    minor = PersonFactory(name="Kim Young", is_minor=True)
    article = publish()
    article.tags.add("Harbour")
    article.people.add(figure, private, minor)

    page = text(client.get(article.get_absolute_url()))

    assert f'<a class="tag" rel="tag" href="{reverse("public:tag", args=["harbour"])}">' in page
    assert f'<a href="{reverse("public:person", args=[figure.slug])}">Ruth Abernathy</a>' in page
    assert "Pat Private" not in page
    assert "Kim Young" not in page


def test_related_stories_share_a_tag_or_a_person_and_are_published(client, publish, draft):
    figure = PersonFactory(name="Ruth Abernathy")
    minor = PersonFactory(name="Kim Young", is_minor=True)
    article = publish(headline="Main story")
    article.tags.add("Harbour")
    article.people.add(figure, minor)
    by_tag = publish(headline="Tag cousin")
    by_tag.tags.add("Harbour")
    by_person = publish(headline="Person cousin")
    by_person.people.add(figure)
    by_minor = publish(headline="Minor cousin")
    by_minor.people.add(minor)
    hidden = draft(headline="Draft cousin")
    hidden.tags.add("Harbour")
    publish(headline="Stranger")

    response = client.get(article.get_absolute_url())

    assert {a.headline for a in response.context["related"]} == {"Tag cousin", "Person cousin"}
    assert "Draft cousin" not in text(response)


def test_corrections_box_and_retraction_at_the_top(client, publish, editor):
    article = publish()
    article.correct(by=editor, kind=Correction.Kind.CORRECTION, text="The year was 1931.")
    article.correct(by=editor, kind=Correction.Kind.RETRACTION, text="We retract this story.")

    page = text(client.get(article.get_absolute_url())).split("</head>")[1]

    assert page.index("We retract this story.") < page.index("<h1>")
    box = page.index('aria-label="Corrections"')
    assert page.index("The year was 1931.") > box


def test_canonical_open_graph_and_twitter_tags(client, publish, settings):
    article = publish(lead_photo=PhotoFactory(), seo_title="Bridge reopens")
    article.tags.add("Harbour")

    page = text(client.get(article.get_absolute_url()))

    url = settings.SITE_URL + article.get_absolute_url()
    assert f'<link rel="canonical" href="{url}">' in page
    assert f'<meta property="og:url" content="{url}">' in page
    assert '<meta property="og:title" content="Bridge reopens">' in page
    assert '<meta property="og:image:alt" content="A brown rectangle">' in page
    assert '<meta property="article:tag" content="Harbour">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page


def test_an_unpublished_story_answers_410_and_leaves_every_listing(client, publish, editor):
    article = publish(headline="Soon gone")
    article.tags.add("Harbour")
    address = article.get_absolute_url()
    article.unpublish(by=editor)

    assert client.get(address).status_code == 410
    for url in [
        reverse("public:home"),
        reverse("public:section", args=["news"]),
        reverse("public:author", args=["rita-reporter"]),
    ]:
        assert "Soon gone" not in text(client.get(url))
    assert client.get(reverse("public:tag", args=["harbour"])).status_code == 404


def test_a_scheduled_story_is_nowhere_until_its_time(client, draft):
    draft(Status.SCHEDULED, headline="Not yet")

    assert "Not yet" not in text(client.get(reverse("public:home")))

"""Photos on public pages: `<picture>` with real renditions, never the original upload."""

import json
import re
from html.parser import HTMLParser
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from articles.workflow import Status
from photos import renditions
from tests.articles.conftest import drive_to
from tests.crawl import NO_SUCH_RENDITION, leaks, listing_fillings, public_urls
from tests.factories import ArticleFactory, PersonFactory, PhotoFactory, image_bytes

pytestmark = pytest.mark.django_db

YEAR = 365 * 24 * 60 * 60


class Pictures(HTMLParser):
    """The `<source>` and `<img>` elements inside each `<picture>` of a page."""

    def __init__(self, html):
        super().__init__()
        self.pictures, self.inside = [], False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "picture":
            self.inside = True
            self.pictures.append({"sources": []})
        elif tag == "source" and self.inside:
            self.pictures[-1]["sources"].append(dict(attrs))
        elif tag == "img" and self.inside:
            self.pictures[-1]["img"] = dict(attrs)

    def handle_endtag(self, tag):
        if tag == "picture":
            self.inside = False


def srcset_urls(srcset):
    return [candidate.split()[0] for candidate in srcset.split(", ")]


def fetched(client, url):
    """Follow a rendition URL to its file; the final response and its bytes."""
    response = client.get(url, follow=True)
    return response, b"".join(response.streaming_content)


@pytest.fixture
def published(editor):
    def make(**fields):
        photo = PhotoFactory(
            image=ContentFile(image_bytes(size=(1600, 1000)), name="harbour.jpg"),
            alt_text="Boats tied up in the harbour at dusk.",
        )
        article = ArticleFactory(lead_photo=photo, **fields)
        return drive_to(article, Status.PUBLISHED, by=editor), photo

    return make


def check_picture(client, picture, photo):
    types = [source["type"] for source in picture["sources"]]
    assert types == ["image/avif", "image/webp"]
    img = picture["img"]
    assert img["alt"] == photo.alt_text
    assert (int(img["width"]), int(img["height"])) == (960, 600)
    assert img["sizes"] == picture["sources"][0]["sizes"]
    expected = {source["type"]: srcset_urls(source["srcset"]) for source in picture["sources"]} | {
        "image/jpeg": [img["src"], *srcset_urls(img["srcset"])]
    }
    for content_type, urls in expected.items():
        for url in urls:
            response, data = fetched(client, url)
            assert response.status_code == 200, url
            assert response["Content-Type"] == content_type
            assert Image.open(BytesIO(data)).format == content_type.split("/")[1].upper()
    return img


def test_the_article_page_shows_the_lead_photo_as_a_picture_fetched_first(client, published):
    article, photo = published()

    page = client.get(article.get_absolute_url()).text

    [picture] = Pictures(page).pictures
    img = check_picture(client, picture, photo)
    assert img["fetchpriority"] == "high"
    assert "loading" not in img and "decoding" not in img
    widths = [candidate.split()[1] for candidate in img["srcset"].split(", ")]
    assert widths == ["320w", "480w", "640w", "960w", "1280w", "1600w"]
    assert photo.image.url not in page
    assert photo.image.name.rsplit("/", 1)[1] not in page


def test_no_public_page_references_an_original_upload(client, published):
    article, photo = published()
    article.people.add(PersonFactory(name="Mara Quill", photo=photo))
    original = photo.image.name.rsplit("/", 1)[1]

    urls = public_urls(
        {
            ("section", "year", "month", "day", "slug"): [article.public_url_kwargs()],
            ("pk",): [{"pk": article.pk}],
            ("pk", "token"): [{"pk": article.pk, "token": "not-a-token"}],
            ("path",): [{"path": photo.image.name}],
            ("photo_id", "name", "extension"): [NO_SUCH_RENDITION],
            **listing_fillings([article.public_url_kwargs()]),
        }
    )
    pages = {url: client.get(url.format(term="harbour")) for url in urls}

    assert pages[article.get_absolute_url()].status_code == 200
    assert {url for url, page in pages.items() if leaks(page, {original})} == {
        f"/media/{photo.image.name}"  # the file itself, which no page links to
    }


def test_cards_show_lazy_pictures_below_the_lead(client, published):
    published(headline="Older story")
    _article, photo = published(headline="Newest story")

    page = client.get("/").text

    lead, card = Pictures(page).pictures
    assert "fetchpriority" in check_picture(client, lead, photo)
    img = card["img"]
    assert (img["loading"], img["decoding"]) == ("lazy", "async")
    assert "fetchpriority" not in img
    assert photo.image.name.rsplit("/", 1)[1] not in page


def test_social_and_search_images_are_crops_of_the_ratios_they_ask_for(client, published, settings):
    article, photo = published()

    page = client.get(article.get_absolute_url()).text

    og_image = re.search(r'<meta property="og:image" content="([^"]+)"', page)[1]
    assert '<meta property="og:image:width" content="1200">' in page
    assert '<meta property="og:image:height" content="630">' in page
    ld, _breadcrumbs = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page)[1]
    )
    sizes = [(1200, 630), (1200, 675), (1200, 900), (1000, 1000)]
    for url, size in zip([og_image, *ld["image"]], sizes, strict=True):
        assert url.startswith(f"{settings.SITE_URL}/photo/{photo.pk}/")
        response, data = fetched(client, url.removeprefix(settings.SITE_URL))
        assert response["Content-Type"] == "image/jpeg"
        assert Image.open(BytesIO(data)).size == size


def test_made_renditions_are_linked_directly_with_long_lived_no_sniff_headers(client, published):
    article, photo = published()
    renditions.make_all(photo.pk)

    page = client.get(article.get_absolute_url()).text

    [picture] = Pictures(page).pictures
    url = srcset_urls(picture["sources"][0]["srcset"])[0]
    assert url.startswith("/media/renditions/")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/avif"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == f"public, max-age={YEAR}, immutable"


def test_a_rendition_url_with_a_wrong_key_is_refused_without_rendering(client, published):
    _article, photo = published()

    response = client.get(f"/photo/{photo.pk}/w320-0123456789abcdef.webp")

    assert response.status_code == 404
    assert not photo.renditions.exists()


def test_the_home_page_costs_the_same_queries_with_photos(
    client, published, django_assert_max_num_queries
):
    for number in range(3):
        _article, photo = published(headline=f"Story {number}", slug=f"story-{number}")
        renditions.make_all(photo.pk)

    client.get("/")  # the site's navigation, cached once
    # the count, the articles, the section rails, the bylines, the renditions
    with django_assert_max_num_queries(5):
        response = client.get("/")

    assert len(Pictures(response.text).pictures) == 3


def test_a_new_focal_point_purges_the_cached_pages_showing_the_old_crops(
    client, published, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE = True
    article, photo = published()
    renditions.make_all(photo.pk)
    url = article.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    old_social = re.search(r'<meta property="og:image" content="([^"]+)"', client.get(url).text)[1]

    with django_capture_on_commit_callbacks(execute=True):
        photo.focal_x, photo.focal_y = 1500, 100
        photo.save()

    page = client.get(url)
    assert page.get("X-Page-Cache") != "hit"
    new_social = re.search(r'<meta property="og:image" content="([^"]+)"', page.text)[1]
    assert new_social != old_social
    assert fetched(client, new_social.removeprefix(settings.SITE_URL))[0].status_code == 200


@pytest.mark.parametrize("page_name", ["public:person", "public:author"])
def test_people_pages_show_their_photo_as_a_picture(client, published, page_name):
    article, photo = published()
    kind = "public_figure" if page_name == "public:person" else "staff"
    person = PersonFactory(name="Mara Quill", slug="mara-quill", kind=kind, photo=photo)
    article.people.add(person)

    page = client.get(reverse(page_name, args=[person.slug])).text

    picture = Pictures(page).pictures[0]  # the profile's, above the stories' cards
    assert [source["type"] for source in picture["sources"]] == ["image/avif", "image/webp"]
    assert picture["img"]["alt"] == photo.alt_text
    for url in [picture["img"]["src"], *srcset_urls(picture["sources"][0]["srcset"])]:
        response, _ = fetched(client, url)
        assert response.status_code == 200, url
    assert photo.image.name.rsplit("/", 1)[1] not in page

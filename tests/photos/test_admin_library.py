"""The photo library in the admin: the picker, the focal point, where a photo is used, and
deleting only what nothing uses."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from photos import renditions
from photos.models import Photo
from tests.factories import ArticleFactory, PersonFactory, PhotoFactory, UserFactory

pytestmark = pytest.mark.django_db

PICKER = "/admin/photos/photo/picker/"
#: The session, the user, their second factors and permissions; then the count, the page of
#: photos and their renditions: however many photos the page shows.
PICKER_QUERIES = 10


def change_url(photo):
    return reverse("admin:photos_photo_change", args=[photo.pk])


def form_data(photo, **changes):
    return {
        "alt_text": photo.alt_text,
        "caption": photo.caption,
        "credit": photo.credit,
        "source": "",
        "licence": "staff",
        "usage_note": "",
        "tags": "",
        "focal_x": "",
        "focal_y": "",
        **changes,
    }


@pytest.fixture
def administrator(db):
    """No newsroom role deletes photos: only an administrator."""
    return UserFactory(username="administrator", is_superuser=True)


@pytest.fixture
def library():
    harbour = PhotoFactory(caption="Boats in the harbour", credit="Ines Varga")
    harbour.tags.add("waterfront")
    council = PhotoFactory(caption="The council chamber", credit="Agency pool")
    council.tags.add("politics")
    return harbour, council


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("harbour", ["Boats in the harbour"]),
        ("agency", ["The council chamber"]),
        ("politics", ["The council chamber"]),
        ("", ["The council chamber", "Boats in the harbour"]),
    ],
)
def test_the_picker_finds_photos_by_caption_credit_and_tag(
    client, reporter, library, query, expected, django_assert_max_num_queries
):
    client.force_login(reporter)

    with django_assert_max_num_queries(PICKER_QUERIES):
        response = client.get(PICKER, {"q": query, "target": "id_lead_photo"})

    assert response.status_code == 200
    assert [photo.caption for photo, _ in response.context["thumbnails"]] == expected
    for photo, thumbnail in response.context["thumbnails"]:
        assert f'data-photo-id="{photo.pk}"' in response.text
        assert thumbnail.url.startswith(f"/photo/{photo.pk}/w64-")  # a rendition, made on demand
        assert photo.image.url not in response.text


def test_a_full_page_of_the_picker_costs_the_same_queries(
    client, reporter, django_assert_max_num_queries
):
    for number in range(30):
        PhotoFactory(caption=f"Photo {number}").tags.add("harbour")
    client.force_login(reporter)

    with django_assert_max_num_queries(PICKER_QUERIES):
        response = client.get(PICKER, {"q": "harbour"})

    assert len(response.context["thumbnails"]) == 24
    assert "Page 1 of 2" in response.text


def test_the_picker_is_only_for_the_desk(client, library):
    response = client.get(PICKER)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_article_form_chooses_the_lead_photo_with_the_picker(client, editor, library):
    harbour, _ = library
    article = ArticleFactory(lead_photo=harbour)
    client.force_login(editor)

    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).text

    assert 'class="photo-picker"' in page
    assert f'name="lead_photo" value="{harbour.pk}"' in page
    assert "admin/js/photo_picker.js" in page


def test_the_person_form_chooses_the_photo_with_the_picker(client, editor, library):
    harbour, _ = library
    person = PersonFactory(photo=harbour)
    client.force_login(editor)

    page = client.get(reverse("admin:people_person_change", args=[person.pk])).text

    assert f'name="photo" value="{harbour.pk}"' in page
    assert 'class="photo-picker-thumbnail"' in page


def test_the_focal_point_is_saved_and_checked(client, editor, django_capture_on_commit_callbacks):
    photo = PhotoFactory()  # 64 by 48
    client.force_login(editor)

    outside = client.post(change_url(photo), form_data(photo, focal_x="64", focal_y="10"))
    half = client.post(change_url(photo), form_data(photo, focal_x="10"))
    with django_capture_on_commit_callbacks(execute=True):
        inside = client.post(change_url(photo), form_data(photo, focal_x="50", focal_y="10"))

    assert "The focal point must lie inside the photo (64 by 48 pixels)." in outside.text
    assert "Give both coordinates of the focal point, or neither." in half.text
    assert inside.status_code == 302
    photo.refresh_from_db()
    assert photo.focal_point == (50, 10)


def test_the_form_shows_the_focal_point_control_and_crop_previews(client, editor):
    photo = PhotoFactory()
    client.force_login(editor)

    page = client.get(change_url(photo)).text

    assert 'class="focal-point" data-width="64" data-height="48"' in page
    assert page.count('class="crop-frame"') == len(renditions.CROPS)
    assert "admin/js/focal_point.js" in page


def test_where_used_lists_the_stories_and_people(client, editor):
    photo = PhotoFactory()
    article = ArticleFactory(headline="Flood waters recede", lead_photo=photo)
    person = PersonFactory(name="Mara Quill", photo=photo)
    client.force_login(editor)

    page = client.get(change_url(photo)).text

    assert reverse("admin:articles_article_change", args=[article.pk]) in page
    assert reverse("admin:people_person_change", args=[person.pk]) in page
    assert "Flood waters recede" in page and "Mara Quill" in page


def test_deleting_a_used_photo_is_refused_with_its_users(client, administrator):
    photo = PhotoFactory()
    ArticleFactory(headline="Flood waters recede", lead_photo=photo)
    PersonFactory(name="Mara Quill", photo=photo)
    client.force_login(administrator)
    delete_url = reverse("admin:photos_photo_delete", args=[photo.pk])

    page = client.get(delete_url).text
    client.post(delete_url, {"post": "yes"})

    assert "Flood waters recede" in page and "Mara Quill" in page
    assert "would require deleting the following protected related objects" in page
    assert Photo.objects.filter(pk=photo.pk).exists()


def test_deleting_used_photos_in_bulk_is_refused_too(client, administrator):
    used, unused = PhotoFactory(), PhotoFactory()
    ArticleFactory(headline="Flood waters recede", lead_photo=used)
    client.force_login(administrator)

    response = client.post(
        reverse("admin:photos_photo_changelist"),
        {"action": "delete_selected", "_selected_action": [used.pk, unused.pk], "post": "yes"},
    )

    assert "Flood waters recede" in response.text
    assert Photo.objects.count() == 2


def test_deleting_an_unused_photo_removes_its_files(
    client, administrator, django_capture_on_commit_callbacks
):
    photo = PhotoFactory()
    files = [photo.image.name, *(r.file.name for r in renditions.make_all(photo.pk))]
    client.force_login(administrator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:photos_photo_delete", args=[photo.pk]), {"post": "yes"}
        )

    assert response.status_code == 302
    assert not Photo.objects.exists()
    assert not any(default_storage.exists(name) for name in files)

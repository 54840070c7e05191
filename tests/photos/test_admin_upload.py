"""Uploading photos through the admin, as an editor: what gets in, in what shape, and what is
refused with which message."""

from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from photos.models import Photo
from tests.factories import image_bytes

from .conftest import camera_image, has_location, noisy_jpeg

pytestmark = pytest.mark.django_db

ADD = "/admin/photos/photo/add/"
NOT_AN_IMAGE = "Upload a JPEG, PNG or WebP photo; this file is not one (or is damaged)."


@pytest.fixture
def upload(client, editor):
    client.force_login(editor)

    def post(name, data, content_type="application/octet-stream"):
        return client.post(
            ADD,
            {
                "image": SimpleUploadedFile(name, data, content_type=content_type),
                "alt_text": "Ferry passengers queue on the quay at dawn.",
                "caption": "",
                "credit": "",
                "licence": "staff",
            },
        )

    return post


def test_a_camera_jpeg_is_stored_upright_and_without_its_location(upload, editor):
    # Orientation 6: the camera was turned, and the picture must be rotated 90° clockwise.
    original = camera_image("JPEG", size=(60, 40), orientation=6)
    assert has_location(original)

    response = upload("beach.jpg", original, "image/jpeg")

    assert response.status_code == 302
    photo = Photo.objects.get()
    with photo.image.open() as stored:
        data = stored.read()
    image = Image.open(BytesIO(data))
    assert image.format == "JPEG"
    assert not image.getexif()
    assert not has_location(data)
    assert (photo.width, photo.height) == image.size == (40, 60)
    top, bottom = image.getpixel((20, 5)), image.getpixel((20, 55))
    assert top[0] > 200 and top[2] < 80  # the left, red half is now on top
    assert bottom[2] > 200 and bottom[0] < 80
    assert photo.uploaded_by == editor


def truncated_jpeg():
    data = noisy_jpeg()
    return data[: len(data) // 2]


def gif():
    buffer = BytesIO()
    Image.new("P", (20, 20)).save(buffer, format="GIF")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "make_data", "limits", "message"),
    [
        pytest.param(
            "big.jpg",
            noisy_jpeg,
            {"PHOTO_MAX_BYTES": 10_000},
            "photos may be at most 9.8\xa0KB.",
            id="too large",
        ),
        pytest.param(
            "wide.jpg",
            lambda: image_bytes(size=(64, 48)),
            {"PHOTO_MAX_PIXELS": 3_000},
            "This photo is 64 by 48 pixels; photos may have at most 3,000 pixels in all.",
            id="too many pixels",
        ),
        pytest.param(
            "logo.svg",
            lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            {},
            NOT_AN_IMAGE,
            id="svg with a script",
        ),
        pytest.param(
            "notes.txt", lambda: b"Call the harbour master.\n", {}, NOT_AN_IMAGE, id="text file"
        ),
        pytest.param(
            "cut.jpg",
            truncated_jpeg,
            {},
            "Upload a JPEG, PNG or WebP photo; this file is not one (or is damaged).",
            id="truncated jpeg",
        ),
        pytest.param(
            "anim.gif",
            gif,
            {},
            "GIF files are not accepted; upload a JPEG, PNG or WebP photo.",
            id="gif",
        ),
    ],
)
def test_unacceptable_uploads_are_refused_with_a_clear_message(
    upload, settings, name, make_data, limits, message
):
    for setting, value in limits.items():
        setattr(settings, setting, value)

    response = upload(name, make_data())

    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["image"]
    assert error.endswith(message)
    assert not Photo.objects.exists()
    assert not [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]

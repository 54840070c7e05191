"""The hostile files the issue lists that `test_admin_upload.py` does not already try (it covers
an oversized file, an SVG with a script, a truncated JPEG, a GIF and a text file): each gets its
own error and stores nothing, or is accepted in a shape browsers show correctly."""

import struct
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from photos.models import Photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def upload(client, editor):
    client.force_login(editor)

    def post(name, data):
        return client.post(
            "/admin/photos/photo/add/",
            {
                "image": SimpleUploadedFile(name, data, content_type="image/jpeg"),
                "alt_text": "A test picture.",
                "licence": "staff",
            },
        )

    return post


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_claiming(width, height):
    """65 bytes: a PNG signature, a header claiming the size, one empty data chunk, the end."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", b"")
        + png_chunk(b"IEND", b"")
    )


def saved(image, image_format, **options):
    buffer = BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def psd():
    """A 4 by 4 RGB Photoshop document, as Photoshop writes one (raw, uncompressed)."""
    header = b"8BPS" + struct.pack(">H6xHIIHH", 1, 3, 4, 4, 8, 3)
    sections = struct.pack(">III", 0, 0, 0)
    return header + sections + struct.pack(">H", 0) + bytes(range(48))


def animated_webp(frames=200):
    first, *rest = (Image.new("RGB", (16, 16), (n, 0, 0)) for n in range(frames))
    return saved(first, "WEBP", save_all=True, append_images=rest, duration=10)


def with_html_after():
    return saved(Image.new("RGB", (20, 20), "red"), "PNG") + b"<html><script>alert(1)</script>"


@pytest.mark.parametrize(
    ("name", "make_data", "message"),
    [
        pytest.param(
            "header.png",
            lambda: png_header_claiming(30_000, 30_000),
            "has more than 178,956,970 pixels; photos may have at most 40,000,000 pixels",
            id="65-byte header claiming 30000x30000",
        ),
        pytest.param(
            "huge.png",
            lambda: saved(Image.new("1", (10_000, 10_000)), "PNG"),
            "This photo is 10,000 by 10,000 pixels",
            id="100 megapixels",
        ),
        pytest.param(
            "page.png",
            with_html_after,
            "This PNG carries other data after the image",
            id="PNG with HTML appended",
        ),
        pytest.param("layers.jpg", psd, "PSD files are not accepted", id="PSD renamed .jpg"),
        pytest.param(
            "bomb.webp",
            animated_webp,
            "frames; upload a still photo.",
            id="animated WebP bomb",
        ),
        pytest.param(
            "strip.png",
            lambda: saved(Image.new("1", (1, 100_000)), "PNG"),
            "a photo's longer side may be at most 20 times its shorter one.",
            id="1x100000 strip",
        ),
    ],
)
def test_a_hostile_file_gets_its_own_error_and_stores_nothing(
    upload, settings, name, make_data, message
):
    response = upload(name, make_data())

    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["image"]
    assert message in error
    assert not Photo.objects.exists()
    assert not [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def stored_image(photo):
    with photo.image.open() as stored:
        return Image.open(BytesIO(stored.read()))


def test_a_cmyk_jpeg_is_accepted_and_stored_as_the_same_colours_in_rgb(upload):
    cyan = Image.new("CMYK", (40, 30), (255, 0, 0, 0))

    response = upload("press.jpg", saved(cyan, "JPEG", quality=95))

    assert response.status_code == 302
    image = stored_image(Photo.objects.get())
    assert image.mode == "RGB"
    red, green, blue = image.getpixel((20, 15))
    assert red < 30 and green > 225 and blue > 225


def test_a_16_bit_png_is_accepted_and_scaled_to_8_bits(upload):
    grey = Image.new("I;16", (40, 30), 40_000)  # 61% of the 16-bit range

    response = upload("scan.png", saved(grey, "PNG"))

    assert response.status_code == 302
    image = stored_image(Photo.objects.get())
    assert image.mode == "L"
    assert image.getpixel((20, 15)) == 40_000 // 256


def test_the_stored_name_is_neutral(upload):
    upload("Jane Doe at 12 Harbour Road - informant.jpg", saved(Image.new("RGB", (40, 30)), "JPEG"))

    name = Photo.objects.get().image.name
    assert "Jane" not in name and "informant" not in name
    assert name.startswith("photos/") and name.endswith(".jpg")
    assert len(Path(name).stem) == 32

"""Re-encoding an upload without its metadata."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from photos.images import without_metadata

from .conftest import camera_image, has_location


@pytest.mark.parametrize(
    ("image_format", "mode", "upload_name", "stored_name"),
    [
        ("JPEG", "RGB", "harbour.jpeg", "harbour.jpg"),
        ("PNG", "RGBA", "chart.PNG", "chart.png"),
        ("WEBP", "RGB", "pier.webp", "pier.webp"),
    ],
)
def test_reencoding_drops_metadata_and_keeps_the_format(
    image_format, mode, upload_name, stored_name
):
    upload = SimpleUploadedFile(upload_name, camera_image(image_format, mode=mode))
    assert has_location(upload.read())

    cleaned = without_metadata(upload)

    data = cleaned.read()
    image = Image.open(BytesIO(data))
    assert image.format == image_format
    assert image.mode == mode
    assert cleaned.name == stored_name
    assert not image.getexif()
    assert not has_location(data)

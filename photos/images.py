"""Checks and clean-up for uploaded images.

Only raster formats Pillow can decode are accepted (so an SVG, with whatever script it carries,
never gets in), size and pixel count are capped before decoding, and every upload is re-encoded
without its metadata, which drops EXIF GPS positions and camera serial numbers.
"""

from io import BytesIO
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}

#: What Pillow raises for a file it cannot read as an image.
UNREADABLE = (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError)


def not_an_image():
    return ValidationError(
        "Upload a JPEG, PNG or WebP photo; this file is not one (or is damaged).",
        code="not_an_image",
    )


def validate_image_file(file):
    """Refuse files that are too large, not JPEG/PNG/WebP, or with too many pixels."""
    if file.size > settings.PHOTO_MAX_BYTES:
        raise ValidationError(
            "This file is %(size)s; photos may be at most %(limit)s.",
            code="too_large",
            params={
                "size": filesizeformat(file.size),
                "limit": filesizeformat(settings.PHOTO_MAX_BYTES),
            },
        )
    file.seek(0)
    try:
        # Image.open reads only the header, so the pixel check happens before any decoding.
        with Image.open(file) as image:
            image_format, (width, height) = image.format, image.size
            if image_format in ACCEPTED_FORMATS and width * height <= settings.PHOTO_MAX_PIXELS:
                image.verify()
    except UNREADABLE as error:
        raise not_an_image() from error
    finally:
        file.seek(0)
    if image_format not in ACCEPTED_FORMATS:
        raise ValidationError(
            "%(format)s files are not accepted; upload a JPEG, PNG or WebP photo.",
            code="format",
            params={"format": image_format},
        )
    if width * height > settings.PHOTO_MAX_PIXELS:
        raise ValidationError(
            "This photo is %(width)s by %(height)s pixels; photos may have at most %(limit)s "
            "pixels in all.",
            code="too_many_pixels",
            params={
                "width": f"{width:,}",
                "height": f"{height:,}",
                "limit": f"{settings.PHOTO_MAX_PIXELS:,}",
            },
        )


def without_metadata(file) -> ContentFile:
    """Re-encode a validated image with no EXIF/XMP, turned upright as its EXIF said.

    This is the first full decode, and the only check a truncated JPEG fails (Pillow's
    `verify()` passes it), so a decoding error is a ValidationError too.
    """
    file.seek(0)
    try:
        with Image.open(file) as original:
            image_format = original.format
            icc_profile = original.info.get("icc_profile")
            image = ImageOps.exif_transpose(original)  # decodes every pixel
    except UNREADABLE as error:
        raise not_an_image() from error
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if image_format == "JPEG":
        options |= {"quality": 90, "optimize": True}
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
    buffer = BytesIO()
    image.save(buffer, format=image_format, **options)
    name = PurePath(file.name).stem + ACCEPTED_FORMATS[image_format]
    return ContentFile(buffer.getvalue(), name=name)

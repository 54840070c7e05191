"""Checks and clean-up for uploaded images.

Only raster formats Pillow can decode are accepted (so an SVG, with whatever script it carries,
never gets in), size and pixel count are capped before decoding, animations and freak shapes are
refused, a PNG must end where its image ends (no HTML or script hidden after it), and every
upload is re-encoded without its metadata, which drops EXIF GPS positions and camera serial
numbers. CMYK and 16-bit images are converted to what browsers show reliably (8-bit RGB or grey).
"""

import warnings
from io import BytesIO
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
#: The longest side may be at most this many times the shortest (a 1 by 100,000 strip is not a
#: photo, and no crop or rendition of it would be).
MAX_ASPECT_RATIO = 20
#: The chunk every PNG ends with; anything after it is not part of the image.
PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"

#: What Pillow raises for a file it cannot read as an image.
UNREADABLE = (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError)


def not_an_image():
    return ValidationError(
        "Upload a JPEG, PNG or WebP photo; this file is not one (or is damaged).",
        code="not_an_image",
    )


def too_many_pixels(found, **params):
    return ValidationError(
        f"{found} photos may have at most %(limit)s pixels in all.",
        code="too_many_pixels",
        params={
            **params,
            "limit": f"{settings.PHOTO_MAX_PIXELS:,}",
            "twice": f"{2 * Image.MAX_IMAGE_PIXELS:,}",
        },
    )


def validate_image_file(file):
    """Refuse files that are too large, not JPEG/PNG/WebP, with too many pixels, animated, of
    a freak shape, or a PNG with data after its end. A file already stored passed when it came
    in, and is not fetched again."""
    if isinstance(file, FieldFile) and file._committed:
        return
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
        # Pillow's own bomb check warns about sizes this one refuses anyway.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(file)
        with image:
            image_format, (width, height) = image.format, image.size
            acceptable = (
                image_format in ACCEPTED_FORMATS and width * height <= settings.PHOTO_MAX_PIXELS
            )
            frames = getattr(image, "n_frames", 1) if acceptable else 1
            if acceptable:
                image.verify()
    except Image.DecompressionBombError as error:
        raise too_many_pixels("This photo has more than %(twice)s pixels;") from error
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
        raise too_many_pixels(
            "This photo is %(width)s by %(height)s pixels;",
            width=f"{width:,}",
            height=f"{height:,}",
        )
    if frames > 1:
        raise ValidationError(
            "This is an animation of %(frames)s frames; upload a still photo.",
            code="animated",
            params={"frames": f"{frames:,}"},
        )
    if max(width, height) > MAX_ASPECT_RATIO * min(width, height):
        raise ValidationError(
            "This image is %(width)s by %(height)s pixels; a photo's longer side may be at most "
            "%(ratio)s times its shorter one.",
            code="aspect_ratio",
            params={"width": f"{width:,}", "height": f"{height:,}", "ratio": MAX_ASPECT_RATIO},
        )
    if image_format == "PNG" and not _ends_with(file, PNG_END):
        raise ValidationError(
            "This PNG carries other data after the image; export it again from an image editor.",
            code="trailing_data",
        )


def _ends_with(file, ending):
    file.seek(-len(ending), 2)
    try:
        return file.read(len(ending)) == ending
    finally:
        file.seek(0)


def browser_ready(image, icc_profile):
    """8-bit RGB for CMYK (through its colour profile when it has one), 8-bit grey for 16-bit
    grey; anything else as it is. Returns the image and the profile that still applies."""
    if image.mode == "CMYK":
        if icc_profile:
            cmyk = ImageCms.ImageCmsProfile(BytesIO(icc_profile))
            srgb = ImageCms.createProfile("sRGB")
            return ImageCms.profileToProfile(image, cmyk, srgb, outputMode="RGB"), None
        return image.convert("RGB"), None
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        return image.point(lambda value: value / 256).convert("L"), icc_profile
    return image, icc_profile


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
    image, icc_profile = browser_ready(image, icc_profile)
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if image_format == "JPEG":
        options |= {"quality": 90, "optimize": True}
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
    buffer = BytesIO()
    image.save(buffer, format=image_format, **options)
    name = PurePath(file.name).stem + ACCEPTED_FORMATS[image_format]
    return ContentFile(buffer.getvalue(), name=name)

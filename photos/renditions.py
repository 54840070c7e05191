"""Resized and cropped copies of photos: the ladder of widths, the social crops, and making each
exactly once.

A rendition is wanted for every ladder width up to the photo's own (never upscaled), in AVIF and
WebP where this Pillow encodes them and in the original's family (JPEG, or PNG for a PNG), and
for each crop in `CROPS`, cut around the focal point. `make_all` (the task
`photos.tasks.make_renditions`, queued on upload) makes the missing ones; `rendition()` makes one
on first request. Both hold a lock on the photo's row, so two workers or requests never render
the same rendition twice.
"""

import hashlib
import logging
from dataclasses import dataclass
from functools import cache
from io import BytesIO

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image

from .images import browser_ready
from .models import Photo, Rendition

logger = logging.getLogger(__name__)

LADDER_WIDTHS = (320, 480, 640, 960, 1280, 1920)
#: Crops for sharing and search: Open Graph's 1.91:1, and the 16:9, 4:3 and 1:1 that search
#: engines ask for in JSON-LD.
CROPS = {"social": (1200, 630), "16x9": (1200, 675), "4x3": (1200, 900), "1x1": (1200, 1200)}
EXTENSIONS = {"avif": "avif", "webp": "webp", "jpeg": "jpg", "png": "png"}
CONTENT_TYPES = {
    "avif": "image/avif",
    "webp": "image/webp",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
ENCODE_OPTIONS = {
    "avif": {"quality": 60, "speed": 8},
    "webp": {"quality": 78, "method": 4},
    "jpeg": {"quality": 82, "optimize": True, "progressive": True},
    "png": {"optimize": True},
}
#: Bump when the encoding changes, so every rendition gets a new name and is made again.
ENCODING_VERSION = 1


@cache
def modern_formats() -> tuple[str, ...]:
    """AVIF and WebP, as far as the installed Pillow can encode them (tried once, at start-up,
    by `PhotosConfig.ready()`); a Pillow without them serves the original's family alone."""
    encodable = []
    for name in ("avif", "webp"):
        try:
            Image.new("RGB", (8, 8)).save(BytesIO(), format=name.upper())
        except (KeyError, OSError, ValueError):
            logger.warning("Pillow cannot encode %s here: photos are served without it", name)
        else:
            encodable.append(name)
    return tuple(encodable)


def fallback_format(photo) -> str:
    return "png" if photo.image.name.lower().endswith(".png") else "jpeg"


@dataclass(frozen=True)
class Wanted:
    """A rendition a photo should have: `box` is the part of the original it shows."""

    spec: str
    format: str
    width: int
    height: int
    box: tuple[int, int, int, int]
    key: str


def _key(photo, spec, image_format, box, size):
    made_of = f"{photo.image.name}|{spec}|{image_format}|{box}|{size}|{ENCODING_VERSION}"
    return hashlib.blake2b(made_of.encode(), digest_size=8).hexdigest()


def ladder_widths(photo) -> list[int]:
    top = min(photo.width, LADDER_WIDTHS[-1])
    return [width for width in LADDER_WIDTHS if width < top] + [top]


def crop_box(photo, ratio_width, ratio_height) -> tuple[int, int, int, int]:
    """The largest box of the ratio inside the photo, centred on the focal point as far as the
    edges allow, so the focal point is always inside it."""
    if photo.width * ratio_height > photo.height * ratio_width:
        box_height = photo.height
        box_width = max(1, round(box_height * ratio_width / ratio_height))
    else:
        box_width = photo.width
        box_height = max(1, round(box_width * ratio_height / ratio_width))
    focal_x, focal_y = photo.focal_point
    left = min(max(focal_x - box_width // 2, 0), photo.width - box_width)
    top = min(max(focal_y - box_height // 2, 0), photo.height - box_height)
    return left, top, left + box_width, top + box_height


def wanted(photo) -> list[Wanted]:
    whole = (0, 0, photo.width, photo.height)
    found = []
    for width in ladder_widths(photo):
        height = max(1, round(width * photo.height / photo.width))
        for image_format in (*modern_formats(), fallback_format(photo)):
            spec = f"w{width}"
            key = _key(photo, spec, image_format, whole, (width, height))
            found.append(Wanted(spec, image_format, width, height, whole, key))
    for spec, (width, height) in CROPS.items():
        box = crop_box(photo, width, height)
        if box[2] - box[0] < width:  # a small photo: the crop at its own size
            width, height = box[2] - box[0], box[3] - box[1]
        key = _key(photo, spec, "jpeg", box, (width, height))
        found.append(Wanted(spec, "jpeg", width, height, box, key))
    return found


def current_keys(photo) -> dict[tuple[str, str], str]:
    return {(want.spec, want.format): want.key for want in wanted(photo)}


def _open_for(photo, wants):
    """The original, decoded at the smallest scale that still covers every wanted size (a JPEG
    decodes at 1/2, 1/4 or 1/8 much faster), and the scale it came at."""
    image = Image.open(photo.image.open("rb"))
    scale = min((want.box[2] - want.box[0]) / want.width for want in wants)
    image.draft(image.mode, (int(photo.width / scale), int(photo.height / scale)))
    image.load()
    return image, image.width / photo.width


def _for_format(image, image_format):
    image, _ = browser_ready(image, image.info.get("icc_profile"))
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if image_format == "jpeg":
        if has_alpha:
            image = image.convert("RGBA")
            flat = Image.new("RGB", image.size, "white")
            flat.paste(image, mask=image.getchannel("A"))
            return flat
        return image.convert("L" if image.mode == "L" else "RGB")
    if has_alpha:
        return image.convert("RGBA")
    return image.convert("L" if image.mode == "L" and image_format == "png" else "RGB")


def _render(source, scale, want) -> bytes:
    box = tuple(round(edge * scale) for edge in want.box)
    image = source.crop(box) if box != (0, 0, *source.size) else source
    image = _for_format(image, want.format)
    if image.size != (want.width, want.height):
        image = image.resize((want.width, want.height), Image.Resampling.LANCZOS, reducing_gap=3)
    buffer = BytesIO()
    image.save(buffer, format=want.format.upper(), **ENCODE_OPTIONS[want.format])
    return buffer.getvalue()


def _make(photo, wants) -> list[Rendition]:
    if not wants:
        return []
    source, scale = _open_for(photo, wants)
    made = []
    with source:
        # Largest first: each size is then resized from the decoded original only once.
        for want in sorted(wants, key=lambda want: -want.width):
            rendition = Rendition(
                photo=photo,
                spec=want.spec,
                format=want.format,
                key=want.key,
                width=want.width,
                height=want.height,
            )
            name = f"renditions/{photo.pk}/{want.spec}-{want.key}.{EXTENSIONS[want.format]}"
            rendition.file.save(name, ContentFile(_render(source, scale, want)), save=False)
            rendition.save()
            made.append(rendition)
    return made


def _locked(photo_id):
    try:
        return Photo.objects.select_for_update().get(pk=photo_id)
    except Photo.DoesNotExist as error:
        raise LookupError(f"no photo {photo_id}") from error


def make_all(photo_id) -> list[Rendition]:
    """Make the photo's missing renditions and delete its stale ones; returns those made."""
    with transaction.atomic():
        try:
            photo = _locked(photo_id)
        except LookupError:
            return []  # deleted before the task ran
        photo.renditions.stale().delete()
        have = set(photo.renditions.values_list("spec", "format"))
        return _make(
            photo, [want for want in wanted(photo) if (want.spec, want.format) not in have]
        )


def rendition(photo_id, spec, image_format, key=None) -> Rendition:
    """The rendition, made now if missing. Raises `LookupError` for one the photo has no use
    for (a width above its own, an unknown crop) or, given a `key`, not of that key."""
    with transaction.atomic():
        photo = _locked(photo_id)
        wants = {(want.spec, want.format): want for want in wanted(photo)}
        want = wants.get((spec, image_format))
        if want is None or key not in (None, want.key):
            raise LookupError(f"photo {photo_id} has no rendition {spec}.{image_format} {key}")
        existing = photo.renditions.filter(spec=spec, format=image_format).first()
        if existing is not None and existing.key == want.key:
            return existing
        if existing is not None:
            existing.delete()
        [made] = _make(photo, [want])
        return made

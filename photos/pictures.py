"""What a page needs to show a photo: the URLs of its renditions, made or still to make.

A rendition already made is linked to its file; one not made yet (the upload's task has not run,
or the focal point just moved) is linked to `photos.views.rendition_view`, which makes it on
this first request and redirects to the file. Either way no page links to the original.
"""

from dataclasses import dataclass, replace

from django.conf import settings
from django.urls import reverse

from .renditions import CONTENT_TYPES, CROPS, EXTENSIONS, fallback_format, modern_formats, wanted

#: The width of the `src` an old browser (without srcset) gets.
DEFAULT_WIDTH = 960


@dataclass(frozen=True)
class Source:
    url: str
    width: int
    height: int
    format: str

    @property
    def content_type(self):
        return CONTENT_TYPES[self.format]


def _sources(photo) -> dict[tuple[str, str], Source]:
    made = {(r.spec, r.format): r for r in photo.renditions.all()}
    sources = {}
    for want in wanted(photo):
        rendition = made.get((want.spec, want.format))
        if rendition is not None and rendition.key == want.key:
            url = rendition.file.url
        else:
            url = reverse(
                "photo_rendition",
                args=[photo.pk, f"{want.spec}-{want.key}", EXTENSIONS[want.format]],
            )
        sources[want.spec, want.format] = Source(url, want.width, want.height, want.format)
    return sources


def picture(photo) -> dict:
    """For the `<picture>` element: a srcset per format (modern ones first) and the `<img>`'s
    fallback source."""
    sources = _sources(photo)
    ladder = [source for (spec, _), source in sources.items() if spec.startswith("w")]
    srcsets = []
    for image_format in (*modern_formats(), fallback_format(photo)):
        of_format = [source for source in ladder if source.format == image_format]
        srcset = ", ".join(f"{source.url} {source.width}w" for source in of_format)
        srcsets.append((CONTENT_TYPES[image_format], srcset))
    fallbacks = [source for source in ladder if source.format == fallback_format(photo)]
    default = [source for source in fallbacks if source.width <= DEFAULT_WIDTH][-1:] or fallbacks
    return {"sources": srcsets[:-1], "srcset": srcsets[-1][1], "img": default[0]}


def absolute_crop(photo, spec) -> Source:
    """A crop for sharing or search (`renditions.CROPS`), at an absolute URL (a storage with a
    domain of its own gives one already)."""
    source = _sources(photo)[spec, "jpeg"]
    if "://" not in source.url:
        source = replace(source, url=settings.SITE_URL + source.url)
    return source


def admin_preview(photo, width) -> Source:
    """The largest rendition up to `width` in the original's family, for the desk's previews."""
    sources = _sources(photo)
    ladder = [
        source
        for (spec, image_format), source in sources.items()
        if spec.startswith("w") and image_format == fallback_format(photo)
    ]
    return ([source for source in ladder if source.width <= width] or ladder)[-1]


CROP_LABELS = {
    "social": "Social sites (1.91:1)",
    "16x9": "Search, wide (16:9)",
    "4x3": "Search (4:3)",
    "1x1": "Search, square (1:1)",
}


def crop_previews():
    """(spec, label, width, height) of each crop, for the focal-point control's previews."""
    return [(spec, CROP_LABELS[spec], *size) for spec, size in CROPS.items()]

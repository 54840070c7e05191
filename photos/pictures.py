"""What a page needs to show a photo: the URLs of its renditions, made or still to make.

A rendition already made is linked to its file; one not made yet (the upload's task has not run,
or the focal point just moved) is linked to `photos.views.rendition_view`, which makes it on
this first request and redirects to the file. Either way no page links to the original.
"""

from dataclasses import dataclass, replace

from django.conf import settings
from django.core.signals import setting_changed
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


#: The sources of each photo as pages last saw it (see `_sources`), at most this many photos.
_MEMO_SIZE = 2048
_memo: dict[tuple, dict] = {}


def _memoised(make, photo):
    """`make(photo)`, kept per process under everything it is made of: the photo's file, size
    and focal point and the renditions made (a new file, crop or rendition is a new entry, never
    a stale one). Working out a photo's URLs takes a digest and a storage URL per rendition,
    about a millisecond a photo, and a page shows the same photos again and again."""
    made = tuple(sorted((r.spec, r.format, r.key, r.file.name) for r in photo.renditions.all()))
    state = (make, photo.pk, photo.image.name, photo.width, photo.height, photo.focal_point, made)
    found = _memo.get(state)
    if found is None:
        if len(_memo) >= _MEMO_SIZE:
            _memo.clear()
        found = _memo[state] = make(photo)
    return found


def _sources(photo) -> dict[tuple[str, str], Source]:
    """{(spec, format): Source} of every rendition `photo` should have (kept: `_memoised`)."""
    return _memoised(_sources_now, photo)


def _forget_sources(setting, **kwargs):
    """Tests change where media lives (and so every URL): forget what was worked out before."""
    if setting in {"STORAGES", "MEDIA_URL", "MEDIA_ROOT"}:
        _memo.clear()


setting_changed.connect(_forget_sources, dispatch_uid="photos.pictures.forget_sources")


def _sources_now(photo) -> dict[tuple[str, str], Source]:
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


def _ladder(sources, image_format) -> list[Source]:
    """The width ladder in one format, narrowest first."""
    return [
        source
        for (spec, of_format), source in sources.items()
        if spec.startswith("w") and of_format == image_format
    ]


def _up_to(ladder, width) -> Source:
    """The widest of the ladder no wider than `width` (the narrowest if all are wider)."""
    return ([source for source in ladder if source.width <= width] or ladder[:1])[-1]


def picture(photo) -> dict:
    """For the `<picture>` element: a srcset per modern format, the `<img>`'s srcset in the
    original's family, and its `src` for browsers without srcset (kept: `_memoised`; callers
    must not change what it returns)."""
    return _memoised(_picture_now, photo)


def _picture_now(photo) -> dict:
    sources = _sources(photo)
    srcsets = {
        image_format: ", ".join(f"{s.url} {s.width}w" for s in _ladder(sources, image_format))
        for image_format in (*modern_formats(), fallback_format(photo))
    }
    fallbacks = _ladder(sources, fallback_format(photo))
    return {
        "sources": [(CONTENT_TYPES[name], srcsets[name]) for name in modern_formats()],
        "srcset": srcsets[fallback_format(photo)],
        "img": _up_to(fallbacks, DEFAULT_WIDTH),
    }


def absolute_crop(photo, spec) -> Source:
    """A crop for sharing or search (`renditions.CROPS`), at an absolute URL (a storage with a
    domain of its own gives one already)."""
    source = _sources(photo)[spec, "jpeg"]
    if "://" not in source.url:
        source = replace(source, url=settings.SITE_URL + source.url)
    return source


def admin_preview(photo, width) -> Source:
    """The widest rendition up to `width` in the original's family, for the desk's previews."""
    return _up_to(_ladder(_sources(photo), fallback_format(photo)), width)


CROP_LABELS = {
    "social": "Social sites (1.91:1)",
    "16x9": "Search, wide (16:9)",
    "4x3": "Search (4:3)",
    "1x1": "Search, square (1:1)",
}


def crop_previews():
    """(spec, label, width, height) of each crop, for the focal-point control's previews."""
    return [(spec, CROP_LABELS[spec], *size) for spec, size in CROPS.items()]

from functools import wraps

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_safe
from django.views.static import serve

from .renditions import EXTENSIONS, rendition


def cached_for_good(view):
    """Stored files never change under their name (a new upload or rendition gets a new one)."""

    @wraps(view)
    def cached(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code in (200, 302):
            response["Cache-Control"] = settings.MEDIA_CACHE_CONTROL
        return response

    return cached


@require_safe
@cached_for_good
def rendition_view(request, photo_id, name, extension):
    """A rendition not made yet: make it now (once, under a lock) and send the reader to it.

    The URL carries the rendition's key, which only a page showing the photo knows (it derives
    from the stored file's random name), so photo ids cannot be walked through."""
    spec, _, key = name.rpartition("-")
    image_format = {ext: fmt for fmt, ext in EXTENSIONS.items()}.get(extension)
    try:
        made = rendition(photo_id, spec, image_format, key)
    except LookupError as error:
        raise Http404("No such rendition.") from error
    return redirect(made.file.url)


@require_safe
@cached_for_good
def media_view(request, path):
    """Photos and renditions on the local disk, typed by their extension and never sniffed
    (`SecurityMiddleware` adds nosniff to every response)."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)

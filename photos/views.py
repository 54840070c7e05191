from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.static import serve

from .renditions import EXTENSIONS, rendition

#: Stored files never change under their name (a new upload or rendition gets a new one).
FOREVER = {"public": True, "max_age": 365 * 24 * 60 * 60, "immutable": True}


@require_safe
@cache_control(**FOREVER)
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
@cache_control(**FOREVER)
def media_view(request, path):
    """Uploaded photos and their renditions from local storage, typed by their extension only,
    never sniffed (`SecurityMiddleware` adds nosniff)."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)

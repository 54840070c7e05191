"""A page cache for anonymous readers, invalidated exactly by dependency keys.

A public view that may be cached says what its page shows, as keys such as `article:12`,
`section:3` or `latest` (`depends_on(response, keys)`). The middleware keeps the whole response
in the shared cache under its address, with the version each key had when the page was made.
`purge(keys)` gives each key a new version: every page that named one of them is stale at once,
on every app server, and no other page is touched. What purges what lives with the pages
(`public/page_keys.py`); the `pages_purged` signal lets a CDN integration purge its copies by
the same keys, which responses carry in `Surrogate-Key` and `Cache-Tag`.

Only anonymous requests are served from or stored in the cache (no session cookie), and only
responses that a view marked, that set no cookie and are not private. A purge that lands while a
page is being made keeps that page out of the cache, so a page never outlives the data it read.
"""

import hashlib
import time
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.dispatch import Signal
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import http_date

from .recent_pages import recent_pages

#: Sent after `purge()` with `keys=` (a set of str): a CDN integration purges the same keys.
pages_purged = Signal()

#: Every cached page depends on this key: what every page shows (navigation, footer, policies).
SITE = "site"

_SEQUENCE = "page-cache:sequence"
#: Counts finished purges: a page stamped with the count current when it was last known fresh
#: is fresh while the count stays the same, so a hit costs one cache read until a purge.
_PURGES = "page-cache:purges"
_CACHEABLE_STATUSES = {200, 404, 410}


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def _version_name(key):
    return f"page-cache:key:{key}"


def _entry_name(request):
    address = f"{request.get_host()}{request.get_full_path()}".encode()
    return f"page-cache:page:{settings.PAGE_CACHE_RELEASE}:{hashlib.sha256(address).hexdigest()}"


def _stamp_name(entry_name):
    return f"{entry_name}:fresh-at"


def _counters():
    """(sequence, purges) now. A counter the cache lost starts again from the clock, so no
    value is ever given twice and an old stamp never matches by chance."""
    cache = _cache()
    found = cache.get_many([_SEQUENCE, _PURGES])
    if len(found) < 2:
        for name in {_SEQUENCE, _PURGES} - found.keys():
            cache.add(name, _clock(), timeout=None)
        found = cache.get_many([_SEQUENCE, _PURGES])
        if (recent := recent_pages(cache, _PURGES)) is not None:
            recent.announce(found[_PURGES])  # pages kept in processes before are not fresh
    return found.get(_SEQUENCE), found.get(_PURGES)


def _clock():
    """Microseconds since the epoch: the counters must stay exact as doubles (below 2**53),
    because django-redis increments in a Lua script, whose numbers are doubles. Counted from
    nanoseconds, two purges in a row were given the same version of a key, and a page kept
    between them was still taken for fresh after the second."""
    return time.time_ns() // 1000


def keeps_versions():
    """Whether keys are versioned (and purged): for the page cache, and for the fragments of
    pages (`public/fragments.py`) that keep the same keys' versions."""
    return settings.PAGE_CACHE or settings.FRAGMENT_CACHE


@dataclass(frozen=True)
class Reading:
    """What one read of the cache found (`read()`): kept entries with their freshness stamps,
    and the two counters as they were before anything else was read."""

    found: dict
    #: The last version given out: a thing made after this read is kept only if the versions of
    #: its keys (`current_versions(keys, missing_as=sequence)`) are all at most it.
    sequence: int
    purges: int
    #: The names asked for (those not in `found` are not kept).
    asked: frozenset

    def fresh(self, names):
        """{name: entry} of the entries kept under `names` that are fresh: no purge since each
        was last found fresh, or else none of its keys' versions changed (checked in one more
        read for them all; then each is stamped with the purge count read, so the next reads
        need not check them again)."""
        kept = {name: self.found[name] for name in names if name in self.found}
        unchecked = {
            name: entry
            for name, entry in kept.items()
            if self.purges not in (entry["fresh_at"], self.found.get(_stamp_name(name)))
        }
        if not unchecked:
            return kept
        current = current_versions(
            set().union(*(entry["versions"] for entry in unchecked.values()))
        )
        stale = {
            name
            for name, entry in unchecked.items()
            if any(current[key] != version for key, version in entry["versions"].items())
        }
        _cache().set_many(
            {_stamp_name(name): self.purges for name in unchecked.keys() - stale},
            timeout=settings.PAGE_CACHE_SECONDS,
        )
        return {name: entry for name, entry in kept.items() if name not in stale}


def read(names=(), *, also=()):
    """The entries kept under `names`, their stamps and the counters, in one read of the cache
    (with the values under `also`, which are not entries, e.g. the site's navigation)."""
    wanted = [*names, *map(_stamp_name, names), *also, _SEQUENCE, _PURGES]
    found = _cache().get_many(wanted)
    if _SEQUENCE in found and _PURGES in found:
        sequence, purges = found[_SEQUENCE], found[_PURGES]
    else:
        sequence, purges = _counters()
    return Reading(found, sequence, purges, frozenset(names))


def entry(content, versions, reading):
    """What `Reading.fresh()` reads back: `content` made after `reading`, showing `versions`."""
    return {"content": content, "versions": versions, "fresh_at": reading.purges}


def purge(keys, *, subject=None):
    """Make stale every cached page that depends on any of `keys`.

    With `subject` (e.g. "article:12"), the keys given last time for the same subject are purged
    too, so a story that left a section or lost a tag also leaves those pages.
    """
    keys = set(keys)
    cache = _cache()
    if subject is not None:
        remembered = f"page-cache:subject:{subject}"
        previous = cache.get(remembered, set())
        cache.set(remembered, keys, timeout=None)
        keys |= previous
    if not keys:
        return
    _counters()
    version = cache.incr(_SEQUENCE)
    cache.set_many({_version_name(key): version for key in keys}, timeout=None)
    # Counted only once the versions are written: a page found fresh by the old versions
    # carries the old count, so its next request checks the versions again.
    purges = cache.incr(_PURGES)
    if (recent := recent_pages(cache, _PURGES)) is not None:
        recent.announce(purges)
    pages_purged.send(sender=None, keys=keys)


def depends_on(response, keys):
    """Mark `response` as cacheable for anonymous readers, depending on `keys` (and `SITE`)."""
    response.page_cache_keys = {SITE, *keys}
    patch_cache_control(
        response,
        public=True,
        max_age=settings.PAGE_CACHE_BROWSER_SECONDS,
        s_maxage=settings.PAGE_CACHE_CDN_SECONDS,
        stale_while_revalidate=settings.PAGE_CACHE_STALE_SECONDS,
    )
    ordered = sorted(response.page_cache_keys)
    response["Surrogate-Key"] = " ".join(ordered)
    response["Cache-Tag"] = ",".join(ordered)
    return response


def depends(keys):
    """View decorator: every response of the view depends on `keys` (see `depends_on`)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            return depends_on(view(request, *args, **kwargs), keys)

        return wrapped

    return decorator


def _anonymous(request):
    return request.method in {"GET", "HEAD"} and settings.SESSION_COOKIE_NAME not in request.COOKIES


def _storable(response):
    cache_control = response.get("Cache-Control", "")
    return (
        getattr(response, "page_cache_keys", None)
        and response.status_code in _CACHEABLE_STATUSES
        and not response.streaming
        and not response.cookies
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def current_versions(keys, *, missing_as=None):
    """The version of each key; a key the cache lost counts as `missing_as` (None: stale)."""
    cache = _cache()
    names = {key: _version_name(key) for key in keys}
    found = cache.get_many(names.values())
    versions = {key: found.get(name, missing_as) for key, name in names.items()}
    if missing_as is not None:
        cache.set_many(
            {names[key]: missing_as for key in keys if names[key] not in found}, timeout=None
        )
    return versions


class PageCacheMiddleware:
    """Serves anonymous readers from the page cache and keeps the pages views marked.

    Placed before the session middleware: a hit costs one cache read (the page, its freshness
    stamp and the purge count) and no SQL; after a purge, the first hit of each page checks the
    versions of its keys too. Answers `If-None-Match` and `If-Modified-Since` with 304, from
    the cache or after rendering.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (settings.PAGE_CACHE and _anonymous(request)):
            return self.get_response(request)
        name = _entry_name(request)
        recent = recent_pages(_cache(), _PURGES)
        if recent is not None and (page := recent.get(name)) is not None:
            return _served(request, page)
        reading = read([name])
        if kept := reading.fresh([name]):
            if recent is not None:
                recent.keep(name, kept[name], reading.purges)
            return _served(request, kept[name])
        response = self.get_response(request)
        if not _storable(response):
            return response
        made = int(time.time())
        set_response_etag(response)
        response["Last-Modified"] = http_date(made)
        versions = current_versions(response.page_cache_keys, missing_as=reading.sequence)
        if max(versions.values()) <= reading.sequence:
            # One chunk: a response written piece by piece (feeds) would otherwise be sent to
            # the client in as many writes, on every hit.
            page = {
                "status": response.status_code,
                "headers": dict(response.headers),
                "made": made,
                **entry(response.content, versions, reading),
            }
            _cache().set(name, page, timeout=settings.PAGE_CACHE_SECONDS)
            if recent is not None:
                recent.keep(name, page, reading.purges)
        response["X-Page-Cache"] = "miss"
        return get_conditional_response(
            request, etag=response["ETag"], last_modified=made, response=response
        )


def _served(request, entry):
    response = HttpResponse(entry["content"], status=entry["status"], headers=entry["headers"])
    response["X-Page-Cache"] = "hit"
    return get_conditional_response(
        request, etag=response.get("ETag"), last_modified=entry["made"], response=response
    )

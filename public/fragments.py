"""Rendered fragments of public pages, kept in the shared cache and exact by the page cache's
keys (newsroom/page_cache.py, public/page_keys.py).

The page cache serves a whole page to anonymous readers; a page it cannot serve (the page cache
off, a reader with a session, a page just purged, another page of a list) is still made mostly
of parts that have not changed: an article's page around the site's chrome, each story card.
Each fragment is kept with the version each key it shows had when it was made (`article:12`,
`person:9`, `photo:3`, `site`...), and is used only while every one of them is unchanged: the
same purges that make cached pages stale make the fragments stale, at once, on every server. As
with pages, a fragment made while one of its keys was purged is not kept: the sequence is read
(`started()`) before what the fragment shows is read from the database.

`FRAGMENT_CACHE` turns fragments on (by default with a shared cache, like the page cache); off,
every fragment is rendered on every request, as before.
"""

from django.conf import settings
from django.core.cache import caches
from django.template import loader
from django.utils.safestring import mark_safe

from articles.models import prefetch_cards
from newsroom import page_cache

from . import page_keys


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def enabled():
    return settings.FRAGMENT_CACHE


def started():
    """Read before reading what fragments show (None: fragments are off)."""
    return page_cache.sequence() if enabled() else None


def _name(name):
    return f"fragment:{settings.PAGE_CACHE_RELEASE}:{name}"


def _valid(entries):
    """Of {name: entry}, the entries whose keys all still have the versions they were made with,
    checked in one read of the cache."""
    keys = set().union(*(entry["versions"] for entry in entries.values()))
    current = page_cache.current_versions(keys) if keys else {}
    return {
        name: entry
        for name, entry in entries.items()
        if all(current[key] == version for key, version in entry["versions"].items())
    }


def _keep(named, started):
    """Keep {name: (content, keys)} made after `started` (see `started()`), unless one of their keys
    was purged since: then what they show may already be stale."""
    keys = set().union(*(keys for _, keys in named.values()))
    versions = page_cache.current_versions(keys, missing_as=started)
    if max(versions.values()) > started:
        return
    _cache().set_many(
        {
            _name(name): {"content": content, "versions": {key: versions[key] for key in keys}}
            for name, (content, keys) in named.items()
        },
        timeout=settings.PAGE_CACHE_SECONDS,
    )


class PageFragments:
    """The fragments of one page (`{% fragment "part" %}…{% endfragment %}` in its template),
    kept together under `name` (e.g. "article:12"): all found, or all made again.

    The view makes one with `started()`, before reading the page's data; `hit` says whether
    the page's parts were found (then the view can skip reading what only they show); after
    rendering, `keep(keys)` keeps the parts made, as showing `keys` (and `site`)."""

    def __init__(self, name, *, started):
        self.name = name
        self.started = started
        self.found = {}
        self.made = {}
        #: The keys the parts found show (the page's, for the page cache), when `hit`.
        self.keys = set()
        if started is not None:
            entry = _cache().get(_name(name))
            if entry is not None and _valid({name: entry}):
                self.found = entry["content"]
                self.keys = set(entry["versions"])

    @property
    def hit(self):
        return bool(self.found)

    def keep(self, keys):
        if self.started is not None and self.made and not self.found:
            _keep({self.name: (self.made, {page_cache.SITE, *keys})}, self.started)


def kept(name, keys, *, started, make):
    """`make()`, kept like a fragment while `keys` keep their versions: e.g. a listing's count,
    for its paginator (the list's own keys change whenever a story joins or leaves it)."""
    if started is None:
        return make()
    entry = _cache().get(_name(name))
    if entry is not None and _valid({name: entry}):
        return entry["content"]
    value = make()
    _keep({name: (value, set(keys))}, started)
    return value


def cards(shown, *, started):
    """Render the story card of each (article, lead, level) of `shown` (into
    `article.card_html`, which `{% card %}` shows) and return the keys the cards show, for the
    page's own keys. Cards found in the cache are fetched at once; only the others need their
    bylines and photos (fetched here, in one query per relation) and are rendered."""
    names = {
        article.pk: f"card:{article.pk}:{'lead' if lead else 'card'}-h{level}"
        for article, lead, level in shown
    }
    found = {}
    if started is not None and shown:
        entries = _cache().get_many([_name(name) for name in names.values()])
        found = _valid(
            {name: entries[_name(name)] for name in names.values() if _name(name) in entries}
        )
    missing = [
        (article, lead, level) for article, lead, level in shown if names[article.pk] not in found
    ]
    prefetch_cards([article for article, _, _ in missing])
    template = loader.get_template("includes/article_card.html")
    made = {}
    for article, lead, level in missing:
        html = template.render({"article": article, "lead": lead, "level": level})
        made[names[article.pk]] = (html, {page_cache.SITE, *page_keys.of_listing([article])})
    if started is not None and made:
        _keep(made, started)
    for article, _, _ in shown:
        name = names[article.pk]
        html = found[name]["content"] if name in found else made[name][0]
        article.card_html = mark_safe(html)  # noqa: S308 (rendered by our template, escaped)
    return set().union(
        *(entry["versions"] for entry in found.values()), *(keys for _, keys in made.values())
    )

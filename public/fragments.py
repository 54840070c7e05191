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

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.template import loader
from django.utils.safestring import mark_safe

from articles.models import Article, prefetch_cards
from newsroom import page_cache

from . import navigation, page_keys


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def enabled():
    return settings.FRAGMENT_CACHE


def started(ahead=()):
    """Read before reading what fragments show (None: fragments are off), with the values
    kept under the names `ahead` that the page will ask for (`kept()`) and the site's
    navigation (`navigation.use_chrome()`), in the same read."""
    if not enabled():
        return None
    return page_cache.read([_name(name) for name in ahead], also=[navigation.CHROME_CACHE_KEY])


def _name(name):
    return f"fragment:{settings.PAGE_CACHE_RELEASE}:{name}"


def _found(names, reading=None):
    """{name: entry} of the fragments kept under `names` that are still fresh, from `reading` if
    it read them all, else in one read of the cache (and one more, of their keys' versions, for
    those not checked since a purge)."""
    full_names = [_name(name) for name in names]
    if reading is None or not reading.asked.issuperset(full_names):
        reading = page_cache.read(full_names)
    kept = reading.fresh(full_names)
    return {name: kept[_name(name)] for name in names if _name(name) in kept}


def _keep(named, started):
    """Keep {name: (content, keys)} made after `started` (see `started()`), unless one of their keys
    was purged since: then what they show may already be stale."""
    keys = set().union(*(keys for _, keys in named.values()))
    versions = page_cache.current_versions(keys, missing_as=started.sequence)
    if max(versions.values()) > started.sequence:
        return
    _cache().set_many(
        {
            _name(name): page_cache.entry(content, {key: versions[key] for key in keys}, started)
            for name, (content, keys) in named.items()
        },
        timeout=settings.PAGE_CACHE_SECONDS,
    )


class PageFragments:
    """The fragments of one page (`{% fragment "part" %}…{% endfragment %}` in its template),
    kept together under `name` (e.g. the page's address): all found, or all made again.

    The view makes one before reading the page's data (it reads the counters `started()` would,
    in the same read of the cache); `hit` says whether the page's parts were found, and then
    `subject` is what the view needs to check the page may still be shown (an article's
    publication and expiry times). After rendering, `keep(keys, subject=...)` keeps the parts
    made, as showing `keys` (and `site`)."""

    def __init__(self, name):
        self.name = name
        self.found = {}
        self.made = {}
        #: The keys the parts found show (the page's, for the page cache), when `hit`.
        self.keys = set()
        self.subject = None
        self.started = None
        if enabled():
            self.started = page_cache.read([_name(name)], also=[navigation.CHROME_CACHE_KEY])
            if kept := self.started.fresh([_name(name)]):
                entry = kept[_name(name)]
                self.subject, self.found = entry["content"]
                self.keys = set(entry["versions"])

    @property
    def hit(self):
        return bool(self.found)

    def set_aside(self):
        """Make every part again: what the parts found show may no longer be shown."""
        self.found = {}
        self.keys = set()

    def keep(self, keys, *, subject=None):
        if self.started is not None and self.made and not self.found:
            _keep({self.name: ((subject, self.made), {page_cache.SITE, *keys})}, self.started)


def kept(name, keys, *, started, make):
    """`make()`, kept like a fragment while `keys` keep their versions: e.g. a listing's count,
    for its paginator (the list's own keys change whenever a story joins or leaves it)."""
    if started is None:
        return make()
    if found := _found([name], started):
        return found[name]["content"]
    value = make()
    _keep({name: (value, set(keys))}, started)
    return value


@dataclass(frozen=True)
class Card:
    """A story's card found in the cache: all a listing needs of a story read by its id alone
    (templates show `card_html`)."""

    pk: int
    card_html: str


def cards(shown, *, started):
    """The cards of `shown`, each (story, lead, level) with the story as an Article or, where
    its card may be in the cache, its id: ([for each, the story with its card (`card_html`),
    a `Card`, or None for a story no longer published], the keys the cards show). Cards found
    in the cache need nothing else. The other stories are read (those given by id, in one
    query), with their bylines and photos (one query per relation), and their cards made."""
    names = [
        f"card:{story_id(story)}:{'lead' if lead else 'card'}-h{level}"
        for story, lead, level in shown
    ]
    found = _found(names) if started is not None and shown else {}
    to_make = [(name, *item) for name, item in zip(names, shown, strict=True) if name not in found]
    ids = [story for _, story, _, _ in to_make if isinstance(story, int)]
    read = Article.objects.published().for_cards().in_bulk(ids) if ids else {}
    stories = {name: read.get(story, story) for name, story, _, _ in to_make}
    prefetch_cards([story for story in stories.values() if isinstance(story, Article)])
    template = loader.get_template("includes/article_card.html")
    made = {}
    for name, _, lead, level in to_make:
        if isinstance(story := stories[name], Article):
            html = template.render({"article": story, "lead": lead, "level": level})
            made[name] = (html, {page_cache.SITE, *page_keys.of_listing([story])})
    if started is not None and made:
        _keep(made, started)
    # Cards are rendered by our template, their text escaped.
    listed = []
    for name, (story, _, _) in zip(names, shown, strict=True):
        if name in found:
            listed.append(Card(story_id(story), mark_safe(found[name]["content"])))  # noqa: S308
        elif name in made:
            stories[name].card_html = mark_safe(made[name][0])  # noqa: S308
            listed.append(stories[name])
        else:
            listed.append(None)
    keys = set().union(
        *(entry["versions"] for entry in found.values()), *(keys for _, keys in made.values())
    )
    return listed, keys


def story_id(story):
    """The id of `story`, an Article or its id."""
    return getattr(story, "pk", story)

"""What every public page shows around its content: the sections in the header and the policy
pages in the footer (and their addresses in structured data), read in one query, only when a
template asks for them, and kept in the cache until a section or a page changes (or, with a
per-process cache, for CHROME_SECONDS at most)."""

from dataclasses import dataclass
from functools import cached_property, lru_cache

from django.conf import settings
from django.core.cache import caches
from django.db.models import F, Value
from django.db.models.signals import post_delete, post_save
from django.template import loader
from django.urls import reverse
from django.utils import timezone

from articles.models import Section

from .models import Page

CHROME_CACHE_KEY = "public:site-chrome"
CHROME_SECONDS = 300


@dataclass(frozen=True)
class Link:
    name: str
    url: str


class SiteChrome:
    def __init__(self, rows=None):
        if rows is not None:
            self._rows = rows

    @cached_property
    def _rows(self):
        return tuple(_cache().get_or_set(CHROME_CACHE_KEY, _chrome_rows, CHROME_SECONDS))

    def header(self, path):
        """The site's header for the page at `path` (which it marks as current if it is a
        section's)."""
        current = path if path in _section_urls(self._rows) else None
        return _rendered("includes/header.html", self._rows, current, None, settings.NEWSROOM_NAME)

    def footer(self):
        year = timezone.localdate().year
        return _rendered("includes/footer.html", self._rows, None, year, settings.NEWSROOM_NAME)

    @cached_property
    def section_slugs(self):
        return [slug for kind, _, slug, _, _ in self._rows if kind == "section"]

    @cached_property
    def sections(self):
        return [
            Link(name, reverse("public:section", args=[slug]))
            for kind, name, slug, _, _ in self._rows
            if kind == "section"
        ]

    @cached_property
    def pages(self):
        return [
            Link(name, reverse("public:policy", args=[slug]))
            for kind, name, slug, _, _ in self._rows
            if kind == "page"
        ]

    @cached_property
    def policy_paths(self):
        """{schema.org property: path} for each policy page that fills one."""
        return {
            trust: reverse("public:policy", args=[slug])
            for kind, _, slug, _, trust in self._rows
            if kind == "page" and trust
        }


def _chrome_rows():
    sections = (
        Section.objects.order_by()
        .annotate(kind=Value("section"), trust=Value(""))
        .values_list("kind", "name", "slug", "position", "trust")
    )
    pages = (
        Page.objects.order_by()
        .annotate(kind=Value("page"), label=F("title"))
        .values_list("kind", "label", "slug", "position", "trust_property")
    )
    return list(sections.union(pages, all=True).order_by("kind", "position", "name"))


@lru_cache(maxsize=16)
def _section_urls(rows):
    return frozenset(link.url for link in SiteChrome(rows).sections)


@lru_cache(maxsize=64)
def _rendered(template_name, rows, current_path, year, name):
    """The header or footer as its arguments make it: rendered once per process for each
    version of the sections and pages, not on every page."""
    context = {
        "chrome": SiteChrome(rows),
        "current_path": current_path,
        "year": year,
        "NEWSROOM_NAME": name,
    }
    return loader.render_to_string(template_name, context)


def _cache():
    """The page cache's: the views read the navigation along with their fragments."""
    return caches[settings.PAGE_CACHE_ALIAS]


def _forget_chrome(**kwargs):
    _cache().delete(CHROME_CACHE_KEY)


def connect():
    for model in (Section, Page):
        for signal in (post_save, post_delete):
            signal.connect(_forget_chrome, sender=model, dispatch_uid=f"public.chrome.{model}")


def use_chrome(request, reading):
    """Let the page `request` makes use the navigation found by the view's own read of the
    cache (`fragments.started()`), instead of reading it again."""
    if reading is not None and (rows := reading.found.get(CHROME_CACHE_KEY)) is not None:
        request.site_chrome = SiteChrome(tuple(rows))


def chrome_of(request):
    """The navigation of the page `request` makes: the one its view found (`use_chrome()`), or
    one that reads the rows when first asked."""
    return getattr(request, "site_chrome", None) or SiteChrome()


def site_chrome(request):
    """Context processor: `chrome`, queried at most once per page, and only if it is used."""
    return {"chrome": chrome_of(request)}

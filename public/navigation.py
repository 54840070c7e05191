"""What every public page shows around its content: the sections in the header and the policy
pages in the footer (and their addresses in structured data), read in one query, only when a
template asks for them."""

from dataclasses import dataclass
from functools import cached_property

from django.db.models import F, Value
from django.urls import reverse

from articles.models import Section

from .models import Page


@dataclass(frozen=True)
class Link:
    name: str
    url: str


class SiteChrome:
    @cached_property
    def _rows(self):
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


def site_chrome(request):
    """Context processor: `chrome`, queried at most once per page, and only if it is used."""
    return {"chrome": SiteChrome()}

"""Crawling the site from its URL configuration, for the canary tests: every route there is,
filled with every object that fits it, so a new page is crawled without anyone remembering it."""

import re

from django.urls import get_resolver
from django.urls.resolvers import RegexPattern, URLResolver
from taggit.models import Tag

from articles.models import Article, Section
from people.models import Person
from public.models import Page
from public.sitemaps import SITEMAPS

PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def leaks(response, tokens):
    """The tokens found anywhere in the response: body, headers or cookies."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = "\n".join(
        [
            content.decode(errors="replace"),
            *(f"{name}: {value}" for name, value in response.items()),
            response.cookies.output(),
        ]
    ).lower()
    return {found for found in tokens if found in text}


def routes(patterns=None, prefix=""):
    """Every route the URL configuration serves, with named parameters, includes followed."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + _route(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, route)
        else:
            yield route


def _route(pattern):
    if isinstance(pattern, RegexPattern):
        return re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", str(pattern)).strip("^$")
    return str(pattern)


def fill(route, values):
    """`route` with each of its parameters replaced by its value in `values`."""
    return PARAMETER.sub(lambda match: str(values[match[1]]), route)


def public_urls(fillings):
    """Every public (non-admin) URL: each route without parameters, plain and with a search
    query (`{term}` for the caller to fill), and each route with parameters once for every
    set of values `fillings` gives for its parameter names. A route whose parameters nobody
    said how to fill fails the crawl, so no new page is skipped silently."""
    urls = ["/no-such-page/"]
    for route in routes():
        if route.startswith("admin/"):
            continue
        parameters = tuple(PARAMETER.findall(route))
        if not parameters:
            urls += [f"/{route}", f"/{route}?q={{term}}"]
            continue
        assert parameters in fillings, f"teach the crawl to fill {parameters} in {route}"
        urls += ["/" + fill(route, values) for values in fillings[parameters]]
    return urls


def listing_fillings(addresses):
    """Fillings for the pages named by a slug (sections, topics, people, authors, policies, their
    feeds), the sitemaps and the date archives: every slug on record, every sitemap, and the
    dates of `addresses` (article URL parameters), so each story's would-be listings are
    crawled too."""

    slugs = {
        *Section.objects.values_list("slug", flat=True),
        *Tag.objects.values_list("slug", flat=True),
        *Person.objects.values_list("slug", flat=True),
        *Page.objects.values_list("slug", flat=True),
        *Article.objects.values_list("slug", flat=True),
    }
    return {
        ("slug",): [{"slug": slug} for slug in sorted(slugs)],
        ("section",): [{"section": name} for name in [*SITEMAPS, "no-such-sitemap"]],
        **{
            names: [dict(values) for values in {tuple((n, a[n]) for n in names) for a in addresses}]
            for names in [("year",), ("year", "month"), ("year", "month", "day")]
        },
    }

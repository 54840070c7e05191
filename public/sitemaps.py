"""Sitemaps for search engines: the index at /sitemap.xml with a sitemap per kind of page
(Django's sitemaps framework, 50,000 addresses a page), the Google News sitemap of the last two
days' stories, and robots.txt pointing at both. Addresses use SITE_URL, not the request's host."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from articles.models import Article, Section
from newsroom import page_cache
from people.models import Person

from . import page_keys
from .models import Page
from .views import topics_in_use

#: Google News lists stories first published this recently, at most this many.
NEWS_WINDOW = datetime.timedelta(hours=48)
NEWS_LIMIT = 1000


class SiteSitemap(Sitemap):
    limit = 50_000

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class ArticleSitemap(SiteSitemap):
    def items(self):
        return Article.objects.published().select_related("section").order_by("-pk")

    def lastmod(self, article):
        return article.updated_at or article.first_published_at

    def get_latest_lastmod(self):
        """One aggregate, instead of the framework's walk over every story."""
        latest = Article.objects.published().aggregate(
            latest=Max(Coalesce("updated_at", "first_published_at"))
        )
        return latest["latest"]


class SectionSitemap(SiteSitemap):
    def items(self):
        return Section.objects.all()

    def location(self, section):
        return reverse("public:section", args=[section.slug])


class TopicSitemap(SiteSitemap):
    def items(self):
        return topics_in_use().order_by("slug")

    def location(self, tag):
        return reverse("public:tag", args=[tag.slug])


class AuthorSitemap(SiteSitemap):
    def items(self):
        return Person.objects.with_public_page().staff()

    def location(self, person):
        return reverse("public:author", args=[person.slug])


class PersonSitemap(SiteSitemap):
    """Public figures; minors and private individuals have no page to list."""

    def items(self):
        return Person.objects.with_public_page().filter(kind=Person.Kind.PUBLIC_FIGURE)

    def location(self, person):
        return reverse("public:person", args=[person.slug])


class StandardsSitemap(SiteSitemap):
    """The front page, the masthead, the corrections log and the policy pages."""

    def items(self):
        fixed = [reverse(name) for name in ("public:home", "public:masthead", "public:corrections")]
        return fixed + [page.get_absolute_url() for page in Page.objects.all()]

    def location(self, url):
        return url


SITEMAPS = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "topics": TopicSitemap,
    "authors": AuthorSitemap,
    "people": PersonSitemap,
    "standards": StandardsSitemap,
}


#: Sitemaps list stories, people and topics.
SITEMAP_KEYS = {page_keys.LATEST, page_keys.PEOPLE, page_keys.TAGS}


@sitemap_views.x_robots_tag
@page_cache.depends(SITEMAP_KEYS)
def sitemap_index(request):
    """The index of every sitemap and each of its pages, with SITE_URL's address (the
    framework's own index takes the request's host)."""
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        location = settings.SITE_URL + reverse("public:sitemap", args=[section])
        lastmod = sitemap.get_latest_lastmod()
        entries.append(sitemap_views.SitemapIndexItem(location, lastmod))
        entries.extend(
            sitemap_views.SitemapIndexItem(f"{location}?p={page}", lastmod)
            for page in range(2, sitemap.paginator.num_pages + 1)
        )
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


@page_cache.depends({page_keys.LATEST})
def news_sitemap(request):
    """Google News: stories first published in the last 48 hours, newest first."""
    since = timezone.now() - NEWS_WINDOW
    stories = (
        Article.objects.published()
        .filter(first_published_at__gte=since)
        .select_related("section")
        .order_by("-first_published_at")[:NEWS_LIMIT]
    )
    context = {
        "stories": stories,
        "language": settings.LANGUAGE_CODE.split("-")[0],
        "SITE_URL": settings.SITE_URL,
    }
    return render(request, "public/news_sitemap.xml", context, content_type="application/xml")


@page_cache.depends(set())
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        "",
        f"Sitemap: {settings.SITE_URL}{reverse('public:sitemap_index')}",
        f"Sitemap: {settings.SITE_URL}{reverse('public:news_sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap_index, name="sitemap_index"),
    path(
        "sitemap-<section>.xml",
        page_cache.depends(SITEMAP_KEYS)(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("news-sitemap.xml", news_sitemap, name="news_sitemap"),
]

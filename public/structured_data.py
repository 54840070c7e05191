"""schema.org data for search engines and social sites (JSON-LD)."""

from django.conf import settings
from django.urls import reverse

from people.models import Person
from photos.pictures import absolute_crop

#: The image ratios search engines ask for in an article's JSON-LD.
SEARCH_CROPS = ("16x9", "4x3", "1x1")


def _absolute(path):
    return settings.SITE_URL + path


def publisher():
    """The newsroom as a NewsMediaOrganization, with links to its published standards."""
    policy = _absolute(reverse("public:sourcing_policy"))
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.NEWSROOM_NAME,
        "url": _absolute("/"),
        "publishingPrinciples": policy,
        "unnamedSourcesPolicy": f"{policy}#anonymous-sources",
        "correctionsPolicy": f"{policy}#corrections",
        "verificationFactCheckingPolicy": f"{policy}#verification",
    }


def _person(person):
    data = {"@type": "Person", "name": person.name}
    if person.kind == Person.Kind.PUBLIC_FIGURE and (same_as := person.same_as_urls()):
        data["sameAs"] = same_as
    return data


def news_article(article):
    """NewsArticle data for a published article. Only people with a public page are named:
    never a minor, never a private individual."""
    url = _absolute(article.get_absolute_url())
    published = article.first_published_at
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "description": article.display_description,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": published.isoformat(),
        "dateModified": (article.updated_at or published).isoformat(),
        "author": [_person(byline.person) for byline in article.bylines.all()],
        "publisher": publisher(),
        "publishingPrinciples": publisher()["publishingPrinciples"],
    }
    if article.section_id:
        data["articleSection"] = article.section.name
    if keywords := [tag.name for tag in article.tags.all()]:
        data["keywords"] = keywords
    if article.lead_photo:
        data["image"] = [absolute_crop(article.lead_photo, ratio).url for ratio in SEARCH_CROPS]
    if mentions := [_person(p) for p in article.people.all() if p.has_public_page]:
        data["mentions"] = mentions
    return data

"""schema.org data for search engines and social sites (JSON-LD).

The article carries the Trust Project's indicators: the type of work (as the schema.org type),
every author with their page, the dateline, its corrections, and the publisher's policies, each a
page editors keep in the admin. Only people with a public page are named: never a minor, never a
private individual.
"""

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from articles.models import Byline, TypeOfWork
from people.models import Person

SCHEMA_TYPES = {
    TypeOfWork.NEWS: "NewsArticle",
    TypeOfWork.ANALYSIS: "AnalysisNewsArticle",
    TypeOfWork.OPINION: "OpinionNewsArticle",
    TypeOfWork.REVIEW: "ReviewNewsArticle",
    TypeOfWork.EXPLAINER: "BackgroundNewsArticle",
    TypeOfWork.SPONSORED: "AdvertiserContentArticle",
}

#: Where the logo for structured data lives under static/ (600 px wide, as Google asks).
LOGO = "img/logo.png"


def _absolute(path):
    return settings.SITE_URL + path


def publisher(policy_paths):
    """The newsroom as a NewsMediaOrganization, with links to its published standards:
    `policy_paths` is {schema.org property: path} for each policy page (see public/models.py)."""
    data = {
        "@type": "NewsMediaOrganization",
        "name": settings.NEWSROOM_NAME,
        "url": _absolute("/"),
        "logo": {"@type": "ImageObject", "url": _absolute(static(LOGO))},
        "masthead": _absolute(reverse("public:masthead")),
    }
    data.update({key: _absolute(path) for key, path in sorted(policy_paths.items())})
    return data


def organization(policy_paths):
    """The publisher on its own, as the front page and the masthead describe it."""
    return {"@context": "https://schema.org", **publisher(policy_paths)}


def author_profile(person):
    """A staff member's author page: a ProfilePage about them, working for the newsroom."""
    url = _absolute(reverse("public:author", args=[person.slug]))
    about = {"@type": "Person", "name": person.name, "url": url}
    if person.description:
        about["jobTitle"] = person.description
    if person.photo:
        about["image"] = _absolute(person.photo.image.url)
    about["worksFor"] = {"@type": "NewsMediaOrganization", "name": settings.NEWSROOM_NAME}
    return {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": url,
        "mainEntity": about,
    }


def _person(person):
    data = {"@type": "Person", "name": person.name}
    if person.kind == Person.Kind.STAFF:
        data["url"] = _absolute(reverse("public:author", args=[person.slug]))
    elif person.kind == Person.Kind.PUBLIC_FIGURE:
        data["url"] = _absolute(reverse("public:person", args=[person.slug]))
        if same_as := person.same_as_urls():
            data["sameAs"] = same_as
    return data


def _image(photo):
    return {
        "@type": "ImageObject",
        "url": _absolute(photo.image.url),
        "width": photo.width,
        "height": photo.height,
        "caption": photo.caption,
        "creditText": photo.credit,
    }


def news_article(article, policy_paths):
    """[the article, its breadcrumbs], for a published article."""
    url = _absolute(article.get_absolute_url())
    published = article.first_published_at
    bylines = [b for b in article.bylines.all() if b.person.has_public_page]
    authors = [_person(b.person) for b in bylines if b.role == Byline.Role.AUTHOR]
    contributors = [_person(b.person) for b in bylines if b.role != Byline.Role.AUTHOR]
    org = publisher(policy_paths)
    data = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES[article.type_of_work],
        "headline": article.headline,
        "description": article.display_description,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": published.isoformat(),
        "dateModified": (article.updated_at or published).isoformat(),
        "author": authors or contributors,
        "publisher": org,
        "isAccessibleForFree": True,
        **{key: org[key] for key in ("publishingPrinciples", "masthead") if key in org},
    }
    if contributors and authors:
        data["contributor"] = contributors
    if article.dateline:
        data["dateline"] = article.dateline
    if article.section_id:
        data["articleSection"] = article.section.name
    if keywords := [tag.name for tag in article.tags.all()]:
        data["keywords"] = keywords
    if article.lead_photo:
        data["image"] = [_image(article.lead_photo)]
    if mentions := [_person(p) for p in article.people.all() if p.has_public_page]:
        data["mentions"] = mentions
    if corrections := list(article.corrections.all()):
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": f"{c.get_kind_display()}: {c.text}",
                "datePublished": c.created_at.isoformat(),
            }
            for c in corrections
        ]
    return [data, breadcrumbs(article)]


def breadcrumbs(article):
    trail = [(settings.NEWSROOM_NAME, "/")]
    if article.section_id:
        trail.append((article.section.name, reverse("public:section", args=[article.section.slug])))
    trail.append((article.headline, article.get_absolute_url()))
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": _absolute(path)}
            for n, (name, path) in enumerate(trail, start=1)
        ],
    }

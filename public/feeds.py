"""RSS 2.0 and Atom feeds (Django's syndication framework): the site, each section, topic and
author, and the corrections log. Items carry every byline (`dc:creator` in RSS, one `<author>`
each in Atom), the section and topics as categories, and the lead photo as `media:content`.
Items give the dek, never the body: the body may name people (minors among them) whom only
the story itself may name."""

import io

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from articles.models import Article, Byline, Correction, Section
from newsroom import page_cache
from people.models import Person
from photos.pictures import absolute_crop

from . import page_keys
from .views import topic_in_use_or_404

#: Stories (or corrections) in a feed.
FEED_LENGTH = 30
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"
MEDIA_RSS = "http://search.yahoo.com/mrss/"


def _absolute(path):
    return settings.SITE_URL + path


def _media_content(handler, photo):
    if photo:
        handler.addQuickElement("media:content", "", photo)


class WrittenWhole:
    """Hands the response the document in one piece: written straight to it, each XML event
    would be a chunk of its own."""

    def write(self, outfile, encoding):
        document = io.StringIO()
        super().write(document, encoding)
        outfile.write(document.getvalue())


class NewsroomRss(WrittenWhole, Rss201rev2Feed):
    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": DUBLIN_CORE, "xmlns:media": MEDIA_RSS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for creator in item["creators"]:
            handler.addQuickElement("dc:creator", creator["name"])
        _media_content(handler, item["photo"])


class NewsroomAtom(WrittenWhole, Atom1Feed):
    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_RSS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for creator in item["creators"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", creator["name"])
            if creator["uri"]:
                handler.addQuickElement("uri", creator["uri"])
            handler.endElement("author")
        _media_content(handler, item["photo"])


class NewsroomFeed(Feed):
    """Addresses from SITE_URL (not the request's host), the feed's own among them. Kept in
    the page cache under `list_keys(obj)` and the people, topics and photos its items show."""

    feed_type = NewsroomRss

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        return page_cache.depends_on(response, request.feed_keys)

    def list_keys(self, obj):
        return {page_keys.LATEST}

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed["feed_url"] = _absolute(request.path)
        feed.feed["subtitle"] = feed.feed["description"]
        # The feed object is shared by every request: what this one depends on goes on it.
        request.feed_keys = {*self.list_keys(obj), *page_keys.COLLECTIONS}
        return feed


class StoriesFeed(NewsroomFeed):
    """The newest published stories; subclasses narrow them to one section, topic or author."""

    def title(self, obj):
        return settings.NEWSROOM_NAME

    def description(self, obj):
        return f"The latest stories from {settings.NEWSROOM_NAME}."

    def link(self, obj):
        return _absolute("/")

    def items(self, obj):
        stories = (
            Article.objects.published()
            .for_listing()  # what a card shows is what an item shows: no long texts
            # Into a plain list: taggit's manager would build a query per story to hold them.
            .prefetch_related(Prefetch("tags", to_attr="topics"))
        )
        return self.narrow(stories, obj)[:FEED_LENGTH]

    def narrow(self, stories, obj):
        return stories

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        return item.display_description

    def item_link(self, item):
        return _absolute(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.updated_at or item.first_published_at

    def item_categories(self, item):
        section = [item.section.name] if item.section_id else []
        return [*section, *(tag.name for tag in item.topics)]

    def item_extra_kwargs(self, item):
        return {"creators": _creators(item), "photo": _photo(item.lead_photo)}


def _creators(article):
    creators = []
    for byline in article.bylines.all():
        person = byline.person
        uri = person.kind == Person.Kind.STAFF and person.has_public_page
        creators.append(
            {
                "name": person.name,
                "uri": _absolute(reverse("public:author", args=[person.slug])) if uri else None,
            }
        )
    return creators


def _photo(photo):
    """The lead photo's social crop (a rendition: feeds never point at the original upload)."""
    if photo is None:
        return None
    crop = absolute_crop(photo, "social")
    return {
        "url": crop.url,
        "medium": "image",
        "type": "image/jpeg",
        "width": str(crop.width),
        "height": str(crop.height),
    }


class SectionFeed(StoriesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def title(self, obj):
        return f"{obj.name} · {settings.NEWSROOM_NAME}"

    def description(self, obj):
        return obj.description or f"The latest {obj.name} stories from {settings.NEWSROOM_NAME}."

    def link(self, obj):
        return _absolute(f"/{obj.slug}/")

    def narrow(self, stories, obj):
        return stories.filter(section=obj)

    def list_keys(self, obj):
        return {page_keys.section_list(obj.pk)}


class TopicFeed(StoriesFeed):
    def get_object(self, request, slug):
        return topic_in_use_or_404(slug)

    def title(self, obj):
        return f"{obj.name} · {settings.NEWSROOM_NAME}"

    def description(self, obj):
        return f"Stories about {obj.name} from {settings.NEWSROOM_NAME}."

    def link(self, obj):
        return _absolute(f"/topics/{obj.slug}/")

    def narrow(self, stories, obj):
        return stories.filter(tags=obj)

    def list_keys(self, obj):
        return {page_keys.key(obj)}


class AuthorFeed(StoriesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Person.objects.with_public_page().staff(), slug=slug)

    def title(self, obj):
        return f"{obj.name} · {settings.NEWSROOM_NAME}"

    def description(self, obj):
        return f"Stories by {obj.name} in {settings.NEWSROOM_NAME}."

    def link(self, obj):
        return _absolute(f"/authors/{obj.slug}/")

    def narrow(self, stories, obj):
        return stories.filter(pk__in=Byline.objects.filter(person=obj).values("article_id"))

    def list_keys(self, obj):
        return {page_keys.key(obj)}


class CorrectionsFeed(NewsroomFeed):
    """The corrections log: every correction to a story readers can see, newest first."""

    def title(self):
        return f"Corrections · {settings.NEWSROOM_NAME}"

    def description(self):
        return f"Every correction {settings.NEWSROOM_NAME} makes, newest first."

    def link(self):
        return _absolute("/corrections/")

    def list_keys(self, obj):
        return {page_keys.CORRECTIONS}

    def items(self):
        return (
            Correction.objects.filter(article__in=Article.objects.published())
            .select_related("article__section")
            .order_by("-created_at", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, item):
        return f"{item.get_kind_display()}: {item.article.headline}"

    def item_description(self, item):
        return item.text

    def item_link(self, item):
        return _absolute(item.article.get_absolute_url())

    def item_guid(self, item):
        return f"{self.item_link(item)}#correction-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.created_at

    def item_extra_kwargs(self, item):
        return {"creators": [], "photo": None}


FORMATS = {"rss": NewsroomRss, "atom": NewsroomAtom}
#: name: (feed, where it lives under /feeds/)
FEEDS = {
    "site": (StoriesFeed, ""),
    "section": (SectionFeed, "sections/<slug:slug>/"),
    "topic": (TopicFeed, "topics/<slug:slug>/"),
    "author": (AuthorFeed, "authors/<slug:slug>/"),
    "corrections": (CorrectionsFeed, "corrections/"),
}


def _in(feed_class, feed_type):
    feed = feed_class()
    feed.feed_type = feed_type
    return feed


#: `public:feed_<name>_<format>`, e.g. `public:feed_section_atom`.
urlpatterns = [
    path(f"feeds/{where}{fmt}/", _in(feed_class, feed_type), name=f"feed_{name}_{fmt}")
    for name, (feed_class, where) in FEEDS.items()
    for fmt, feed_type in FORMATS.items()
]

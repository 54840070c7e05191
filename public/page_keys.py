"""What each public page shows, as page-cache keys (newsroom/page_cache.py), and the purges
that keep cached pages exact: a story's page, its section, tags, people, archives and every
list of the latest stories change when it is published, updated, corrected or taken down;
editing a section, a person, a tag or a photo changes the pages that show it."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from taggit.models import Tag

from articles.extensions import article_transitioned
from articles.models import Article, Byline, Section
from newsroom import page_cache
from people.models import Person
from photos.models import Photo
from sourcing.models import Quote

from .models import Page

#: Every list of the newest stories: the home page, the site's feeds, the sitemaps.
LATEST = "latest"
CORRECTIONS = "corrections"
#: Pages listing people, topics or photos at large (the masthead, feeds, sitemaps): any edit of
#: one of them purges these as well as the pages naming it.
PEOPLE = "people"
TAGS = "tags"
PHOTOS = "photos"
COLLECTIONS = (PEOPLE, TAGS, PHOTOS)


def key(instance):
    """The key of one record a page shows, e.g. "article:12"."""
    return f"{instance._meta.model_name}:{instance.pk}"


def section_list(section_id):
    """The key of every list of a section's stories (its page, its feed)."""
    return f"section-list:{section_id}"


def of_article(article):
    """What an article's own page shows: the story, its tags, people and photo (the related
    stories are found through the tags and people). Sections are in every page's navigation,
    so an edited section purges every page (`page_cache.SITE`)."""
    keys = {key(article)}
    keys.update(f"tag:{tag.pk}" for tag in article.tags.all())
    keys.update(f"person:{byline.person_id}" for byline in article.bylines.all())
    keys.update(f"person:{person.pk}" for person in article.people.all())
    if article.lead_photo_id:
        keys.add(f"photo:{article.lead_photo_id}")
    return keys


def of_person(person):
    """What a person's or author's page shows of them: their record and photo."""
    keys = {key(person)}
    if person.photo_id:
        keys.add(f"photo:{person.photo_id}")
    return keys


def archive(day, period):
    """The key of the archive page of `period` ("year", "month" or "day") holding `day`."""
    return f"archive:{day:{ARCHIVE_FORMATS[period]}}"


ARCHIVE_FORMATS = {"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d"}


def of_listing(articles):
    """What a list of story cards shows beyond the list itself: each story and its bylines."""
    keys = set()
    for article in articles:
        keys.add(key(article))
        keys.update(f"person:{byline.person_id}" for byline in article.bylines.all())
        if article.lead_photo_id:
            keys.add(f"photo:{article.lead_photo_id}")
    return keys


def touched_by(article):
    """Every page that shows `article` once it is (or was) on the public site."""
    keys = of_article(article) | {LATEST, section_list(article.section_id)}
    day = timezone.localtime(article.first_published_at).date()
    keys |= {archive(day, period) for period in ARCHIVE_FORMATS}
    if article.corrections.exists():
        keys.add(CORRECTIONS)
    return keys


def purge_article(article):
    """After the current transaction commits, purge every page that shows `article`, as it is
    now and as it was at its last purge."""
    if not page_cache.keeps_versions() or article.first_published_at is None:
        return  # no page cache, or never on the public site: no page shows it

    # Taken now: a deleted story's instance has lost its id by the time the transaction commits.
    pk, subject = article.pk, key(article)

    def purge():
        current = Article.objects.for_detail().filter(pk=pk).first()
        keys = touched_by(current) if current is not None else set()
        page_cache.purge(keys, subject=subject)

    transaction.on_commit(purge)


def _after_transition(sender, article, **kwargs):
    purge_article(article)


def _after_article_saved_or_deleted(sender, instance, signal, **kwargs):
    """A live story's expiry time is saved as it is, without a transition: the pages and
    fragments showing it must learn the new one. A deleted story leaves its pages."""
    if signal is post_save and "expires_at" not in instance.changed_fields():
        return
    purge_article(instance)


def _after_article_part_changed(sender, instance, **kwargs):
    """Tags, people, bylines and quotes reach the live page when saved, without a transition."""
    purge_article(instance.article)


def _after_article_links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Tags or people added to or taken from a story, from either side of the link."""
    if action not in {"post_add", "post_remove", "pre_clear"}:
        return  # a clear is seen before it happens, while the links still say what it touches
    if not reverse:
        purge_article(instance)
        return
    linked = Article.objects.filter(pk__in=pk_set) if pk_set else instance.articles.all()
    for article in linked:
        purge_article(article)


#: What an edit of each kind of record purges besides the pages naming it.
PURGED_WITH = {
    Section: page_cache.SITE,
    Page: page_cache.SITE,
    Person: PEOPLE,
    Tag: TAGS,
    Photo: PHOTOS,
}


def _after_record_edit(sender, instance, **kwargs):
    if not page_cache.keeps_versions():
        return
    keys = {key(instance), PURGED_WITH[sender]}
    transaction.on_commit(lambda: page_cache.purge(keys))


def connect():
    article_transitioned.connect(_after_transition, dispatch_uid="public.page_cache")
    for signal in (post_save, post_delete):
        signal.connect(
            _after_article_saved_or_deleted,
            sender=Article,
            dispatch_uid="public.page_cache.article",
        )
    for through in (Article.tags.through, Article.people.through):
        m2m_changed.connect(
            _after_article_links_changed,
            sender=through,
            dispatch_uid=f"public.page_cache.{through}",
        )
    for model in (Byline, Quote):
        for signal in (post_save, post_delete):
            signal.connect(
                _after_article_part_changed, sender=model, dispatch_uid=f"public.page_cache.{model}"
            )
    for model in PURGED_WITH:
        for signal in (post_save, post_delete):
            signal.connect(
                _after_record_edit, sender=model, dispatch_uid=f"public.page_cache.{model}"
            )

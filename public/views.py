"""The reader-facing pages. Every read of articles goes through `Article.objects.published()`
(or `taken_down()`, for the 410 of a story we removed); previews are the one way to see anything
else, and are never indexed or cached."""

import datetime
import itertools
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import Http404, HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.views.generic import ListView
from taggit.models import Tag

from articles.models import (
    Article,
    ArticleRedirect,
    Correction,
    PersonInStory,
    PreviewLink,
    Section,
    TaggedArticle,
    prefetch_detail,
)
from articles.search import matching_people
from newsroom import page_cache
from people.models import Person

from . import fragments, navigation, page_keys
from .forms import SearchForm
from .models import Page
from .pagination import BoundedPaginator

#: Stories in each section's rail on the home page (before leaving out those shown above it).
RAIL_LENGTH = 4
#: The name the home page's rails are kept under (`fragments.kept()`).
RAILS = "home:rails"
#: Related stories under an article.
RELATED_LENGTH = 4


class PublishedArticlesMixin:
    """Owns `get_queryset()` for every public list of articles, so no list can show more than
    readers may see. Subclasses narrow it with `filter_articles()` (a date archive asks
    `published()` for its period instead), and name the list for the page cache with
    `list_keys()` (what purges it when a story joins or leaves it). The stories' cards come from
    the fragment cache where they can (`public/fragments.py`), so their bylines and photos are
    fetched only for the cards made again."""

    paginate_by = 20
    paginator_class = BoundedPaginator
    context_object_name = "articles"

    def get(self, request, *args, **kwargs):
        # Before reading any story; with what the page keeps, in the same read of the cache.
        self.fragments_started = fragments.started(ahead=self.kept_ahead())
        navigation.use_chrome(request, self.fragments_started)
        return super().get(request, *args, **kwargs)

    def kept_ahead(self):
        """The names of the values the page keeps (`fragments.kept()`), read ahead with the
        counters fragments start from."""
        return [self.count_name, self.ids_name]

    @property
    def count_name(self):
        return f"count:{self.request.path}"

    @property
    def ids_name(self):
        return f"ids:{self.request.path}:{self.request.GET.get(self.page_kwarg, '1')}"

    def get_queryset(self):
        articles = self.filter_articles(self.published())
        if self.fragments_started is not None:
            # The page's stories by id: their cards come from the cache, and only the stories
            # whose cards are made again are read whole (`fragments.cards`).
            return articles.values_list("pk", flat=True)
        return articles.for_cards()

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        if (keys := self.list_keys()) is not None:
            # Counted again only when a story joins or leaves the list (its keys' versions).
            paginator.count = fragments.kept(
                self.count_name,
                keys,
                started=self.fragments_started,
                make=lambda: paginator.count,
            )
        return paginator

    def paginate_queryset(self, queryset, page_size):
        paginator, page, stories, is_paginated = super().paginate_queryset(queryset, page_size)
        if self.fragments_started is not None and (keys := self.list_keys()) is not None:
            # Which stories the page lists is read again only when one joins or leaves the list
            # (a story whose expiry time came leaves it when the scheduler takes it down, which
            # purges its lists, as for cached pages).
            page.object_list = stories = fragments.kept(
                self.ids_name,
                keys,
                started=self.fragments_started,
                make=lambda: list(page.object_list),
            )
        return paginator, page, stories, is_paginated

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.add_cards(context)
        return context

    def add_cards(self, context):
        """Give the page's stories their cards (the home page shows more than one kind)."""
        cards = self.with_cards(context["articles"])
        context["articles"] = context["object_list"] = [card for card in cards if card]

    def with_cards(self, stories, *, lead=False, level=2):
        """`stories` (Articles, or ids with fragments on) as cards (`card_html`), one for each
        in order (None for a story unpublished since it was listed): the first a lead card if
        `lead`, the others with headings of `level`. The keys the cards show are the page's
        (`card_keys`)."""
        shown = [
            (story, lead and n == 0, 2 if lead and n == 0 else level)
            for n, story in enumerate(stories)
        ]
        listed, self.card_keys = fragments.cards(shown, started=self.fragments_started)
        return listed

    def published(self):
        """The stories readers may see, before `filter_articles()` narrows them."""
        return Article.objects.published()

    def filter_articles(self, articles):
        return articles

    def list_keys(self):
        """The page-cache keys of this list, or None for a list that is never cached."""
        return None

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if (keys := self.list_keys()) is None:
            return response
        return page_cache.depends_on(response, keys | self.card_keys)


def shown(cards, count):
    """The next `count` of `cards` (`with_cards()`), without those of stories unpublished."""
    return [card for card in itertools.islice(cards, count) if card]


class Rail(NamedTuple):
    """A section's rail on the home page."""

    name: str
    slug: str
    stories: list


class HomeView(PublishedArticlesMixin, ListView):
    """The lead story and the latest, then a rail of the newest stories in each section."""

    template_name = "public/home.html"

    def list_keys(self):
        return {page_keys.LATEST}

    def kept_ahead(self):
        return [*super().kept_ahead(), RAILS]

    def add_cards(self, context):
        context["rails"] = []
        if context["page_obj"].number != 1:
            super().add_cards(context)
            return
        # The first page: the lead story's card, then the latest and each section's rail.
        latest = list(context["articles"])
        rails = self.rails({fragments.story_id(story) for story in latest})
        in_rails = [story for rail in rails for story in rail.stories]
        cards = iter(self.with_cards([*latest, *in_rails], lead=True, level=3))
        context["articles"] = context["object_list"] = shown(cards, len(latest))
        context["rails"] = [
            rail._replace(stories=shown(cards, len(rail.stories))) for rail in rails
        ]

    def rails(self, shown):
        """[Rail] of each section's newest stories (by id) not among `shown`, in the sections'
        order; sections with nothing new to show are left out. With fragments on, which stories
        they are is kept until a story is published or taken down, or a section changes."""
        ranked = fragments.kept(
            RAILS,
            {page_keys.LATEST, page_cache.SITE},
            started=self.fragments_started,
            make=lambda: list(self.ranked().values_list("pk", "section__name", "section__slug")),
        )
        rails = {}
        for pk, name, slug in ranked:
            if pk not in shown:
                rails.setdefault((name, slug), []).append(pk)
        return [Rail(name, slug, stories) for (name, slug), stories in rails.items()]

    def ranked(self):
        """Each section's newest stories, in the rails' order, in one query whose cost does not
        grow with the archive: each section's newest stories come from the (section, status,
        first published) index."""
        published = Article.objects.published()
        newest_in_each = Q()
        for slug in navigation.chrome_of(self.request).section_slugs:
            newest = published.filter(section__slug=slug).order_by("-first_published_at", "-pk")
            newest_in_each |= Q(pk__in=newest.values("pk")[:RAIL_LENGTH])
        if not newest_in_each:
            return Article.objects.none()
        return published.filter(newest_in_each).order_by(
            "section__position", "section__name", "-first_published_at", "-pk"
        )


class SectionView(PublishedArticlesMixin, ListView):
    template_name = "public/section.html"

    @cached_property
    def section(self):
        return get_object_or_404(Section, slug=self.kwargs["slug"])

    def filter_articles(self, articles):
        return articles.filter(section=self.section)

    def list_keys(self):
        return {page_keys.section_list(self.section.pk)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


class TagView(PublishedArticlesMixin, ListView):
    """A topic's stories. A topic only unpublished stories use has no page: its name alone
    could tell what the newsroom is working on."""

    template_name = "public/tag.html"

    @cached_property
    def tag(self):
        return topic_in_use_or_404(self.kwargs["slug"], started=self.fragments_started)

    def filter_articles(self, articles):
        # Newest first along the tag links' own index (the story's time copied onto them).
        return articles.filter(tagged_items__tag=self.tag).order_by(
            "-tagged_items__first_published_at", "-created_at"
        )

    def list_keys(self):
        return {page_keys.key(self.tag)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


def topics_in_use():
    """The tags of published stories: only these have a page or a feed."""
    in_use = TaggedArticle.objects.filter(content_object__in=Article.objects.published())
    return Tag.objects.filter(pk__in=in_use.values("tag_id"))


def topic_in_use_or_404(slug, *, started=None):
    """The tag `slug` names, if a published story carries it: found through the tag's own
    links (an index), not by listing every tag in use. With fragments on (`started`), whether
    it is in use is kept until a story with it is published or taken down."""
    published_with_it = TaggedArticle.objects.filter(
        tag=OuterRef("pk"), content_object__in=Article.objects.published()
    )
    if started is None:
        return get_object_or_404(Tag.objects.filter(Exists(published_with_it)), slug=slug)
    tag = get_object_or_404(Tag, slug=slug)
    in_use = fragments.kept(
        f"topic-in-use:{tag.pk}",
        {page_keys.key(tag)},
        started=started,
        make=lambda: Tag.objects.filter(Exists(published_with_it), pk=tag.pk).exists(),
    )
    if not in_use:
        raise Http404("No such topic.")
    return tag


class AuthorView(PublishedArticlesMixin, ListView):
    """A staff member's page: bio, photo, role and every story with them in any byline."""

    template_name = "public/author.html"

    @cached_property
    def person(self):
        people = Person.objects.with_public_page().staff().select_related("photo")
        return get_object_or_404(people, slug=self.kwargs["slug"])

    def filter_articles(self, articles):
        return articles.bylined(self.person)

    def list_keys(self):
        return page_keys.of_person(self.person)

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, **kwargs)


class PersonView(PublishedArticlesMixin, ListView):
    """A public figure's or staff member's page, with the stories about them. Minors and
    private individuals have none."""

    template_name = "public/person.html"

    @cached_property
    def person(self):
        people = Person.objects.with_public_page().select_related("photo")
        return get_object_or_404(people, slug=self.kwargs["slug"])

    def filter_articles(self, articles):
        # Newest first along the links' own index (the story's time copied onto them).
        return articles.filter(person_links__person=self.person).order_by(
            "-person_links__first_published_at", "-created_at"
        )

    def list_keys(self):
        return page_keys.of_person(self.person)

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, **kwargs)


class ArchiveView(PublishedArticlesMixin, ListView):
    """The stories first published in a year, a month or a day, in the newsroom's time zone."""

    template_name = "public/archive.html"

    @cached_property
    def period(self):
        """(first day, the day after the last, "year" | "month" | "day"), or 404."""
        year, month, day = (self.kwargs.get(name) for name in ("year", "month", "day"))
        if 0 in (month, day):
            raise Http404("No such date.")
        try:
            start = datetime.date(year, month or 1, day or 1)
            if day:
                return start, start + datetime.timedelta(days=1), "day"
            if month:
                after = datetime.date(year + month // 12, month % 12 + 1, 1)
                return start, after, "month"
            return start, datetime.date(year + 1, 1, 1), "year"
        except ValueError:
            raise Http404("No such date.") from None

    def published(self):
        start, end, _ = self.period
        return Article.objects.published(since=_local_midnight(start), before=_local_midnight(end))

    def list_keys(self):
        start, _, kind = self.period
        return {page_keys.archive(start, kind)}

    def kept_ahead(self):
        *_, kind = self.period
        return [*super().kept_ahead(), *([self.months_name] if kind == "year" else [])]

    @property
    def months_name(self):
        return f"months:{self.period[0].year}"

    def get_context_data(self, **kwargs):
        start, _, kind = self.period
        context = super().get_context_data(period_start=start, period=kind, **kwargs)
        if kind == "year":
            context["months"] = fragments.kept(
                self.months_name,
                self.list_keys(),
                started=self.fragments_started,
                make=lambda: months_with_stories(start.year),
            )
        return context


def months_with_stories(year):
    """The first days of the months of `year` in which a story readers can see was published,
    from one query asking of each month whether an indexed range holds one (not by truncating
    the date of every story of the year)."""
    months = [datetime.date(year, month, 1) for month in range(1, 13)]
    ends = [*months[1:], datetime.date(year + 1, 1, 1)]
    probes = {
        f"in_{start.month}": Exists(
            Article.objects.published(since=_local_midnight(start), before=_local_midnight(end))
        )
        for start, end in zip(months, ends, strict=True)
    }
    found = Article.objects.annotate(**probes).values(*probes)[:1]
    found = found[0] if found else {}
    return [start for start in months if found.get(f"in_{start.month}")]


def _local_midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


class CorrectionsView(ListView):
    """Every correction on a story readers can see, newest first."""

    template_name = "public/corrections.html"
    context_object_name = "corrections"
    paginate_by = 50

    def get_queryset(self):
        return (
            Correction.objects.filter(article__in=Article.objects.published())
            .select_related("article__section")
            .order_by("-created_at", "-pk")
        )

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        shown = {page_keys.key(correction.article) for correction in context["corrections"]}
        return page_cache.depends_on(response, {page_keys.CORRECTIONS} | shown)


def masthead(request):
    """The people who make the newsroom, with their roles."""
    staff = Person.objects.with_public_page().staff()
    response = render(request, "public/masthead.html", {"staff": staff})
    return page_cache.depends_on(response, {page_keys.PEOPLE})


def policy_page(request, slug):
    page = get_object_or_404(Page, slug=slug)
    response = render(request, "public/policy.html", {"page": page})
    return page_cache.depends_on(response, set())  # policy pages purge every page (`site`)


class SearchView(PublishedArticlesMixin, ListView):
    """Ranked search of published stories (their live version), with the people readers may
    see whose names match."""

    template_name = "public/search.html"
    context_object_name = "hits"
    # The search engine caps its candidates itself; readers' queries are never page-cached.
    paginator_class = Paginator
    #: At most this many people are shown above the stories.
    people_shown = 5

    def get_queryset(self):
        self.form = SearchForm(self.request.GET)
        # Hits are drawn by search.html, not as cards: their bylines come with them.
        return self.form.results(Article.objects.published().for_listing())

    def add_cards(self, context):
        pass

    def get_context_data(self, **kwargs):
        query = self.form.value("q") or ""
        people = matching_people(query, Person.objects.with_public_page())
        context = super().get_context_data(
            form=self.form, query=query, people=people[: self.people_shown], **kwargs
        )
        # Known once the results are counted (by the paginator, above).
        context["near_matches"] = self.object_list.loose
        context["capped"] = self.object_list.capped
        return context


def article_detail(request, section, year, month, day, slug):
    """A published article. Old slugs and wrong dates or sections redirect (301) to the
    current address; a story taken down answers 410 Gone; anything else is a 404.

    The page inside the site's chrome is kept whole under its address (public/fragments.py),
    with the story's publication and expiry times, so while the story is unchanged a request
    makes no query; its row, bylines, tags, people, corrections, photo, sourcing note and related
    stories are read only to make the page again."""
    parts = fragments.PageFragments(f"article:{request.path}")  # before reading the story
    navigation.use_chrome(request, parts.started)
    if parts.hit:
        # The rest of what `published()` asks (the story's status) purges the page when it
        # changes, as does a new expiry time: the times kept with the page are enough to know.
        if Article.in_publication_period(*parts.subject):
            response = render(request, "public/article_detail.html", {"fragments": parts})
            return page_cache.depends_on(response, parts.keys)
        parts.set_aside()  # its expiry time has come, and the scheduler is about to act
    # Found by id from the slug's own index: SQLite's planner, without statistics, would
    # rather walk every published story along the status index.
    by_slug = Article.objects.filter(slug=slug).values("pk")[:1]
    article = Article.objects.published().for_page().filter(pk=Subquery(by_slug)).first()
    if article is None:
        gone = Article.objects.taken_down().filter(slug=slug).first()
        if gone is not None:
            response = render(request, "public/article_gone.html", status=410)
            return page_cache.depends_on(response, {page_keys.key(gone)})
        # The slug may be one a story used to have (a draft can hold it now).
        on_record = Article.objects.published() | Article.objects.taken_down()
        moved = ArticleRedirect.objects.filter(old_slug=slug, article__in=on_record)
        moved = moved.select_related("article__section").first()
        if moved is None:
            raise Http404("No such article.")
        return redirect(moved.article, permanent=True)
    if request.path != article.get_absolute_url():
        return redirect(article, permanent=True)
    prefetch_detail([article])
    context = {"article": article, "related": related_articles(article), "fragments": parts}
    response = render(request, "public/article_detail.html", context)
    keys = page_keys.of_article(article)
    parts.keep(keys, subject=(article.first_published_at, article.expires_at))
    return page_cache.depends_on(response, keys)


def related_articles(article):
    """Other published stories sharing a tag or a person readers may see, newest first."""
    tags = [tag.pk for tag in article.tags.all()]
    people = [person.pk for person in article.people.all() if person.has_public_page]
    if not tags and not people:
        return []
    # From the links' own indexes, not a join through every story.
    by_tag = TaggedArticle.objects.filter(tag_id__in=tags).values("content_object_id")
    by_person = PersonInStory.objects.filter(person_id__in=people).values("article_id")
    return list(
        Article.objects.published()
        .filter(Q(pk__in=by_tag) | Q(pk__in=by_person))
        .exclude(pk=article.pk)
        .select_related("section")[:RELATED_LENGTH]
    )


def server_error(request):
    """The 500 page, in the site's design, rendered without touching the database (which may
    be what failed)."""
    page = loader.get_template("500.html").render({"NEWSROOM_NAME": settings.NEWSROOM_NAME})
    return HttpResponseServerError(page)


def _render_preview(request, article, **context):
    response = render(
        request, "public/article_detail.html", {"article": article, "preview": True, **context}
    )
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def preview(request, pk):
    """Any article as readers would see it, for staff allowed to open it: a published story
    with its pending update on (`?live` shows what readers see now)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.is_staff:
        raise Http404("No such article.")
    queryset = Article.objects.for_detail().visible_to(request.user)
    article = get_object_or_404(queryset, pk=pk)
    showing_update = article.has_pending_update and "live" not in request.GET
    if showing_update:
        article.show_pending_update()
    return _render_preview(request, article, showing_update=showing_update)


def shared_preview(request, pk, token):
    """An unpublished article shown through a signed, expiring, revocable link."""
    link = PreviewLink.resolve(pk, token)
    if link is None:
        raise Http404("This preview link is not valid.")
    article = get_object_or_404(Article.objects.for_detail(), pk=pk)
    article.show_pending_update()
    return _render_preview(request, article, preview_link=link)

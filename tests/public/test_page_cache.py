"""The page cache: anonymous pages served without SQL, purged exactly when what they show
changes, never for staff, previews or responses that set cookies."""

import os
import time
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from articles.models import Correction, Section
from articles.workflow import Status
from newsroom import page_cache
from newsroom.recent_pages import RecentPages, recent_pages
from tests.articles.conftest import drive_to, edit, public_url
from tests.factories import ArticleFactory, PersonFactory, StaffPersonFactory

pytestmark = pytest.mark.django_db

HOME = "/"


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE = True


@pytest.fixture
def stories(article_in):
    """Three published stories: two share a tag and an author, the third shares nothing with
    them (but the section)."""
    first, second = (article_in(Status.PUBLISHED) for _ in range(2))
    apart = article_in(Status.PUBLISHED, byline=StaffPersonFactory(name="Another Reporter"))
    first.tags.add("harbour")
    second.tags.add("harbour")
    apart.tags.add("weather")
    return first, second, apart


def served(client, url, **headers):
    return client.get(url, headers=headers)


def from_cache(response):
    return response.get("X-Page-Cache") == "hit"


def warm(client, *urls):
    for url in urls:
        assert served(client, url).status_code in {200, 410}
    assert all(from_cache(served(client, url)) for url in urls)


def test_a_cached_page_costs_no_sql_and_says_what_it_depends_on(
    client, stories, django_assert_num_queries
):
    first, _, _ = stories
    url = public_url(first)
    made = served(client, url)

    with django_assert_num_queries(0):
        again = served(client, url)

    assert made["X-Page-Cache"] == "miss"
    assert from_cache(again)
    assert again.content == made.content
    keys = again["Surrogate-Key"].split()
    assert {f"article:{first.pk}", "site"} <= set(keys)
    assert f"tag:{first.tags.get().pk}" in keys
    assert again["Cache-Tag"] == ",".join(keys)
    cache_control = again["Cache-Control"]
    assert "public" in cache_control
    assert f"s-maxage={settings.PAGE_CACHE_CDN_SECONDS}" in cache_control
    assert f"stale-while-revalidate={settings.PAGE_CACHE_STALE_SECONDS}" in cache_control


@pytest.mark.parametrize("cached", [False, True], ids=["rendered", "from cache"])
def test_revalidation_answers_304(client, stories, cached):
    url = public_url(stories[0])
    first = served(client, url)
    if cached:
        served(client, url)

    by_etag = served(client, url, if_none_match=first["ETag"])
    by_date = served(client, url, if_modified_since=first["Last-Modified"])
    changed = served(client, url, if_none_match='"something else"')

    assert by_etag.status_code == 304
    assert by_etag.content == b""
    assert by_date.status_code == 304
    assert changed.status_code == 200


def test_publishing_a_story_changes_the_lists_and_pages_it_is_on_only(
    client, editor, stories, article_in, committed
):
    first, second, apart = stories
    warm(client, HOME, public_url(first), public_url(second), public_url(apart))
    new = article_in(Status.APPROVED)
    new.tags.add("harbour")

    with committed():
        new.transition("publish", by=editor)

    assert new.headline in served(client, HOME).content.decode()
    assert not from_cache(served(client, public_url(first)))  # related stories may change
    assert not from_cache(served(client, public_url(second)))
    assert from_cache(served(client, public_url(apart)))


def test_a_published_update_changes_its_page_and_the_lists(client, editor, stories, committed):
    first, _, apart = stories
    warm(client, HOME, public_url(first), public_url(apart))

    with committed():
        edit(first, by=editor, headline="Harbour bridge reopens early")

    assert "Harbour bridge reopens early" in served(client, public_url(first)).content.decode()
    assert "Harbour bridge reopens early" in served(client, HOME).content.decode()
    assert from_cache(served(client, public_url(apart)))


def test_a_correction_changes_the_story_page(client, editor, stories, committed):
    first, _, apart = stories
    warm(client, public_url(first), public_url(apart))

    with committed():
        first.correct(by=editor, kind=Correction.Kind.CORRECTION, text="The span is 40 metres.")

    assert "The span is 40 metres." in served(client, public_url(first)).content.decode()
    assert from_cache(served(client, public_url(apart)))


def test_unpublishing_answers_410_at_once_and_leaves_the_lists(client, editor, stories, committed):
    first, _, apart = stories
    url = public_url(first)
    warm(client, HOME, url, public_url(apart))

    with committed():
        first.transition("unpublish", by=editor)

    assert served(client, url).status_code == 410
    assert first.headline not in served(client, HOME).content.decode()
    assert from_cache(served(client, public_url(apart)))


def test_a_live_story_given_an_expiry_time_already_past_leaves_at_once(client, stories, committed):
    first, _, apart = stories
    url = public_url(first)
    warm(client, HOME, url, public_url(apart))

    first.expires_at = timezone.now() - timedelta(minutes=1)
    with committed():
        first.save()  # a plain save: an expiry time changes without a transition

    assert served(client, url).status_code == 410
    assert first.headline not in served(client, HOME).content.decode()
    assert from_cache(served(client, public_url(apart)))


def test_a_deleted_story_leaves_its_pages_at_once(client, article_in, stories, committed):
    _, _, apart = stories
    with committed():  # its publication's purge remembers what its pages are
        story = article_in(Status.PUBLISHED, headline="Lighthouse to reopen")
        # Deleting a byline or a quote purges the story's pages too: leave the story's own
        # deletion to do it.
        story.bylines.all().delete()
        story.quotes.all().delete()
    url = public_url(story)
    warm(client, HOME, url, public_url(apart))

    with committed():
        story.delete()

    assert served(client, url).status_code == 404
    assert "Lighthouse to reopen" not in served(client, HOME).content.decode()
    assert from_cache(served(client, public_url(apart)))


def test_a_story_that_lost_a_tag_leaves_that_tags_pages(client, stories, committed):
    first, _, apart = stories
    with committed():
        first.tags.add("weather")  # now related to `apart`
    warm(client, public_url(apart))

    with committed():
        first.tags.remove("weather")

    assert not from_cache(served(client, public_url(apart)))


def test_a_byline_or_a_quote_saved_on_a_live_story_changes_its_page(client, stories, committed):
    first, _, apart = stories
    warm(client, public_url(first), public_url(apart))

    with committed():
        first.bylines.create(person=PersonFactory(name="Added Photographer"), role="photography")

    assert "Added Photographer" in served(client, public_url(first)).content.decode()
    assert from_cache(served(client, public_url(apart)))


def test_editing_a_person_or_a_section_changes_the_pages_that_show_them(
    client, editor, stories, committed
):
    first, _, apart = stories
    author = first.bylines.get().person
    warm(client, HOME, public_url(first), public_url(apart))

    with committed():
        author.name = "Renamed Reporter"
        author.save()

    assert "Renamed Reporter" in served(client, public_url(first)).content.decode()
    assert "Renamed Reporter" in served(client, HOME).content.decode()
    assert from_cache(served(client, public_url(apart)))

    with committed():
        Section.objects.filter(pk=apart.section_id).get().save()

    assert not from_cache(served(client, public_url(apart)))


def test_a_lost_version_counts_as_stale(client, stories):
    url = public_url(stories[0])
    warm(client, url)

    page_cache._cache().delete(f"page-cache:key:article:{stories[0].pk}")
    page_cache.purge({"unrelated:1"})  # any purge makes a kept page check its versions

    assert not from_cache(served(client, url))


def test_a_lost_purge_count_makes_every_page_check_its_versions(client, stories):
    url = public_url(stories[0])
    warm(client, url)

    page_cache._cache().delete("page-cache:purges")
    page_cache._cache().delete(f"page-cache:key:article:{stories[0].pk}")

    assert not from_cache(served(client, url))


def test_a_hit_reads_the_cache_once_until_a_purge(client, stories, monkeypatch):
    url = public_url(stories[0])
    warm(client, url)
    reads = reads_of(page_cache._cache(), monkeypatch)

    assert from_cache(served(client, url))
    assert len(reads) == 1
    page_cache.purge({"unrelated:1"})
    reads.clear()
    assert from_cache(served(client, url))  # checks its versions, then stamps itself fresh
    assert len(reads) == 2
    reads.clear()
    assert from_cache(served(client, url))
    assert len(reads) == 1


def reads_of(cache, monkeypatch):
    """The list the reads made of `cache` from outside it are appended to (the local-memory
    cache's get_many calls its own get, which is not another read)."""
    reads, depth = [], 0

    def counting(method):
        def wrapped(*args, **kwargs):
            nonlocal depth
            if not depth:
                reads.append(args)
            depth += 1
            try:
                return method(*args, **kwargs)
            finally:
                depth -= 1

        return wrapped

    for name in ("get", "get_many"):
        monkeypatch.setattr(cache, name, counting(getattr(cache, name)))
    return reads


def test_staff_are_never_served_from_the_cache_and_never_fill_it(client, editor, stories):
    url = public_url(stories[0])
    warm(client, url)
    client.force_login(editor)

    as_staff = served(client, url)
    client.logout()
    client.cookies.clear()
    page_cache._cache().clear()
    client.force_login(editor)
    served(client, url)
    client.logout()
    client.cookies.clear()
    anonymous = served(client, url)

    assert "X-Page-Cache" not in as_staff
    assert anonymous["X-Page-Cache"] == "miss"


def test_previews_are_private_and_never_cached(client, editor, article_in):
    draft = article_in(Status.DRAFT)
    client.force_login(editor)

    response = client.get(reverse("public:preview", args=[draft.pk]))

    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "X-Page-Cache" not in response


def middleware_around(view):
    return page_cache.PageCacheMiddleware(view)


def test_a_response_that_sets_a_cookie_is_not_kept():
    def view(request):
        response = page_cache.depends_on(HttpResponse("hello"), {"thing:1"})
        response.set_cookie("tracking", "1")
        return response

    middleware = middleware_around(view)
    middleware(RequestFactory().get("/cookie/"))

    assert "X-Page-Cache" not in middleware(RequestFactory().get("/cookie/"))


def test_a_page_made_while_its_data_was_purged_is_not_kept():
    def view(request):
        page_cache.purge({"thing:1"})  # a publication commits while the page is made
        return page_cache.depends_on(HttpResponse("old words"), {"thing:1"})

    middleware = middleware_around(view)
    middleware(RequestFactory().get("/race/"))

    assert middleware(RequestFactory().get("/race/"))["X-Page-Cache"] == "miss"


def test_a_view_that_did_not_say_what_it_shows_is_never_kept():
    middleware = middleware_around(lambda request: HttpResponse("unmarked"))
    middleware(RequestFactory().get("/unmarked/"))

    assert "X-Page-Cache" not in middleware(RequestFactory().get("/unmarked/"))


@pytest.fixture
def announced():
    """The keys of every purge announced to a CDN integration during the test."""
    purges = []

    def receiver(sender, keys, **kwargs):
        purges.append(keys)

    page_cache.pages_purged.connect(receiver)
    yield purges
    page_cache.pages_purged.disconnect(receiver)


def test_purges_are_announced_for_a_cdn(stories, editor, committed, announced):
    with committed():
        stories[0].transition("unpublish", by=editor)

    assert f"article:{stories[0].pk}" in announced[-1]
    assert "latest" in announced[-1]


def test_without_the_page_cache_nothing_is_purged(settings, stories, editor, committed, announced):
    settings.PAGE_CACHE = False
    settings.FRAGMENT_CACHE = False  # fragments keep the same keys' versions

    with committed():
        stories[0].transition("unpublish", by=editor)

    assert announced == []


def test_every_listing_of_a_new_story_changes_and_the_others_stay(
    client, editor, publish, author, sport, committed
):
    """Publish a News story on "harbour" by Rita: the pages listing it change at once; a
    Sport page, feed and a topic and author it does not touch are still served from cache."""
    older = publish(headline="Ferry timetable changes")
    older.tags.add("harbour")
    elsewhere = publish(section=sport, byline=StaffPersonFactory(slug="sam-sport"))
    elsewhere.tags.add("cricket")
    day = timezone.localdate()
    changes = [
        HOME,
        reverse("public:section", args=["news"]),
        reverse("public:tag", args=["harbour"]),
        reverse("public:author", args=[author.slug]),
        reverse("public:archive_day", args=[day.year, day.month, day.day]),
        reverse("public:archive_year", args=[day.year]),
        reverse("public:feed_site_rss"),
        reverse("public:feed_section_atom", args=["news"]),
        reverse("public:news_sitemap"),
        reverse("public:sitemap_index"),
        public_url(older),  # its related stories
    ]
    stays = [
        reverse("public:section", args=["sport"]),
        reverse("public:feed_section_rss", args=["sport"]),
        reverse("public:tag", args=["cricket"]),
        reverse("public:author", args=["sam-sport"]),
        reverse("public:corrections"),
        reverse("public:masthead"),
        public_url(elsewhere),
    ]
    warm(client, *changes, *stays)
    new = article_in_news(editor, author)

    with committed():
        new.transition("publish", by=editor)

    assert [url for url in changes if from_cache(served(client, url))] == []
    assert [url for url in stays if not from_cache(served(client, url))] == []
    assert new.headline in served(client, reverse("public:tag", args=["harbour"])).text


def article_in_news(editor, author):
    article = ArticleFactory(headline="Harbour dues rise", byline=author)
    article.tags.add("harbour")
    return drive_to(article, Status.APPROVED, by=editor)


@pytest.mark.parametrize("change", ["add", "clear"])
def test_linking_people_from_the_persons_side_changes_the_story_page(
    client, stories, committed, change
):
    first, _, apart = stories
    figure = PersonFactory(name="Harbour Master Figure", kind="public_figure")
    if change == "clear":
        with committed():
            figure.articles.add(first)
    warm(client, public_url(first), public_url(apart))

    with committed():
        if change == "add":
            figure.articles.add(first)
        else:
            figure.articles.clear()

    assert not from_cache(served(client, public_url(first)))
    assert from_cache(served(client, public_url(apart)))


def test_a_response_written_in_pieces_is_kept_and_served_in_one():
    def view(request):
        response = HttpResponse()
        for n in range(50):
            response.write(f"<item>{n}</item>")
        return page_cache.depends_on(response, {"thing:1"})

    middleware = middleware_around(view)
    middleware(RequestFactory().get("/feed/"))
    hit = middleware(RequestFactory().get("/feed/"))

    assert hit["X-Page-Cache"] == "hit"
    assert len(list(hit)) == 1
    assert hit.content.startswith(b"<item>0</item><item>1</item>")


#: The Redis backends: Django's own, and django-redis, which `CACHE_URL=redis://...` selects.
REDIS_BACKENDS = ["django.core.cache.backends.redis.RedisCache", "django_redis.cache.RedisCache"]


@pytest.fixture(params=REDIS_BACKENDS)
def redis_page_cache(request, settings):
    """The page cache in Redis (as in production), under a prefix of this test's own."""
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": request.param,
            "LOCATION": os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"),
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        },
    }
    settings.PAGE_CACHE_ALIAS = "pages"
    # Each hit reads Redis, unless a test keeps pages in the process (`recent` below).
    settings.PAGE_CACHE_LOCAL_ENTRIES = 0
    return page_cache._cache()


@pytest.fixture
def recent(redis_page_cache, settings):
    """Pages kept in this process's memory (newsroom/recent_pages.py), once it listens for
    purges."""
    settings.PAGE_CACHE_LOCAL_ENTRIES = 10
    pages = recent_pages(redis_page_cache, page_cache._PURGES)
    assert until(lambda: pages.listening)
    yield pages
    pages.stop()


def until(condition, seconds=5):
    """Whether `condition()` came true within `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


@pytest.mark.parametrize("kept_in_process", [False, True])
def test_in_redis_every_purge_ends_the_pages_kept_before_it(
    redis_page_cache, request, kept_in_process
):
    if kept_in_process:
        request.getfixturevalue("recent")
    versions = iter(range(1, 100))

    def view(request):
        return page_cache.depends_on(HttpResponse(f"version {next(versions)}"), {"thing:1"})

    middleware = middleware_around(view)
    pages = []
    for _ in range(3):
        page_cache.purge({"thing:1"})
        made, kept = (middleware(RequestFactory().get("/thing/")) for _ in range(2))
        pages.append((made.content, kept["X-Page-Cache"], kept.content))

    assert pages == [(f"version {n}".encode(), "hit", f"version {n}".encode()) for n in (1, 2, 3)]


def test_in_redis_a_purge_ends_exactly_the_pages_that_name_its_key(redis_page_cache, monkeypatch):
    words = {"thing:1": "first", "thing:2": "second"}

    def view(request):
        key = request.path.strip("/")
        return page_cache.depends_on(HttpResponse(words[key]), {key})

    middleware = middleware_around(view)
    for key in words:
        middleware(RequestFactory().get(f"/{key}/"))
    words["thing:1"] = "first, corrected"
    page_cache.purge({"thing:1"})
    reads = reads_of(redis_page_cache, monkeypatch)

    corrected = middleware(RequestFactory().get("/thing:1/"))
    kept = middleware(RequestFactory().get("/thing:2/"))  # checks its versions once after a purge
    again = middleware(RequestFactory().get("/thing:2/"))

    assert (corrected["X-Page-Cache"], corrected.content) == ("miss", b"first, corrected")
    assert (kept["X-Page-Cache"], kept.content) == ("hit", b"second")
    assert again["X-Page-Cache"] == "hit"
    # The purged page: its entry with the counters, its versions, the versions after the view;
    # the kept page: its entry and versions once, then its entry alone.
    assert len(reads) == 3 + 2 + 1


def numbered_pages():
    """A middleware around a view whose every page says how many it has made."""
    made = iter(range(1, 100))

    def view(request):
        return page_cache.depends_on(HttpResponse(f"page {next(made)}"), {"thing:1"})

    return middleware_around(view)


def test_a_process_serves_the_pages_it_kept_without_reading_redis_until_a_purge(
    recent, redis_page_cache, monkeypatch
):
    middleware = numbered_pages()
    middleware(RequestFactory().get("/thing/"))
    reads = reads_of(redis_page_cache, monkeypatch)

    kept = [middleware(RequestFactory().get("/thing/")) for _ in range(3)]
    reads_for_kept = len(reads)
    page_cache.purge({"thing:1"})
    after = middleware(RequestFactory().get("/thing/"))

    assert [(page["X-Page-Cache"], page.content) for page in kept] == [("hit", b"page 1")] * 3
    assert reads_for_kept == 0  # the page was kept in the process when made
    assert (after["X-Page-Cache"], after.content) == ("miss", b"page 2")


def test_a_purge_by_another_process_reaches_this_one_through_redis(
    recent, redis_page_cache, monkeypatch
):
    middleware = numbered_pages()
    middleware(RequestFactory().get("/thing/"))
    other_process = RecentPages(recent.location, recent.channel, recent.counter, size=10)
    try:
        with monkeypatch.context() as patched:
            patched.setattr(page_cache, "recent_pages", lambda cache, counter: other_process)
            page_cache.purge({"thing:1"})

        assert until(lambda: middleware(RequestFactory().get("/thing/")).content == b"page 2")
    finally:
        other_process.stop()


def test_while_no_purge_can_be_heard_every_hit_reads_redis(recent, redis_page_cache, monkeypatch):
    middleware = numbered_pages()
    middleware(RequestFactory().get("/thing/"))
    recent.stop()  # as when Redis went away: it stops listening and forgets its pages
    reads = reads_of(redis_page_cache, monkeypatch)

    hits = [middleware(RequestFactory().get("/thing/")) for _ in range(2)]

    assert [(page["X-Page-Cache"], page.content) for page in hits] == [("hit", b"page 1")] * 2
    assert len(reads) == 2

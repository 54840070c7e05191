"""Fragments of public pages (public/fragments.py): an article's page and each story card come
from the cache while nothing they show has changed, are the same bytes as a page rendered whole,
and change on the next request after any edit of what they show."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Correction, Section
from articles.workflow import Status
from newsroom import page_cache
from public import fragments, views
from tests.articles.conftest import drive_to, edit, public_url
from tests.factories import PersonFactory, PhotoFactory, StaffPersonFactory
from tests.public.test_page_cache import reads_of

pytestmark = pytest.mark.django_db

HOME = "/"
COUNTERS = ["page-cache:sequence", "page-cache:purges"]
CHROME = "public:site-chrome"


@pytest.fixture(autouse=True)
def fragments_on(settings):
    """Fragments on, the page cache off: every page is rendered, from fragments where it can."""
    settings.FRAGMENT_CACHE = True
    settings.PAGE_CACHE = False


@pytest.fixture
def stories(article_in):
    """Two published stories sharing a tag (so each is related to the other), with a photo."""
    photo = PhotoFactory(alt_text="The harbour wall", caption="The wall at dawn.")
    first = article_in(Status.PUBLISHED, lead_photo=photo, headline="Harbour wall holds")
    second = article_in(Status.PUBLISHED, headline="Ferry timetable changes")
    first.tags.add("harbour")
    second.tags.add("harbour")
    return first, second


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def rendered_whole(client, url, settings):
    """The page as made without fragments."""
    settings.FRAGMENT_CACHE = False
    try:
        return page(client, url)
    finally:
        settings.FRAGMENT_CACHE = True


def pages_of(first):
    return [
        HOME,
        public_url(first),
        reverse("public:section", args=[first.section.slug]),
        reverse("public:tag", args=["harbour"]),
    ]


def test_pages_from_fragments_are_the_pages_rendered_whole(client, stories, settings):
    for url in pages_of(stories[0]):
        made = page(client, url)
        assert page(client, url) == made == rendered_whole(client, url, settings)


def test_the_article_page_from_its_fragments_makes_no_query(
    client, stories, django_assert_num_queries
):
    url = public_url(stories[0])
    page(client, url)
    with django_assert_num_queries(0):
        page(client, url)


def test_the_article_page_from_its_fragments_reads_the_cache_once(client, stories, monkeypatch):
    url = public_url(stories[0])
    page(client, url)
    reads = reads_of(page_cache._cache(), monkeypatch)

    page(client, url)

    assert [names for names, *_ in reads] == [
        [f"fragment::article:{url}", f"fragment::article:{url}:fresh-at", CHROME, *COUNTERS]
    ]


def test_a_story_past_its_expiry_time_is_gone_though_its_page_is_kept(client, stories, monkeypatch):
    first, _ = stories
    first.expires_at = timezone.now() + timedelta(hours=1)
    first.save()
    url = public_url(first)
    page(client, url)
    assert client.get(url).status_code == 200

    # An hour later, before the scheduler takes it down: nothing was purged.
    later = timezone.now() + timedelta(hours=1, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert client.get(url).status_code == 410


def test_a_new_expiry_time_reaches_the_kept_page(client, stories, committed):
    first, _ = stories
    url = public_url(first)
    page(client, url)

    first.refresh_from_db()
    first.expires_at = timezone.now() - timedelta(minutes=1)
    with committed():
        first.save()

    assert client.get(url).status_code == 410


def test_a_list_from_the_cache_needs_no_query(client, stories):
    from tests.public.conftest import queries_for

    url = reverse("public:section", args=[stories[0].section.slug])
    page(client, url)
    found = queries_for(client, url)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(fragments, "started", lambda **_: None)
        made = queries_for(client, url)
    # The section itself; made whole, also the list's page, its count, the cards' bylines and
    # their renditions.
    assert (found, made) == (1, 5)


def shows(client, urls, text):
    return {url: text in page(client, url) for url in urls}


def test_a_published_update_changes_the_fragments(client, editor, stories, committed):
    first, second = stories
    urls = [*pages_of(first), public_url(second)]  # the second is related to the first
    shows(client, urls, "")

    with committed():
        edit(first, by=editor, headline="Harbour wall breached")

    assert all(shows(client, urls, "Harbour wall breached").values())


def test_a_correction_changes_the_story_page(client, editor, stories, committed):
    url = public_url(stories[0])
    page(client, url)

    with committed():
        stories[0].correct(by=editor, kind=Correction.Kind.CORRECTION, text="It is 40 metres.")

    assert "It is 40 metres." in page(client, url)


def test_a_byline_added_or_a_person_renamed_changes_the_fragments(client, stories, committed):
    first, _ = stories
    urls = pages_of(first)
    shows(client, urls, "")

    with committed():
        first.bylines.create(
            person=StaffPersonFactory(name="Added Photographer"), role="photography"
        )
    assert all(shows(client, urls, "Added Photographer").values())

    author = first.bylines.get(role="author").person
    with committed():
        author.name = "Renamed Reporter"
        author.save()
    assert all(shows(client, urls, "Renamed Reporter").values())


def test_a_person_in_the_story_renamed_changes_its_page(client, stories, committed):
    first, _ = stories
    person = PersonFactory(name="Mayor Ann", kind="public_figure")
    with committed():
        first.people.add(person)
    url = public_url(first)
    assert "Mayor Ann" in page(client, url)

    with committed():
        person.name = "Mayor Anne"
        person.save()

    assert "Mayor Anne" in page(client, url)


def test_a_photo_edited_changes_the_fragments(client, stories, committed):
    first, _ = stories
    urls = pages_of(first)
    shows(client, urls, "")

    with committed():
        first.lead_photo.alt_text = "The harbour wall, breached"
        first.lead_photo.save()

    assert all(shows(client, urls, "The harbour wall, breached").values())


def test_a_section_or_a_topic_renamed_changes_the_fragments(client, stories, committed):
    first, _ = stories
    urls = pages_of(first)[:3]
    shows(client, urls, "")

    with committed():
        section = Section.objects.get(pk=first.section_id)
        section.name = "Harbourside"
        section.save()
    assert all(shows(client, urls, "Harbourside").values())
    for url in urls:  # the header's navigation too
        navigation = page(client, url).partition('aria-label="Sections"')[2].partition("</nav>")[0]
        assert ">Harbourside</a>" in navigation

    with committed():
        tag = Tag.objects.get(slug="harbour")
        tag.name = "Harbour works"
        tag.save()
    assert "Harbour works" in page(client, public_url(first))


def test_a_related_story_taken_down_leaves_the_page(client, editor, stories, committed):
    first, second = stories
    url = public_url(first)
    assert second.headline in page(client, url)

    with committed():
        second.transition("unpublish", by=editor)

    assert second.headline not in page(client, url)


def test_a_fragment_made_while_what_it_shows_was_purged_is_not_kept(client, stories):
    first, _ = stories
    name = f"article:{public_url(first)}"
    parts = fragments.PageFragments(name)
    page_cache.purge({f"article:{first.pk}"})  # an edit committed while the page was made
    parts.made = {"content": "stale"}
    parts.keep({f"article:{first.pk}"}, subject=first.pk)

    assert not fragments.PageFragments(name).hit


def test_a_lost_version_counts_as_stale(client, stories):
    first, _ = stories
    url = public_url(first)
    page(client, url)
    assert fragments.PageFragments(f"article:{url}").hit

    page_cache._cache().delete(f"page-cache:key:article:{first.pk}")
    page_cache.purge({"unrelated:1"})  # any purge makes kept fragments check their versions

    assert not fragments.PageFragments(f"article:{url}").hit


def test_without_fragments_nothing_is_kept(client, stories, settings):
    settings.FRAGMENT_CACHE = False
    url = public_url(stories[0])
    page(client, url)

    assert not fragments.PageFragments(f"article:{url}").hit


def test_a_story_published_changes_a_listings_count_and_the_home_pages_rails(
    client, publish, stories, committed, monkeypatch
):
    first, second = stories
    monkeypatch.setattr(views.SectionView, "paginate_by", 1)
    monkeypatch.setattr(views.HomeView, "paginate_by", 1)
    section = reverse("public:section", args=[first.section.slug])
    assert "Page 1 of 2" in page(client, section)
    rails = page(client, HOME).partition('class="rail"')[2]
    assert first.headline in rails  # the second story is the lead
    assert second.headline not in rails

    with committed():
        third = publish(section=first.section, headline="Lighthouse to reopen")

    assert "Page 1 of 3" in page(client, section)
    rails = page(client, HOME).partition('class="rail"')[2]
    assert second.headline in rails  # the third story is the lead now
    assert third.headline not in rails


def test_a_story_published_then_unpublished_joins_and_leaves_the_kept_lists(
    client, draft, editor, author, stories, committed
):
    first, _ = stories
    lists = [
        HOME,
        reverse("public:section", args=[first.section.slug]),
        reverse("public:tag", args=["harbour"]),
        reverse("public:author", args=[author.slug]),
    ]
    story = draft(section=first.section, headline="Lighthouse to reopen")
    story.tags.add("harbour")
    assert shows(client, lists, "Lighthouse to reopen") == dict.fromkeys(lists, False)

    with committed():
        drive_to(story, Status.PUBLISHED, by=editor)
    published = shows(client, lists, "Lighthouse to reopen")
    with committed():
        story.transition("unpublish", by=editor)

    assert published == dict.fromkeys(lists, True)
    assert shows(client, lists, "Lighthouse to reopen") == dict.fromkeys(lists, False)


def test_a_topic_has_a_page_only_while_a_published_story_carries_it(
    client, editor, draft, committed
):
    url = reverse("public:tag", args=["secret-plans"])
    story = draft(Status.APPROVED)
    with committed():
        story.tags.add("secret-plans")
    assert client.get(url).status_code == 404

    with committed():
        story.transition("publish", by=editor)
    assert client.get(url).status_code == 200

    with committed():
        story.transition("unpublish", by=editor)
    assert client.get(url).status_code == 404


def test_a_list_reads_the_cache_twice_and_only_its_section_from_the_database(
    client, stories, monkeypatch, django_assert_num_queries
):
    section = reverse("public:section", args=[stories[0].section.slug])
    page(client, section)
    reads = reads_of(page_cache._cache(), monkeypatch)

    with django_assert_num_queries(1):  # the section; its stories' ids are kept
        page(client, section)

    count, ids = f"fragment::count:{section}", f"fragment::ids:{section}:1"
    assert [names for names, *_ in reads] == [
        [count, ids, f"{count}:fresh-at", f"{ids}:fresh-at", CHROME, *COUNTERS],
        [
            *(f"fragment::card:{story.pk}:card-h2" for story in reversed(stories)),
            *(f"fragment::card:{story.pk}:card-h2:fresh-at" for story in reversed(stories)),
            *COUNTERS,
        ],
    ]


def test_a_story_unpublished_since_it_was_listed_has_no_card(stories, editor, committed):
    first, second = stories
    with committed():
        second.transition("unpublish", by=editor)

    listed, _ = fragments.cards(
        [(first.pk, False, 2), (second.pk, False, 2)], started=fragments.started()
    )

    assert [card.pk if card else None for card in listed] == [first.pk, None]


def test_a_story_in_a_new_month_joins_the_year_s_months(client, publish, stories, committed):
    first, _ = stories
    year = timezone.localtime(first.first_published_at).year
    url = reverse("public:archive_year", args=[year])
    months = client.get(url).context["months"]
    assert months == [timezone.localtime(first.first_published_at).date().replace(day=1)]
    other_month = 1 if months[0].month != 1 else 2
    in_other_month = timezone.make_aware(timezone.datetime(year, other_month, 10, 12))

    with committed():
        publish(headline="Winter storm", first_published_at=in_other_month)

    assert len(client.get(url).context["months"]) == 2

"""The index follows every save and transition at once, holds the live text of a published
story, and never holds what readers may not find a story by."""

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from articles.models import Article, SearchEntry
from articles.search import index_articles, search
from articles.workflow import Status
from people.models import Person
from sourcing.confidential import CONFIDENTIAL_FIELDS
from sourcing.models import Quote
from tests.articles.conftest import take
from tests.factories import AnonymousSourceFactory, PersonFactory

pytestmark = pytest.mark.django_db


def public(text):
    return [hit.article.pk for hit in search(text, scope=Article.objects.published())[:50]]


def desk(text, user):
    return [hit.article.pk for hit in search(text, scope=Article.objects.visible_to(user))[:50]]


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what waits for the commit, as production does when the transaction ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_publish_edit_live_and_unpublish_show_at_once(make_story, editor, on_commit):
    story = make_story(status=Status.APPROVED, headline="Orchard harvest festival")
    assert public("orchard") == []
    assert desk("orchard", editor) == [story.pk]

    with on_commit():
        story.publish(by=editor)
    assert public("orchard") == [story.pk]

    story.headline = "Orchard harvest festival cancelled by flooding"
    with on_commit():
        story.save_edit(by=editor)
    story.refresh_from_db()
    assert story.has_pending_update
    assert public("flooding") == [], "a pending update is not what readers see"
    assert desk("flooding", editor) == []

    with on_commit():
        take(story, "publish_update", by=editor)
    assert public("flooding") == [story.pk]

    with on_commit():
        story.unpublish(by=editor)
    assert public("orchard") == []
    assert desk("orchard", editor) == [story.pk]


@pytest.mark.parametrize("status", [s for s in Status if s != Status.PUBLISHED])
def test_stories_not_published_never_reach_public_results(make_story, status, editor):
    story = make_story(status=status, headline="Secret quarry expansion plan")
    assert public("quarry") == []
    assert desk("quarry", editor) == [story.pk]


def test_desk_search_finds_only_what_the_user_may_open(
    make_story, reporter, other_reporter, editor
):
    own = make_story(status=Status.DRAFT, headline="Tannery draft", created_by=reporter)
    theirs = make_story(status=Status.DRAFT, headline="Tannery other", created_by=other_reporter)
    live = make_story(headline="Tannery live")
    assert sorted(desk("tannery", reporter)) == sorted([own.pk, live.pk])
    assert sorted(desk("tannery", editor)) == sorted([own.pk, theirs.pk, live.pk])


def test_an_edit_to_a_draft_is_found_after_commit(make_story, editor, on_commit):
    story = make_story(status=Status.DRAFT, headline="Plain headline")
    story.body = "<p>A new paragraph about the windmill.</p>"
    with on_commit():
        story.save_edit(by=editor)
    assert desk("windmill", editor) == [story.pk]


def test_a_rolled_back_change_is_not_indexed(make_story, editor, on_commit):
    story = make_story(headline="Granary roof")
    with on_commit(), pytest.raises(RuntimeError), transaction.atomic():
        Article.objects.get(pk=story.pk).bylines.all().delete()
        story.headline = "Granary roof collapses"
        story.save()
        raise RuntimeError("rolled back")
    assert public("collapses") == []
    with on_commit():
        story.refresh_from_db()
        story.tags.add("harvest")
    assert public("harvest") == [story.pk]


def test_one_transaction_indexes_each_story_once(make_story, on_commit, monkeypatch):
    story = make_story(headline="Mill pond")
    indexed = []
    monkeypatch.setattr("articles.search.index_articles", indexed.append)
    with on_commit(), transaction.atomic():
        story.tags.add("water", "mills")
        story.people.add(PersonFactory(name="Ada Pondkeeper"))
        story.save()
    assert indexed == [[story.pk]]


def test_tags_people_and_bylines_are_found_and_follow_renames(make_story, on_commit):
    figure = PersonFactory(name="Hortensia Vandermeer", kind=Person.Kind.PUBLIC_FIGURE)
    story = make_story(headline="Town hall debate")
    with on_commit():
        story.tags.add("civic budget")
        story.people.add(figure)
    assert public("budget") == [story.pk]
    assert public("Vandermeer") == [story.pk]

    writer = story.bylines.get().person
    writer.name = "Quillon Pennywhistle"
    with on_commit():
        writer.save()
    assert public("Pennywhistle") == [story.pk]


@pytest.mark.parametrize(
    "person",
    [
        {"kind": Person.Kind.PRIVATE_INDIVIDUAL},
        {"kind": Person.Kind.PUBLIC_FIGURE, "is_minor": True},
    ],
)
def test_people_readers_may_not_see_are_not_indexed(make_story, on_commit, person):
    story = make_story(headline="Neighbourhood dispute")
    with on_commit():
        story.people.add(PersonFactory(name="Zebulon Quickfoot", **person))
    assert public("Quickfoot") == []
    assert public("Zebulon Quikfoot") == []  # nor through a misspelling (PostgreSQL's fallback)
    assert "Quickfoot" not in str(SearchEntry.objects.filter(pk=story.pk).values().get())


def test_a_misspelt_name_of_someone_readers_may_see_finds_their_stories(make_story, on_commit):
    story = make_story(headline="Harbour board meets")
    make_story(headline="Unrelated story")
    with on_commit():
        story.people.add(PersonFactory(name="Zebulon Quickfoot", kind=Person.Kind.PUBLIC_FIGURE))
    expected = [story.pk] if connection.vendor == "postgresql" else []
    assert public("Zebulon Quikfoot") == expected


def test_confidential_source_fields_never_reach_the_index(make_story, editor):
    canaries = {field: f"canary{field.replace('_', '')}" for field in CONFIDENTIAL_FIELDS}
    source = AnonymousSourceFactory(**canaries)
    story = make_story(
        status=Status.DRAFT,
        headline="Bridge crew fears",
        body="<p>“The welds were never checked,” said a worker on the crew.</p>",
    )
    assert Quote.objects.filter(article=story).update(source=source) == 1
    call_command("rebuild_search_index", stdout=None, stderr=None)
    stored = str(list(SearchEntry.objects.values()))
    for canary in canaries.values():
        assert canary not in stored
        assert public(canary) == []
        assert desk(canary, editor) == []


def test_rebuild_writes_the_same_entries(make_story, capsys):
    stories = [make_story(headline=f"Canal lock {n}", days_ago=n) for n in range(3)]
    before = list(SearchEntry.objects.order_by("pk").values())
    SearchEntry.objects.all().delete()
    assert public("canal") == []

    call_command("rebuild_search_index")

    assert list(SearchEntry.objects.order_by("pk").values()) == before
    assert sorted(public("canal")) == sorted(story.pk for story in stories)
    captured = capsys.readouterr()
    assert "100% 3/3" in captured.err
    assert "Indexed 3 article(s)." in captured.out


def test_indexing_a_deleted_article_leaves_no_entry(make_story):
    story = make_story(headline="Gone soon")
    pk = story.pk
    Article.objects.filter(pk=pk).delete()
    index_articles([pk])
    assert not SearchEntry.objects.filter(pk=pk).exists()
    assert public("gone") == []


def test_indexing_costs_the_same_queries_for_few_or_many(make_story, django_assert_num_queries):
    stories = [make_story(headline=f"Ferry {n}") for n in range(6)]
    stories[0].tags.add("boats")
    # Savepoint, articles, tags, people, bylines, delete, insert, release; PostgreSQL also
    # writes the documents.
    with django_assert_num_queries(8 + (connection.vendor == "postgresql")) as few:
        index_articles([story.pk for story in stories[:2]])
    with django_assert_num_queries(len(few.captured_queries)):
        index_articles([story.pk for story in stories])

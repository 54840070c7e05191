"""Revision history: every save is kept, restoring makes a new revision and leaves the
workflow alone, and the history pages show only what the user may see."""

import pytest
from django.urls import reverse

from articles.models import WorkflowEvent
from articles.workflow import Status, TransitionRefused
from tests.factories import SectionFactory

pytestmark = pytest.mark.django_db


def history_url(article):
    return reverse("admin:articles_article_history", args=[article.pk])


def compare_url(article, revision):
    return reverse("admin:articles_article_simple_history", args=[article.pk, revision.pk])


def test_every_save_keeps_a_revision_with_who_made_it(reporter, editor, article_in):
    article = article_in(Status.DRAFT)
    article.headline = "Bridge reopens"
    article.save_edit(by=reporter)
    article.submit(by=reporter)
    article.approve(by=editor)

    revisions = list(article.history.order_by("history_id"))

    assert [r.version for r in revisions] == [1, 2, 3, 4]
    assert [r.history_user for r in revisions[1:]] == [reporter, reporter, editor]
    assert [r.status for r in revisions] == ["draft", "draft", "in_review", "approved"]
    assert revisions[1].headline == "Bridge reopens"


@pytest.mark.parametrize("state", [Status.DRAFT, Status.APPROVED, Status.PUBLISHED])
def test_restoring_makes_a_new_revision_and_keeps_the_state(editor, article_in, state):
    article = article_in(state)
    original = article.history.first()
    article.dateline = "EASTMERE"
    article.seo_title = "Bridge open again"
    article.save_edit(by=editor)
    events = article.events.count()

    article.restore_revision(original, by=editor)

    article.refresh_from_db()
    assert (article.dateline, article.seo_title) == ("", "")
    assert article.status == state
    assert article.events.count() == events
    latest = article.history.first()
    assert (latest.version, latest.history_user) == (article.version, editor)
    assert latest.history_change_reason.startswith("Restored the version of ")
    assert article.history.count() == article.version


def test_restoring_old_words_of_a_published_story_keeps_it_published(editor, article_in):
    article = article_in(Status.PUBLISHED)
    draft_revision = article.history.get(version=1)
    first_published_at = article.first_published_at
    article.headline = "A later headline"
    article.save_edit(by=editor)

    article.restore_revision(draft_revision, by=editor)

    article.refresh_from_db()
    assert article.headline == draft_revision.headline
    assert (article.status, article.first_published_at) == (Status.PUBLISHED, first_published_at)


def test_a_reporter_may_not_restore_once_the_story_left_draft(reporter, article_in):
    article = article_in(Status.IN_REVIEW)
    version = article.version

    with pytest.raises(TransitionRefused):
        article.restore_revision(article.history.last(), by=reporter)

    article.refresh_from_db()
    assert article.version == version


def test_the_compare_page_shows_a_readable_difference(client, editor, article_in):
    article = article_in(Status.DRAFT)
    original = article.history.first()
    article.headline = "Bridge reopens early"
    article.save_edit(by=editor)
    client.force_login(editor)

    page = client.get(compare_url(article, original)).content.decode()

    assert f'<del class="diff">{original.headline}</del>' in page
    assert '<ins class="diff">Bridge reopens early</ins>' in page
    assert "Restore this version" in page


def test_restoring_through_the_admin(client, editor, article_in):
    article = article_in(Status.APPROVED)
    original = article.history.first()
    article.dateline = "EASTMERE"
    article.save_edit(by=editor)
    client.force_login(editor)

    response = client.post(compare_url(article, original))

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.dateline, article.status) == ("", Status.APPROVED)


@pytest.mark.parametrize(
    ("viewer", "state", "sees", "may_restore"),
    [
        ("owner", Status.DRAFT, True, True),
        ("owner", Status.IN_REVIEW, True, False),
        ("other_reporter", Status.DRAFT, False, False),
        ("other_reporter", Status.APPROVED, False, False),
        ("factchecker", Status.FACT_CHECK, True, False),
        ("editor", Status.PUBLISHED, True, True),
    ],
)
def test_history_pages_respect_who_may_see_and_edit_the_story(
    client, users, article_in, viewer, state, sees, may_restore
):
    article = article_in(state)
    original = article.history.first()
    article.dateline = "EASTMERE"
    article.save_edit(by=users["editor"])
    client.force_login(users[viewer])

    listing = client.get(history_url(article))
    compare = client.get(compare_url(article, original))
    restore = client.post(compare_url(article, original))

    if sees:
        assert (listing.status_code, compare.status_code) == (200, 200)
        assert ("Restore this version" in compare.content.decode()) is may_restore
    else:
        assert listing.status_code in (403, 404)
        assert compare.status_code == 404
        assert restore.status_code == 404
    article.refresh_from_db()
    assert (article.dateline == "") is may_restore
    assert article.status == state


def test_the_audit_log_lists_only_visible_stories(client, users, article_in):
    article = article_in(Status.IN_REVIEW)
    article.request_changes(by=users["editor"], comment="Needs a second source.")

    client.force_login(users["other_reporter"])
    theirs = client.get(reverse("admin:articles_workflowevent_changelist"))
    client.force_login(users["owner"])
    mine = client.get(reverse("admin:articles_workflowevent_changelist"))

    events = set(WorkflowEvent.objects.filter(article=article))
    assert not events & set(theirs.context["cl"].result_list)
    assert events == set(mine.context["cl"].result_list)


def test_the_compare_page_names_sections_rather_than_numbering_them(client, editor, article_in):
    article = article_in(Status.DRAFT)
    original = article.history.first()
    article.section = SectionFactory(name="Harbour Life", slug="harbour-life")
    article.save_edit(by=editor)
    client.force_login(editor)

    page = client.get(compare_url(article, original)).content.decode()

    assert '<del class="diff">News</del>' in page
    assert '<ins class="diff">Harbour Life</ins>' in page


def test_restoring_leaves_out_a_slug_another_story_has_taken_since(editor, reporter, article_in):
    article = article_in(Status.DRAFT)
    original = article.history.first()
    article.slug = "bridge-reopens"
    article.save_edit(by=editor)
    article_in(Status.DRAFT, slug=original.slug, headline="Another story")

    article.restore_revision(original, by=editor)

    article.refresh_from_db()
    assert article.slug == "bridge-reopens"
    assert article.headline == original.headline

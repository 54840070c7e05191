"""Editing a story: who may, re-approval after approved words change, and when readers are
told a published story was updated."""

import pytest

from articles.workflow import Status, TransitionRefused

from .conftest import ROLES, edit, take

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("state", list(Status))
@pytest.mark.parametrize("role", ROLES)
def test_who_may_edit(users, article_in, role, state):
    """Reporters edit only their own drafts; editors anything; fact-checkers nothing."""
    article = article_in(state)
    allowed = role in ("editor", "standards") or (role == "owner" and state == Status.DRAFT)
    article.dateline = "EASTMERE"

    if allowed:
        article.save_edit(by=users[role])
        article.refresh_from_db()
        article.show_pending_update()
        assert article.dateline == "EASTMERE"
    else:
        with pytest.raises(TransitionRefused):
            article.save_edit(by=users[role])
        article.refresh_from_db()
        assert article.dateline == ""


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("headline", "Harbour bridge reopens a week early"),
        ("dek", "Traffic returns sooner than the council planned."),
        ("body", "<p>The bridge reopened a week earlier than planned.</p>"),
    ],
)
@pytest.mark.parametrize("state", [Status.APPROVED, Status.SCHEDULED])
def test_changing_approved_words_sends_the_story_back_to_review(
    editor, article_in, state, field, value
):
    article = article_in(state)
    version = article.version
    setattr(article, field, value)

    article.save_edit(by=editor)

    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
    assert article.version == version + 1
    reopened = article.events.last()
    assert (reopened.action, reopened.actor, reopened.from_status) == ("reopen", editor, state)
    assert reopened.comment == f"{field.capitalize()} changed after approval; needs review again."


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("dateline", "EASTMERE"),
        ("seo_title", "Bridge reopens"),
        ("seo_description", "The bridge is open again."),
        ("desk_notes", "Check the toll with the council."),
        ("slug", "bridge-reopens"),
    ],
)
@pytest.mark.parametrize("state", [Status.APPROVED, Status.SCHEDULED])
def test_other_changes_keep_the_approval(editor, article_in, state, field, value):
    article = article_in(state)
    events = article.events.count()
    setattr(article, field, value)

    article.save_edit(by=editor)

    article.refresh_from_db()
    assert article.status == state
    assert getattr(article, field) == value
    assert article.events.count() == events


@pytest.mark.parametrize(
    ("meaningful", "moves"), [(True, True), (False, False)], ids=["meaningful", "ordinary"]
)
def test_only_a_meaningful_update_moves_the_updated_time(editor, article_in, meaningful, moves):
    article = article_in(Status.PUBLISHED)
    before = article.updated_at
    body = "<p>The bridge reopened on Monday, eight months after it closed.</p>"

    edit(article, by=editor, meaningful_update=meaningful, body=body)

    article.refresh_from_db()
    assert article.body == body
    assert article.status == Status.PUBLISHED
    assert (article.updated_at != before) is moves
    assert article.shows_update is moves


def test_edits_to_a_story_in_review_stay_in_review(editor, article_in):
    article = article_in(Status.IN_REVIEW)
    article.headline = "A sharper headline"

    article.save_edit(by=editor)

    assert article.status == Status.IN_REVIEW
    assert not article.events.filter(action="reopen").exists()


def test_a_reopened_story_goes_through_review_again(editor, article_in):
    article = article_in(Status.APPROVED)
    article.dek = "A new dek."
    article.save_edit(by=editor)

    with pytest.raises(TransitionRefused):
        take(article, "publish", by=editor)
    take(article, "approve", by=editor)
    take(article, "publish", by=editor)

    assert article.status == Status.PUBLISHED

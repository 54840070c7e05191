"""Comments on drafts: who may comment, threads, anchors, resolving, blocking comments in the
workflow, and @mentions emailed once after commit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from articles.workflow import PublishBlocked, Status
from planning.models import Comment, Mention
from planning.notifications import send_mention_emails
from tests.articles.conftest import ROLES
from tests.conftest import run_tasks

pytestmark = pytest.mark.django_db


def comments_url(article):
    return reverse("admin:planning_comment_article", args=[article.pk])


#: Who may comment on the reporter's draft: everyone who may open it.
MAY_COMMENT_ON_DRAFT = {"owner", "editor", "factchecker", "standards"}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_comment_on_a_draft(client, users, article_in, role):
    article = article_in(Status.DRAFT)
    client.force_login(users[role])

    page = client.get(comments_url(article))
    posted = client.post(comments_url(article), {"text": "Check the date of the reopening."})

    if role in MAY_COMMENT_ON_DRAFT:
        assert page.status_code == 200
        assert posted.status_code == 302
        assert article.desk_comments.get().author == users[role]
    else:
        assert (page.status_code, posted.status_code) == (404, 404)
        assert not article.desk_comments.exists()


@pytest.mark.parametrize(
    ("role", "may"),
    [("owner", False), ("editor", True), ("factchecker", True), ("standards", True)],
)
def test_only_editors_checkers_and_standards_block(users, article_in, role, may):
    article = article_in(Status.DRAFT)

    if may:
        assert Comment.post(article=article, by=users[role], text="Hold.", blocking=True).blocking
    else:
        with pytest.raises(PermissionDenied):
            Comment.post(article=article, by=users[role], text="Hold.", blocking=True)
        assert not article.desk_comments.exists()


@pytest.mark.parametrize("text", ["", "   \n "])
def test_an_empty_comment_is_refused(editor, article_in, text):
    article = article_in(Status.DRAFT)

    with pytest.raises(ValidationError):
        Comment.post(article=article, by=editor, text=text)


def test_an_empty_posted_comment_changes_nothing(client, editor, article_in):
    article = article_in(Status.DRAFT)
    client.force_login(editor)

    response = client.post(comments_url(article), {"text": ""})

    assert response.status_code == 200
    assert "The comment was not added." in response.content.decode()
    assert not article.desk_comments.exists()


def test_a_comment_anchored_to_a_passage_of_the_story(editor, article_in):
    article = article_in(Status.DRAFT)

    comment = Comment.post(
        article=article, by=editor, text="Which Monday?", anchor="  reopened on   Monday morning"
    )

    assert comment.anchor == "reopened on Monday morning"
    assert comment.anchor_found
    with pytest.raises(ValidationError, match="not in the story"):
        Comment.post(article=article, by=editor, text="?", anchor="closed on Tuesday")


def test_a_reply_joins_the_thread_and_cannot_block(editor, factchecker, article_in):
    article = article_in(Status.DRAFT)
    root = Comment.post(article=article, by=editor, text="Source for the cost?")
    reply = Comment.post(article=article, by=factchecker, text="Council minutes.", parent=root)
    nested = Comment.post(article=article, by=editor, text="Thanks.", parent=reply, blocking=True)

    assert (reply.parent, nested.parent, nested.blocking) == (root, root, False)


def test_a_reply_to_another_storys_comment_is_refused(editor, article_in):
    article, other = article_in(Status.DRAFT), article_in(Status.DRAFT)
    root = Comment.post(article=other, by=editor, text="Elsewhere.")

    with pytest.raises(ValidationError):
        Comment.post(article=article, by=editor, text="Reply.", parent=root)


@pytest.mark.parametrize(
    ("role", "may"),
    [("factchecker", True), ("editor", True), ("standards", True), ("owner", False)],
    ids=["its-author", "editor", "standards", "reporter"],
)
def test_who_may_resolve(users, article_in, role, may):
    article = article_in(Status.DRAFT)
    comment = Comment.post(article=article, by=users["factchecker"], text="Hold.", blocking=True)

    if may:
        comment.resolve(by=users[role])
        assert (comment.is_resolved, comment.resolved_by) == (True, users[role])
    else:
        with pytest.raises(PermissionDenied):
            comment.resolve(by=users[role])
        comment.refresh_from_db()
        assert not comment.is_resolved


def test_resolving_and_reopening_through_the_page(client, editor, article_in):
    article = article_in(Status.DRAFT)
    comment = Comment.post(article=article, by=editor, text="Hold.", blocking=True)
    client.force_login(editor)
    url = reverse("admin:planning_comment_resolve", args=[comment.pk])

    client.post(url)
    comment.refresh_from_db()
    assert comment.is_resolved

    client.post(url, {"reopen": "1"})
    comment.refresh_from_db()
    assert not comment.is_resolved


def test_resolving_a_comment_on_a_story_the_user_may_not_open_is_404(
    client, other_reporter, editor, article_in
):
    article = article_in(Status.DRAFT)
    comment = Comment.post(article=article, by=editor, text="Hold.")
    client.force_login(other_reporter)

    response = client.post(reverse("admin:planning_comment_resolve", args=[comment.pk]))

    assert response.status_code == 404
    comment.refresh_from_db()
    assert not comment.is_resolved


# Blocking comments in the workflow.


def test_a_blocking_comment_holds_back_approval_until_resolved(editor, factchecker, article_in):
    article = article_in(Status.IN_REVIEW)
    comment = Comment.post(
        article=article, by=factchecker, text="The cost figure is wrong.", blocking=True
    )

    with pytest.raises(PublishBlocked, match="marked a comment as blocking"):
        article.approve(by=editor)
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW

    comment.resolve(by=factchecker)
    article.approve(by=editor)
    assert article.status == Status.APPROVED


def test_a_blocking_comment_added_after_approval_holds_back_publication(editor, article_in):
    article = article_in(Status.APPROVED)
    Comment.post(article=article, by=editor, text="Legal must read this.", blocking=True)

    with pytest.raises(PublishBlocked, match="blocking"):
        article.publish(by=editor)
    with pytest.raises(PublishBlocked, match="blocking"):
        article.transition("schedule", by=editor, publish_at=article.created_at.replace(year=2099))
    article.refresh_from_db()
    assert article.status == Status.APPROVED


def test_a_resolved_or_non_blocking_comment_holds_nothing_back(editor, article_in):
    article = article_in(Status.IN_REVIEW)
    Comment.post(article=article, by=editor, text="Nice.")
    Comment.post(article=article, by=editor, text="Hold.", blocking=True).resolve(by=editor)

    article.approve(by=editor)
    article.publish(by=editor)

    assert article.status == Status.PUBLISHED


def test_the_workflow_panel_links_to_the_comments(client, editor, article_in):
    article = article_in(Status.IN_REVIEW)
    Comment.post(article=article, by=editor, text="Hold.", blocking=True)
    client.force_login(editor)

    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()

    assert f'href="{comments_url(article)}"' in page
    assert "1 open" in page
    assert "marked a comment as blocking" in page


# Mentions.


def test_a_mention_is_emailed_once_after_commit(
    editor, factchecker, reporter, article_in, mailoutbox, django_capture_on_commit_callbacks
):
    article = article_in(Status.DRAFT)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        comment = Comment.post(
            article=article,
            by=editor,
            text=f"@{factchecker.username} please check; @{reporter.username}. @nobody",
        )
    assert run_tasks() == 0  # nothing is queued before the comment commits
    for callback in callbacks:
        callback()
    run_tasks()
    send_mention_emails.call(comment.pk)  # the task run again sends nothing more

    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        [factchecker.email, reporter.email]
    )
    assert all(comment.text in message.body for message in mailoutbox)
    assert all(article.headline in message.subject for message in mailoutbox)
    assert Mention.objects.filter(emailed_at__isnull=False).count() == 2


def test_a_rolled_back_comment_emails_nobody(
    editor, factchecker, article_in, mailoutbox, django_capture_on_commit_callbacks
):
    article = article_in(Status.DRAFT)

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        Comment.post(article=article, by=editor, text=f"@{factchecker.username} look")
        raise RuntimeError("rolled back")
    run_tasks()

    assert mailoutbox == []
    assert not Mention.objects.exists()


def test_nobody_is_mentioned_who_may_not_open_the_story_nor_the_author(
    editor, other_reporter, article_in, mailoutbox, django_capture_on_commit_callbacks
):
    article = article_in(Status.DRAFT)

    with django_capture_on_commit_callbacks(execute=True):
        Comment.post(
            article=article,
            by=editor,
            text=f"@{other_reporter.username} @{editor.username} see this",
        )
    run_tasks()

    assert mailoutbox == []
    assert not Mention.objects.exists()


def test_mentions_are_in_my_work_until_resolved(client, editor, reporter, article_in):
    article = article_in(Status.DRAFT)
    comment = Comment.post(article=article, by=editor, text=f"@{reporter.username} add a photo")
    client.force_login(reporter)

    page = client.get(reverse("my_work")).content.decode()
    assert "add a photo" in page
    assert f"{comments_url(article)}#comment-{comment.pk}" in page

    comment.resolve(by=editor)
    assert "add a photo" not in client.get(reverse("my_work")).content.decode()


def test_the_comments_page_queries_do_not_grow_with_comments(
    client, editor, factchecker, article_in, django_assert_max_num_queries
):
    article = article_in(Status.DRAFT)
    client.force_login(editor)
    for n in range(6):
        root = Comment.post(
            article=article, by=editor, text=f"Point {n}.", anchor="reopened on Monday"
        )
        Comment.post(article=article, by=factchecker, text=f"Reply {n}.", parent=root)

    with django_assert_max_num_queries(12):
        page = client.get(comments_url(article))

    assert page.content.decode().count('class="comment-reply"') == 6


def test_the_comments_changelist_lists_only_stories_the_user_may_open(
    client, editor, other_reporter, article_in
):
    article = article_in(Status.DRAFT)
    Comment.post(article=article, by=editor, text="Secret remark about the draft.")
    client.force_login(other_reporter)

    page = client.get(reverse("admin:planning_comment_changelist")).content.decode()

    assert "0 comments" in page
    assert article.headline not in page

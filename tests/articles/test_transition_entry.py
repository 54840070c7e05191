"""`Article.transition()` is the only way a status changes, and `article_transitioned` is sent
once for each transition that commits, never for one that rolls back.

These tests commit for real (`transaction=True`), so on-commit hooks run as they do in
production, on SQLite and on PostgreSQL alike.
"""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from articles.extensions import article_transitioned
from articles.models import Article, Byline
from articles.workflow import Action, PublishBlocked, Status, TransitionRefused, WorkflowError
from tests.factories import ArticleFactory

from .conftest import drive_to

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def heard():
    """Every `article_transitioned` sent while the test runs, as (article id, action, by, event
    action) tuples."""
    calls = []

    def listener(sender, article, action, by, event, **kwargs):
        calls.append((article.pk, action, by, event.action))

    article_transitioned.connect(listener, dispatch_uid="test-listener")
    yield calls
    article_transitioned.disconnect(dispatch_uid="test-listener")


def test_each_committed_transition_is_announced_once(heard, editor):
    article = ArticleFactory()

    article.submit(by=editor)
    article.approve(by=editor)
    article.publish(by=editor)

    assert heard == [
        (article.pk, Action.SUBMIT, editor, Action.SUBMIT),
        (article.pk, Action.APPROVE, editor, Action.APPROVE),
        (article.pk, Action.PUBLISH, editor, Action.PUBLISH),
    ]


def test_a_transition_rolled_back_by_its_caller_is_never_announced(heard, editor):
    article = ArticleFactory()

    with pytest.raises(RuntimeError), transaction.atomic():
        article.submit(by=editor)
        raise RuntimeError("the caller's work failed after the transition")

    assert heard == []
    assert Article.objects.get(pk=article.pk).status == Status.DRAFT


def test_refused_and_blocked_transitions_are_not_announced(heard, editor, reporter):
    article = drive_to(ArticleFactory(), Status.APPROVED, by=editor)
    Byline.objects.filter(article=article).delete()
    heard.clear()

    with pytest.raises(TransitionRefused):
        article.publish(by=reporter)
    with pytest.raises(PublishBlocked):
        article.publish(by=editor)

    assert heard == []


def test_a_scheduled_publish_the_gate_refuses_is_announced_as_the_failure_only(heard, editor):
    article = drive_to(ArticleFactory(), Status.APPROVED, by=editor)
    article.schedule(by=editor, publish_at=timezone.now() + timedelta(hours=1))
    Byline.objects.filter(article=article).delete()
    Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    heard.clear()

    event = Article.publish_if_due(article.pk)

    assert event.action == Action.SCHEDULE_FAILED
    assert heard == [(article.pk, Action.SCHEDULE_FAILED, None, Action.SCHEDULE_FAILED)]
    assert Article.objects.get(pk=article.pk).first_published_at is None


def test_an_edit_that_reopens_a_story_is_announced_once(heard, editor):
    article = drive_to(ArticleFactory(), Status.APPROVED, by=editor)
    heard.clear()
    article.headline = "A new headline after approval"

    article.save_edit(by=editor)

    assert heard == [(article.pk, Action.REOPEN, editor, Action.REOPEN)]


# Nothing else can change the status.


def test_saving_a_changed_status_is_refused(editor):
    article = ArticleFactory()
    article.status = Status.PUBLISHED

    with pytest.raises(WorkflowError, match=r"only through Article\.transition"):
        article.save()

    assert Article.objects.get(pk=article.pk).status == Status.DRAFT


def test_creating_an_article_past_draft_is_refused(editor):
    with pytest.raises(WorkflowError, match=r"only through Article\.transition"):
        ArticleFactory(status=Status.PUBLISHED)

    assert not Article.objects.exists()


def test_queryset_writes_of_the_status_are_refused(editor):
    article = ArticleFactory()
    article.status = Status.PUBLISHED

    with pytest.raises(WorkflowError):
        Article.objects.filter(pk=article.pk).update(status=Status.PUBLISHED)
    with pytest.raises(WorkflowError):
        Article.objects.bulk_update([article], ["status"])

    assert Article.objects.get(pk=article.pk).status == Status.DRAFT


def test_system_transitions_cannot_be_taken_by_hand(editor):
    article = drive_to(ArticleFactory(), Status.APPROVED, by=editor)

    for action in (Action.REOPEN, Action.PUBLISH_SCHEDULED, Action.SCHEDULE_FAILED):
        with pytest.raises(TransitionRefused, match="happens automatically"):
            article.transition(action, by=editor)

    assert Article.objects.get(pk=article.pk).status == Status.APPROVED


def test_a_transition_refuses_inputs_its_row_does_not_take(editor):
    article = ArticleFactory()

    with pytest.raises(TypeError, match="publish_at"):
        article.transition(Action.SUBMIT, by=editor, publish_at=timezone.now())


def test_a_transition_without_the_inputs_its_row_asks_for_is_refused(editor):
    article = drive_to(ArticleFactory(), Status.PUBLISHED, by=editor)

    with pytest.raises(TransitionRefused) as refusal:
        article.transition(Action.CORRECT, by=editor, correction_text="  ")

    assert refusal.value.reasons == [
        "Choose the kind of correction.",
        "Write the correction readers will see.",
    ]
    assert not article.corrections.exists()

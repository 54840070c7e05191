"""Scheduled publishing: by the task worker or by `manage.py publish_due`, with the publish gate
run again at the scheduled time."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Article, Byline
from articles.tasks import publish_scheduled_article
from articles.workflow import Status, TransitionRefused
from tests.conftest import run_tasks

pytestmark = pytest.mark.django_db


def publish_tasks():
    return DBTaskResult.objects.filter(task_path=publish_scheduled_article.module_path)


def time_comes(*articles):
    """Move the articles' scheduled time, and their publish tasks, into the past."""
    past = timezone.now() - timedelta(seconds=1)
    Article.objects.filter(pk__in=[a.pk for a in articles]).update(publish_at=past)
    publish_tasks().update(run_after=past)


@pytest.mark.parametrize("offset", [timedelta(0), timedelta(minutes=-5)], ids=["now", "past"])
def test_a_time_that_is_not_in_the_future_is_refused(editor, article_in, offset):
    article = article_in(Status.APPROVED)

    with pytest.raises(TransitionRefused, match="in the future"):
        article.schedule(by=editor, publish_at=timezone.now() + offset)

    article.refresh_from_db()
    assert (article.status, article.publish_at) == (Status.APPROVED, None)
    assert not publish_tasks().exists()


def test_scheduling_enqueues_a_publish_for_that_time(editor, article_in):
    article = article_in(Status.APPROVED)
    when = timezone.now() + timedelta(hours=3)

    article.schedule(by=editor, publish_at=when)

    task = publish_tasks().get()
    assert task.run_after == when
    assert task.args_kwargs["args"] == [article.pk]
    assert article.publish_at == when


def test_the_worker_publishes_at_the_time_and_not_before(editor, article_in):
    article = article_in(Status.SCHEDULED)

    run_tasks()
    article.refresh_from_db()
    assert article.status == Status.SCHEDULED

    time_comes(article)
    run_tasks()

    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.first_published_at is not None
    event = article.events.last()
    assert (event.action, event.actor, event.from_status) == (
        "publish_scheduled",
        None,
        Status.SCHEDULED,
    )


def test_the_earlier_task_of_a_rescheduled_story_does_not_publish_it_early(editor, article_in):
    article = article_in(Status.SCHEDULED)
    article.unschedule(by=editor)
    later = timezone.now() + timedelta(days=3)
    article.schedule(by=editor, publish_at=later)

    publish_tasks().update(run_after=timezone.now() - timedelta(seconds=1))
    run_tasks()

    article.refresh_from_db()
    assert (article.status, article.publish_at) == (Status.SCHEDULED, later)


def test_a_story_whose_checks_fail_at_its_time_goes_back_to_approved_and_its_scheduler_is_told(
    editor, standards, article_in, mailoutbox, django_capture_on_commit_callbacks
):
    article = article_in(Status.APPROVED)
    article.schedule(by=standards, publish_at=timezone.now() + timedelta(hours=1))
    Byline.objects.filter(article=article).delete()
    time_comes(article)

    with django_capture_on_commit_callbacks(execute=True):
        run_tasks()
    run_tasks()  # the notification queued when the publish task committed

    article.refresh_from_db()
    assert (article.status, article.publish_at, article.first_published_at) == (
        Status.APPROVED,
        None,
        None,
    )
    failed = article.events.last()
    assert (failed.action, failed.from_status, failed.to_status) == (
        "schedule_failed",
        Status.SCHEDULED,
        Status.APPROVED,
    )
    assert "Add at least one byline." in failed.comment
    assert [message.to for message in mailoutbox] == [[standards.email]]
    assert "FAILED" in mailoutbox[0].subject
    assert "Add at least one byline." in mailoutbox[0].body


def test_publish_due_publishes_what_is_due_and_reports_failures(editor, article_in):
    due = article_in(Status.SCHEDULED)
    failing = article_in(Status.SCHEDULED)
    not_yet = article_in(Status.SCHEDULED)
    Byline.objects.filter(article=failing).delete()
    Article.objects.filter(pk__in=[due.pk, failing.pk]).update(
        publish_at=timezone.now() - timedelta(seconds=1)
    )
    out, err = StringIO(), StringIO()

    call_command("publish_due", stdout=out, stderr=err)

    assert out.getvalue() == "Published 1 article(s); 1 failed the publish checks.\n"
    assert err.getvalue().startswith(f"Article #{failing.pk} was not published: ")
    assert "Add at least one byline." in err.getvalue()
    statuses = dict(Article.objects.values_list("pk", "status"))
    assert statuses == {
        due.pk: Status.PUBLISHED,
        failing.pk: Status.APPROVED,
        not_yet.pk: Status.SCHEDULED,
    }


def test_publish_due_twice_publishes_once(article_in):
    article = article_in(Status.SCHEDULED)
    time_comes(article)

    call_command("publish_due", stdout=StringIO())
    second = StringIO()
    call_command("publish_due", stdout=second)
    run_tasks()

    assert second.getvalue() == "Published 0 article(s); 0 failed the publish checks.\n"
    assert article.events.filter(to_status=Status.PUBLISHED).count() == 1


def test_a_republished_story_keeps_its_first_publication_time(editor, article_in):
    article = article_in(Status.UNPUBLISHED)
    first = article.first_published_at

    article.publish(by=editor)

    assert article.first_published_at == first


def _unschedule(article, editor):
    article.unschedule(by=editor)


def _send_back(article, editor):
    article.request_changes(by=editor, comment="Hold it.")


def _rewrite(article, editor):
    article.headline = "A rewritten headline"
    article.save_edit(by=editor)


@pytest.mark.parametrize(
    ("leave", "left_in"),
    [
        (_unschedule, Status.APPROVED),
        (_send_back, Status.DRAFT),
        (_rewrite, Status.IN_REVIEW),
    ],
)
def test_a_story_taken_off_the_schedule_is_not_published_and_shows_no_time(
    editor, article_in, leave, left_in
):
    article = article_in(Status.SCHEDULED)

    leave(article, editor)
    publish_tasks().update(run_after=timezone.now() - timedelta(seconds=1))
    run_tasks()

    article.refresh_from_db()
    assert (article.status, article.publish_at) == (left_in, None)
    assert not article.events.filter(to_status=Status.PUBLISHED).exists()


def test_a_story_published_on_schedule_keeps_its_scheduled_time(article_in):
    article = article_in(Status.SCHEDULED)
    time_comes(article)
    when = Article.objects.get(pk=article.pk).publish_at

    Article.publish_if_due(article.pk)

    article.refresh_from_db()
    assert (article.status, article.publish_at) == (Status.PUBLISHED, when)

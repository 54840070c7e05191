"""Racing writers, in real threads on real transactions: publishing happens once, and of two
saves made from the same version exactly one lands.

Each thread has its own database connection, which it closes when done.
"""

import re
import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from articles.models import Article, WorkflowEvent
from articles.tasks import publish_scheduled_article
from articles.workflow import StaleEdit, Status, TransitionRefused
from tests.factories import ArticleFactory

from .conftest import drive_to

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_at_once(*functions):
    """Start each function in its own thread at the same moment; return what each returned
    or raised, in order."""
    barrier = threading.Barrier(len(functions))
    outcomes = [None] * len(functions)

    def run(index, function):
        try:
            barrier.wait()
            outcomes[index] = function()
        except Exception as error:  # the test inspects it
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return outcomes


def test_two_concurrent_publishes_publish_once(article_in, editor, standards):
    article = article_in(Status.APPROVED)
    copies = [Article.objects.get(pk=article.pk) for _ in range(2)]

    outcomes = run_at_once(
        lambda: copies[0].publish(by=editor), lambda: copies[1].publish(by=standards)
    )

    events = [outcome for outcome in outcomes if isinstance(outcome, WorkflowEvent)]
    refusals = [outcome for outcome in outcomes if isinstance(outcome, TransitionRefused)]
    assert (len(events), len(refusals)) == (1, 1), outcomes
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert list(article.events.filter(action="publish")) == events
    assert article.history.count() == article.version


def test_two_workers_and_publish_due_publish_each_due_article_once(
    monkeypatch, reporter_person, reporter, editor
):
    # The worker installs signal handlers, which Python allows only in the main thread.
    monkeypatch.setattr(Worker, "configure_signals", lambda worker: None)
    with transaction.atomic():
        scheduled = [
            drive_to(
                ArticleFactory(created_by=reporter, byline=reporter_person),
                Status.SCHEDULED,
                by=editor,
            ).pk
            for _ in range(200)
        ]
    due = Article.objects.filter(pk__in=scheduled)
    past = timezone.now() - timedelta(minutes=1)
    due.update(publish_at=past)
    publish_tasks = DBTaskResult.objects.filter(task_path=publish_scheduled_article.module_path)
    assert publish_tasks.count() == 200
    publish_tasks.update(run_after=past)
    # Only publishing is raced here; the notifications of the steps before it are not.
    DBTaskResult.objects.exclude(pk__in=publish_tasks.values("pk")).delete()

    def worker():
        call_command(
            "db_worker", "--batch", "--no-startup-delay", "--interval", "0", stdout=StringIO()
        )

    def publish_due():
        output = StringIO()
        call_command("publish_due", stdout=output)
        return output.getvalue()

    outcomes = run_at_once(worker, worker, publish_due)

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    assert re.fullmatch(r"Published \d+ article\(s\); 0 failed the publish checks.\n", outcomes[2])
    assert set(due.values_list("status", flat=True)) == {Status.PUBLISHED}
    publications = WorkflowEvent.objects.filter(article__in=scheduled, to_status=Status.PUBLISHED)
    per_article = publications.values("article").annotate(events=Count("pk"))
    assert len(per_article) == 200
    assert {row["events"] for row in per_article} == {1}
    assert set(publications.values_list("action", flat=True)) == {"publish_scheduled"}
    assert not publish_tasks.exclude(status=TaskResultStatus.SUCCESSFUL).exists()


def test_two_editors_saving_from_one_version_one_wins(article_in, editor, standards):
    article = article_in(Status.DRAFT)
    loaded_version = article.version
    copies = [Article.objects.get(pk=article.pk) for _ in range(2)]
    texts = ["<p>The editor's version of the story.</p>", "<p>The standards version.</p>"]
    for copy, text in zip(copies, texts, strict=True):
        copy.body = text

    outcomes = run_at_once(
        lambda: copies[0].save_edit(by=editor), lambda: copies[1].save_edit(by=standards)
    )

    stale = [n for n, outcome in enumerate(outcomes) if isinstance(outcome, StaleEdit)]
    saved = [n for n, outcome in enumerate(outcomes) if outcome is None]
    assert (len(saved), len(stale)) == (1, 1), outcomes
    article.refresh_from_db()
    assert article.body == texts[saved[0]]
    assert article.version == loaded_version + 1
    # The refused editor still holds their own text, to copy into the newer version.
    assert copies[stale[0]].body == texts[stale[0]]

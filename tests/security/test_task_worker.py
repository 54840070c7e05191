"""The task worker keeps going (items 11-13): database errors, abandoned tasks, the minute
sweep, the health check. The restarts of a real PostgreSQL are in test_worker_faults.py."""

import logging
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import InterfaceError, OperationalError, connection
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from articles.models import Article, WorkflowEvent
from articles.workflow import Status
from operations import worker as worker_module
from operations.models import PeriodicRun, WorkerHeartbeat
from operations.worker import ResilientWorker, requeue_abandoned_tasks, run_once_per_slot
from tests.articles.conftest import drive_to
from tests.conftest import IN_PROCESS_WORKER
from tests.factories import ArticleFactory


def make_worker(worker_id="w1"):
    return ResilientWorker(**IN_PROCESS_WORKER, worker_id=worker_id)


def due_article(editor):
    """A scheduled article whose time has just come (its publish task is due too)."""
    article = drive_to(ArticleFactory(created_by=editor), Status.APPROVED, by=editor)
    article.schedule(by=editor, publish_at=timezone.now() + timedelta(hours=1))
    past = timezone.now() - timedelta(seconds=1)
    Article.objects.filter(pk=article.pk).update(publish_at=past)
    DBTaskResult.objects.update(run_after=past)
    return article


def publications(article):
    return WorkflowEvent.objects.filter(article=article, action="publish_scheduled").count()


@pytest.fixture
def no_waiting(monkeypatch):
    """Record the worker's back-off waits instead of sleeping through them."""
    waits = []
    monkeypatch.setattr(worker_module.Backoff, "__init__", _recording_init(waits))
    return waits


def _recording_init(waits):
    def init(self, *, sleep=None):
        self.failures = 0
        self.sleep = waits.append

    return init


# 11. Transient database errors.


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    "error",
    [
        OperationalError("database is locked"),
        OperationalError("server closed the connection unexpectedly"),
        InterfaceError("connection already closed"),
    ],
    ids=["sqlite locked", "postgres restarting", "connection gone"],
)
def test_the_worker_waits_out_database_errors_and_carries_on(editor, no_waiting, error):
    article = due_article(editor)
    worker = make_worker()
    failures = iter([error, error, error])
    claim = worker.claim_next

    def flaky_claim():
        if (failure := next(failures, None)) is not None:
            raise failure
        return claim()

    worker.claim_next = flaky_claim

    worker.run()

    assert len(no_waiting) == 3
    assert no_waiting[0] < no_waiting[1] < no_waiting[2]  # backing off
    assert publications(article) == 1
    assert not DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_cut_off_by_a_database_error_runs_again(editor, no_waiting, monkeypatch):
    article = drive_to(ArticleFactory(created_by=editor), Status.IN_REVIEW, by=editor)
    DBTaskResult.objects.all().delete()
    article.request_changes(by=editor, comment="More on the budget, please.")  # queues an email
    finish = DBTaskResult.set_successful
    calls = []

    def finish_fails_once(result, value):
        calls.append(result.pk)
        if len(calls) == 1:
            raise OperationalError("terminating connection due to administrator command")
        finish(result, value)

    monkeypatch.setattr(DBTaskResult, "set_successful", finish_fails_once)

    make_worker().run()

    (task,) = DBTaskResult.objects.all()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert calls == [task.pk, task.pk]


# 12. Abandoned tasks and the scheduled-publishing sweep.


def task_row(**fields):
    return DBTaskResult.objects.create(
        run_after=get_date_max(),
        task_path="articles.tasks.send_workflow_notification",
        args_kwargs={"args": [0], "kwargs": {}},
        priority=0,
        queue_name="default",
        backend_name="default",
        **fields,
    )


def running_task(worker_id, *, started_ago):
    return task_row(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - started_ago,
        worker_ids=[worker_id],
    )


def waiting_task(*, enqueued_ago):
    task = task_row(status=TaskResultStatus.READY)
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - enqueued_ago)
    return task


def heartbeat(worker_id, *, ago):
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id=worker_id, hostname="test", pid=1, started_at=now - ago, beat_at=now - ago
    )


@pytest.mark.django_db
def test_a_task_left_running_by_a_dead_worker_goes_back_in_the_queue(settings):
    settings.WORKER_STALE_SECONDS = 60
    heartbeat("dead", ago=timedelta(minutes=5))
    heartbeat("alive", ago=timedelta(seconds=5))
    abandoned = running_task("dead", started_ago=timedelta(minutes=6))
    working = running_task("alive", started_ago=timedelta(minutes=6))
    unknown = running_task("no-heartbeat", started_ago=timedelta(minutes=6))
    just_started = running_task("no-heartbeat-yet", started_ago=timedelta(seconds=2))

    assert requeue_abandoned_tasks() == 2

    status = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert status[abandoned.pk] == status[unknown.pk] == TaskResultStatus.READY
    assert status[working.pk] == status[just_started.pk] == TaskResultStatus.RUNNING
    assert DBTaskResult.objects.ready().count() == 2


@pytest.mark.django_db
def test_a_task_that_keeps_stopping_its_workers_is_marked_failed(settings):
    settings.TASK_MAX_ATTEMPTS = 3
    poison = running_task("w3", started_ago=timedelta(hours=1))
    DBTaskResult.objects.filter(pk=poison.pk).update(worker_ids=["w1", "w2", "w3"])

    requeue_abandoned_tasks()

    poison.refresh_from_db()
    assert poison.status == TaskResultStatus.FAILED
    assert "abandoned 3 times" in poison.traceback


@pytest.mark.django_db
def test_a_workers_own_cut_off_task_goes_back_at_once():
    heartbeat("me", ago=timedelta(seconds=1))
    mine = running_task("me", started_ago=timedelta(seconds=1))

    assert requeue_abandoned_tasks(own_worker_id="me") == 1
    mine.refresh_from_db()
    assert mine.status == TaskResultStatus.READY


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_publishes_due_stories_itself_without_their_task(editor):
    article = due_article(editor)
    DBTaskResult.objects.all().delete()  # the publish task is lost; only the sweep is left

    make_worker().run()

    assert publications(article) == 1
    assert PeriodicRun.objects.filter(job="publish_due").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_several_workers_run_the_minute_sweep_exactly_once():
    slot = timezone.now().replace(second=0, microsecond=0)
    ran, start = [], threading.Barrier(4)

    def worker(n):
        start.wait()
        try:
            if run_once_per_slot("publish_due", slot, lambda: "done", worker_id=f"w{n}"):
                ran.append(n)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(ran) == 1
    assert PeriodicRun.objects.get().outcome == "done"
    next_minute = slot + timedelta(minutes=1)
    assert run_once_per_slot("publish_due", next_minute, lambda: "", worker_id="w9")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_and_a_due_story_publish_it_once(editor):
    article = due_article(editor)
    workers = [make_worker(f"w{n}") for n in range(2)]
    threads = [threading.Thread(target=worker.run) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert publications(article) == 1
    # One sweep per minute at most (two if the run straddled a minute), whoever ran them.
    assert PeriodicRun.objects.count() <= 2


# 13. The health check.


@pytest.mark.django_db
def test_the_health_check_reports_database_cache_queue_and_workers(client):
    heartbeat("w1", ago=timedelta(seconds=3))

    response = client.get(reverse("health"))

    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "ok"
    assert set(report["checks"]) == {"database", "cache", "tasks"}
    assert report["checks"]["tasks"]["oldest_ready_task_seconds"] == 0
    assert 2 <= report["checks"]["tasks"]["last_worker_heartbeat_seconds"] < 10
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.django_db
def test_the_health_check_fails_when_no_worker_is_alive(client):
    report = client.get(reverse("health"))

    assert report.status_code == 503
    assert report.json()["checks"]["tasks"]["last_worker_heartbeat_seconds"] is None


@pytest.mark.django_db
def test_the_health_check_fails_when_the_queue_is_stuck(client):
    heartbeat("w1", ago=timedelta(seconds=1))
    waiting_task(enqueued_ago=timedelta(minutes=10))

    response = client.get(reverse("health"))

    assert response.status_code == 503
    assert response.json()["checks"]["tasks"]["oldest_ready_task_seconds"] >= 600


@pytest.mark.django_db
def test_the_health_watch_logs_a_warning_when_the_queue_is_stuck(caplog):
    heartbeat("w1", ago=timedelta(minutes=10))
    waiting_task(enqueued_ago=timedelta(minutes=10))

    with caplog.at_level(logging.WARNING, logger="newsroom.health"), pytest.raises(SystemExit):
        call_command("watch_health", once=True)

    (warning,) = caplog.messages
    assert "task queue is stuck" in warning
    assert "heartbeat was 600 s ago" in warning


@pytest.mark.django_db
def test_a_page_answers_503_while_the_database_is_unreachable(client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(Article.objects, "published", unreachable)

    response = client.get("/")

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "Back in a moment" in response.text

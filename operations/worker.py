"""A task worker that keeps going: django-tasks-db's worker, plus

- survival of database outages: a failed query is retried with growing waits (a restarting
  PostgreSQL, a locked SQLite file) instead of ending the process;
- a heartbeat, written by a thread every few seconds, so that a task left RUNNING by a worker
  that died is handed back to the queue (django-tasks-db leaves it RUNNING forever);
- the scheduled-publishing sweep once a minute, by exactly one of however many workers run.

Tasks may therefore run more than once (at least once, never lost): each of this project's
tasks is safe to repeat (publishing takes a row lock and checks the state; an email may repeat).
"""

import logging
import os
import random
import socket
import threading
import time
from contextlib import suppress
from datetime import timedelta

from django.conf import settings
from django.db import (
    IntegrityError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connections,
    transaction,
)
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from articles.models import Article
from articles.workflow import Action

from .models import PeriodicRun, WorkerHeartbeat

logger = logging.getLogger("newsroom.worker")

#: Errors that mean "the database is not answering now", not "this code is wrong".
DATABASE_DOWN = (OperationalError, InterfaceError)

#: Longest wait between two attempts to reach the database.
MAX_BACKOFF_SECONDS = 30.0


class TaskAbandoned(Exception):
    """Recorded on a task that workers started TASK_MAX_ATTEMPTS times without finishing."""


def close_connections():
    """Drop this thread's database connections; the next query opens a fresh one."""
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except DATABASE_DOWN:
            # Closing a connection whose server is gone can fail too; it is gone either way.
            connection.connection = None


class Backoff:
    """Growing, jittered waits while the database is unreachable: 0.5 s, 1 s, 2 s ... 30 s."""

    def __init__(self, *, sleep=time.sleep):
        self.failures = 0
        self.sleep = sleep

    def wait_after(self, error):
        self.failures += 1
        delay = min(0.5 * 2 ** (self.failures - 1), MAX_BACKOFF_SECONDS)
        delay *= random.uniform(0.8, 1.2)  # noqa: S311 (spreads out workers, not a secret)
        # SQLite's "database is locked" is routine under load; anything else is worth a line.
        level = logging.DEBUG if is_locked_database_exception(error) else logging.WARNING
        summary = (str(error).strip().splitlines() or [""])[0]
        logger.log(
            level,
            "Database unavailable (%s: %s); attempt %d, retrying in %.1f s",
            type(error).__name__,
            summary,
            self.failures,
            delay,
        )
        close_connections()
        self.sleep(delay)

    def succeeded(self):
        if self.failures:
            logger.warning("Database reachable again after %d failed attempt(s)", self.failures)
        self.failures = 0


class Heartbeat(threading.Thread):
    """Writes the worker's heartbeat every WORKER_HEARTBEAT_SECONDS until stopped."""

    def __init__(self, worker_id):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.stopping = threading.Event()

    def beat(self):
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": self.started_at,
                "beat_at": timezone.now(),
            },
        )

    def run(self):
        try:
            while True:
                try:
                    self.beat()
                except DATABASE_DOWN as error:
                    logger.debug("Heartbeat not written: %s", error)
                    close_connections()
                if self.stopping.wait(settings.WORKER_HEARTBEAT_SECONDS):
                    break
        finally:
            close_connections()

    def stop(self):
        self.stopping.set()
        self.join(timeout=5)
        with suppress(*DATABASE_DOWN):  # if the database is down, the heartbeat goes stale
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()


def requeue_abandoned_tasks(*, own_worker_id=None):
    """Put back in the queue every RUNNING task whose worker is gone: one that has written no
    heartbeat for WORKER_STALE_SECONDS, or this worker itself (`own_worker_id`, when it is
    between tasks, so anything still RUNNING in its name was cut off). Returns how many."""
    stale = timedelta(seconds=settings.WORKER_STALE_SECONDS)
    alive = set(WorkerHeartbeat.objects.alive(within=stale).values_list("worker_id", flat=True))
    alive.discard(own_worker_id)
    cutoff = timezone.now() - stale
    abandoned = [
        result.pk
        for result in DBTaskResult.objects.running().only("pk", "worker_ids", "started_at")
        if (result.worker_ids and result.worker_ids[-1] == own_worker_id)
        or (
            (not result.worker_ids or result.worker_ids[-1] not in alive)
            and (result.started_at is None or result.started_at < cutoff)
        )
    ]
    if not abandoned:
        return 0
    requeued = DBTaskResult.objects.filter(pk__in=abandoned, status=TaskResultStatus.RUNNING)
    for result in requeued.filter(pk__in=abandoned).only("pk", "worker_ids"):
        if len(result.worker_ids) >= settings.TASK_MAX_ATTEMPTS:
            # Started that often and never finished: it may be what stops the workers.
            result.set_failed(TaskAbandoned(f"abandoned {len(result.worker_ids)} times"))
    count = requeued.filter(status=TaskResultStatus.RUNNING).update(status=TaskResultStatus.READY)
    if count:
        logger.warning("Put %d task(s) abandoned by a stopped worker back in the queue", count)
    return count


def run_once_per_slot(job, slot, work, *, worker_id):
    """Run `work()` for `slot` unless another worker already claimed that slot. Returns whether
    this worker ran it."""
    try:
        with transaction.atomic():
            run = PeriodicRun.objects.create(job=job, slot=slot, worker_id=worker_id)
    except IntegrityError:
        return False
    outcome = work()
    run.finished_at = timezone.now()
    run.outcome = outcome
    run.save(update_fields=["finished_at", "outcome"])
    PeriodicRun.objects.filter(slot__lt=slot - PeriodicRun.KEEP).delete()
    return True


def publish_due_sweep():
    """Publish what is due and take down what has expired."""
    events = Article.publish_all_due()
    expired = len(Article.expire_all_due())
    published = sum(event.action == Action.PUBLISH_SCHEDULED for event in events)
    if events or expired:
        logger.info(
            "Scheduled publishing: %d published, %d refused, %d expired",
            published,
            len(events) - published,
            expired,
        )
    return (
        f"{published} published, {len(events) - published} refused by the publish checks, "
        f"{expired} expired"
    )


class ResilientWorker(Worker):
    """django-tasks-db's worker loop, rewritten around its claim and run steps (see the module
    docstring for what it adds). Housekeeping runs at most once a minute, between tasks."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.backoff = Backoff()
        self.next_requeue = self.next_sweep = None

    def claim_next(self):
        """Claim the next ready task for this worker, or return None."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            result = tasks.get_locked()
            if result is not None:
                result.claim(self.worker_id)
        return result

    def housekeeping(self):
        """Between tasks: look for abandoned tasks every half WORKER_STALE_SECONDS (so one is
        back in the queue at most 1.5 times that after its worker stopped), and run the
        scheduled-publishing sweep once a minute."""
        now = timezone.now()
        if self.next_requeue is None or now >= self.next_requeue:
            requeue_abandoned_tasks(own_worker_id=self.worker_id)
            self.next_requeue = now + timedelta(seconds=settings.WORKER_STALE_SECONDS / 2)
        if self.next_sweep is None or now >= self.next_sweep:
            minute = now.replace(second=0, microsecond=0)
            run_once_per_slot("publish_due", minute, publish_due_sweep, worker_id=self.worker_id)
            self.next_sweep = minute + timedelta(minutes=1)

    def run_task(self, db_task_result):
        # A task that stopped because the database became unreachable has not failed: the
        # error goes to run()'s back-off instead of into the record, and once the database
        # answers, housekeeping puts the task back in the queue.
        record_failure = db_task_result.set_failed

        def set_failed_unless_database_down(error):
            if isinstance(error, DATABASE_DOWN):
                raise error
            record_failure(error)

        db_task_result.set_failed = set_failed_unless_database_down
        super().run_task(db_task_result)

    def step(self):
        """Housekeeping if due, then claim and run one task. Returns whether one ran."""
        # As Django does around a request: drop connections that broke or outlived CONN_MAX_AGE.
        close_old_connections()
        self.housekeeping()
        result = self.claim_next()
        if result is not None:
            self.run_task(result)
        return result is not None

    def run(self):
        logger.info("Starting worker %s (queues: %s)", self.worker_id, ",".join(self.queue_names))
        if self.startup_delay and self.interval:
            time.sleep(random.random())  # noqa: S311 (spreads out workers started together)
        heartbeat = Heartbeat(self.worker_id)
        heartbeat.start()
        try:
            while self.running:
                try:
                    ran = self.step()
                except DATABASE_DOWN as error:
                    self.backoff.wait_after(error)
                    # A task cut off by the outage is still RUNNING in this worker's name:
                    # housekeeping, first thing when the database answers, puts it back.
                    self.next_requeue = None
                    continue
                self.backoff.succeeded()
                if self.batch and not ran:
                    return
                if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                    return
                if self.running and not ran:
                    time.sleep(self.interval)
        finally:
            heartbeat.stop()
            close_connections()

"""The task worker against real faults (items 11 and 12): a worker killed while it publishes,
and PostgreSQL restarted under a running worker.

Both run against a private PostgreSQL server made for this module (bench/pgcluster.py), never
the shared one other test runs use, and drive the real `manage.py run_worker` in subprocesses.
They run whatever DATABASE_URL the suite itself uses.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest

from bench.pgcluster import PrivatePostgres

ROOT = Path(__file__).resolve().parents[2]

#: A short heartbeat, so that a killed worker is recognised in seconds rather than a minute.
FAST_WORKER = {"WORKER_HEARTBEAT_SECONDS": "1", "WORKER_STALE_SECONDS": "4"}

CREATE_DUE_ARTICLE = """
from datetime import timedelta
from django.utils import timezone
from accounts import roles
from articles.models import Article
from django_tasks_db.models import DBTaskResult
from tests.factories import ArticleFactory, UserFactory

editor = UserFactory(username="editor", role=roles.EDITOR)
article = ArticleFactory(created_by=editor)
article.submit(by=editor)
article.approve(by=editor)
article.schedule(by=editor, publish_at=timezone.now() + timedelta(hours=1))
# Its publish task is due now; the article itself {when}.
DBTaskResult.objects.filter(task_path__endswith="publish_scheduled_article").update(
    run_after=timezone.now() - timedelta(seconds=1)
)
Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() + {offset})
print(article.pk)
"""


@pytest.fixture(scope="module")
def postgres():
    with PrivatePostgres() as server:
        template = server.create_database("faults_template")
        environment = _environment(template)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=environment,
            check=True,
        )
        yield server


def _environment(database_url, **extra):
    return {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": database_url,
        "CACHE_URL": "locmemcache://faults",
        "EMAIL_URL": "consolemail://",
        "LOG_LEVEL": "INFO",
        **FAST_WORKER,
        **extra,
    }


@pytest.fixture
def site(postgres, tmp_path):
    """A fresh, migrated database on the private server, and how to run the site against it."""
    name = f"faults_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(postgres.url(), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE faults_template')
    return Site(postgres, postgres.url(name), tmp_path)


class Site:
    def __init__(self, server, url, directory):
        self.server, self.url, self.directory = server, url, directory
        self.environment = _environment(url)
        self.workers = []

    def run_python(self, code):
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=self.environment,
            check=True,
            capture_output=True,
            text=True,
        )
        return result.stdout.strip().splitlines()[-1]

    def due_article(self, *, due_in_seconds=0):
        offset = f"timedelta(seconds={due_in_seconds})"
        when = "is due then" if due_in_seconds else "is due now"
        return int(self.run_python(CREATE_DUE_ARTICLE.format(offset=offset, when=when)))

    def start_worker(self, name):
        log = (self.directory / f"{name}.log").open("w")
        worker = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "run_worker",
                "--queue-name=*",
                "--interval=0.2",
                "--no-startup-delay",
                f"--worker-id={name}",
            ],
            cwd=ROOT,
            env=self.environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.workers.append(worker)
        return worker

    def log_of(self, name):
        return (self.directory / f"{name}.log").read_text()

    def query(self, sql, *params):
        with psycopg.connect(self.url, autocommit=True) as connection:
            return connection.execute(sql, params).fetchall()

    def publications(self, article):
        return self.query(
            "SELECT count(*) FROM articles_workflowevent "
            "WHERE article_id = %s AND action = 'publish_scheduled'",
            article,
        )[0][0]

    def wait_for(self, condition, *, within, what):
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if condition():
                return time.monotonic() - (deadline - within)
            time.sleep(0.25)
        raise AssertionError(f"not within {within} s: {what}")

    def stop(self):
        for worker in self.workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()


@pytest.fixture
def running(site):
    yield site
    site.stop()


def test_a_worker_killed_while_publishing_is_replaced_and_the_story_publishes_once(running):
    site = running
    article = site.due_article(due_in_seconds=3600)
    publish_task = "SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path LIKE %s"
    # Hold the story's row so that the worker's publish task stops inside its transaction.
    holder = psycopg.connect(site.url)
    holder.execute("SELECT id FROM articles_article WHERE id = %s FOR UPDATE", (article,))
    first = site.start_worker("first")
    site.wait_for(
        lambda: site.query(publish_task, "%publish_scheduled_article")[0][0] == "RUNNING",
        within=60,
        what="the first worker starts the publish task",
    )
    time.sleep(1)  # well inside the task, waiting for the row

    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    # The story's time comes while no worker is alive; the row is let go.
    holder.execute("UPDATE articles_article SET publish_at = now() WHERE id = %s", (article,))
    holder.commit()
    holder.close()
    site.start_worker("second")

    took = site.wait_for(
        lambda: site.publications(article) == 1, within=120, what="the story is published"
    )
    site.wait_for(
        lambda: site.query(publish_task, "%publish_scheduled_article")[0][0] == "SUCCESSFUL",
        within=60,
        what="the abandoned publish task is run again, to no effect",
    )

    assert took < 120
    assert site.publications(article) == 1
    assert site.query("SELECT status FROM articles_article WHERE id = %s", article) == [
        ("published",)
    ]
    assert "abandoned by a stopped worker back in the queue" in site.log_of("second")


def test_the_worker_keeps_working_after_postgresql_restarts(running):
    site = running
    worker = site.start_worker("steady")
    site.wait_for(
        lambda: site.query("SELECT count(*) FROM operations_workerheartbeat")[0][0] == 1,
        within=60,
        what="the worker's first heartbeat",
    )

    site.server.restart(down_for=3)
    article = site.due_article()

    site.wait_for(
        lambda: site.publications(article) == 1, within=90, what="a story due after the restart"
    )
    assert worker.poll() is None  # the same process, never restarted
    log = site.log_of("steady")
    assert "Database unavailable" in log
    assert "Database reachable again" in log

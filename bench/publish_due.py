"""Scheduled publishing at volume: `python bench/publish_due.py N`.

Run by bench/run.py in the benchmark's environment. Makes N approved stories, schedules each
through the workflow for a few seconds ahead (each schedule queues its publishing task), starts
two task workers and prints the seconds from the due time until the last one is published.
"""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django.setup()

from django.utils import timezone  # noqa: E402

from accounts import roles  # noqa: E402
from articles.models import Article, Byline, Section  # noqa: E402
from articles.workflow import Status  # noqa: E402
from people.models import Person  # noqa: E402
from tests.factories import UserFactory  # noqa: E402

WORKERS = 2
#: Time to schedule each story before the due moment comes (scheduling checks the gate).
LEAD_SECONDS_EACH = 0.05


def main():
    count = int(sys.argv[1])
    editor = UserFactory(username=f"bench-scheduler-{time.time_ns()}", role=roles.EDITOR)
    section = Section.objects.first()
    stories = Article.objects.bulk_create(
        Article(
            headline=f"Scheduled story {n}",
            slug=f"scheduled-{time.time_ns()}-{n}",
            body="<p>Due at the same minute as many others.</p>",
            section=section,
            status=Status.APPROVED,
            created_by=editor,
        )
        for n in range(count)
    )
    writer = Person.objects.staff().first()
    Byline.objects.bulk_create(Byline(article=story, person=writer) for story in stories)
    due = timezone.now() + timedelta(seconds=10 + LEAD_SECONDS_EACH * count)
    for story in stories:
        story.transition("schedule", by=editor, publish_at=due)
    workers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "run_worker", "--queue-name=*"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(WORKERS)
    ]
    try:
        waiting = Article.objects.filter(pk__in=[story.pk for story in stories])
        while waiting.filter(status=Status.SCHEDULED).exists():
            time.sleep(0.2)
        finished = timezone.now()
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=60)
    published = waiting.filter(status=Status.PUBLISHED).count()
    print(f"{published}\t{(finished - due).total_seconds():.1f}")


if __name__ == "__main__":
    main()

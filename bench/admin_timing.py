"""Time the admin's article pages at the benchmark's size: `python bench/admin_timing.py`.

Run by bench/run.py in the benchmark's environment. Prints "what<TAB>median ms<TAB>SQL" lines.
"""

import math
import os
import statistics
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django.setup()

from django.contrib import admin  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts import roles  # noqa: E402
from articles.models import Article  # noqa: E402
from tests.conftest import SecondFactorClient  # noqa: E402
from tests.factories import UserFactory  # noqa: E402

TIMES = 5


def timed(client, path):
    """(median ms over TIMES requests, SQL queries of the last)."""
    client.get(path)  # warm up
    durations = []
    for _ in range(TIMES):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            durations.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    return statistics.median(durations), len(captured)


def main():
    editor = UserFactory(username=f"bench-editor-{time.time_ns()}", role=roles.EDITOR)
    client = SecondFactorClient(HTTP_HOST="127.0.0.1")
    client.force_login(editor)
    changelist = reverse("admin:articles_article_changelist")
    newest = Article.objects.latest("first_published_at")
    last_page = math.ceil(
        Article.objects.count() / admin.site.get_model_admin(Article).list_per_page
    )
    pages = [
        ("article changelist", changelist),
        ("article changelist, last page", f"{changelist}?p={last_page}"),
        ("article changelist, search", f"{changelist}?q=harbour+budget"),
        ("article change form", reverse("admin:articles_article_change", args=[newest.pk])),
    ]
    for what, path in pages:
        ms, queries = timed(client, path)
        print(f"{what}\t{ms:.0f}\t{queries}")


if __name__ == "__main__":
    main()

"""PostgreSQL restarted under load: `make bench-restart`.

Serves generated content with `make serve` (gunicorn, the task worker and the health watch,
under production settings) from a private PostgreSQL server (bench/pgcluster.py: never the
shared one), sends wrk's 50 connections at one article page for 60 s from 127.0.0.1, restarts
PostgreSQL 20 s in, then checks that the page, the health check and the task worker recover
without restarting anything. Prints the figures and appends them to bench/RESULTS.md.

Options (environment): BENCH_ARTICLES (default 200), BENCH_SECONDS (60), BENCH_CONNECTIONS
(50), BENCH_RESTART_AT (20), BENCH_WORKERS gunicorn workers (3).
"""

import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from http.client import HTTPConnection

from pgcluster import PrivatePostgres
from run import (
    OUT,
    ROOT,
    free_port,
    generate_pages,
    manage,
    production_environment,
    stop_group,
    wait_for,
)

ARTICLES = int(os.environ.get("BENCH_ARTICLES", 200))
SECONDS = int(os.environ.get("BENCH_SECONDS", 60))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", 50))
RESTART_AT = float(os.environ.get("BENCH_RESTART_AT", 20))
WORKERS = int(os.environ.get("BENCH_WORKERS", 3))

DUE_STORY = """
from datetime import timedelta
from django.utils import timezone
from accounts import roles
from articles.models import Article
from tests.factories import ArticleFactory, UserFactory
editor = UserFactory(username="bench-editor", role=roles.EDITOR)
article = ArticleFactory(created_by=editor, headline="Due after the restart")
article.submit(by=editor); article.approve(by=editor)
article.schedule(by=editor, publish_at=timezone.now() + timedelta(seconds=2))
print(article.pk)
"""


def shell(env, code):
    """What `code` prints, run by `manage.py shell` against the benchmark's database."""
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def get(port, path):
    connection = HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        return response.status, response.read()
    except OSError as error:
        return None, str(error).encode()
    finally:
        connection.close()


def wait_until(check, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    raise SystemExit(f"{what}: not within {timeout} s")


def restart_later(server, delay, window):
    time.sleep(delay)
    window["down"] = time.time()
    server.stop()
    window["stopped"] = time.time()
    server.start()
    window["up"] = time.time()


def parse(output):
    timeline = defaultdict(Counter)
    socket_errors = ""
    for line in output.splitlines():
        if line.startswith("TIMELINE "):
            _, second, status, count = line.split()
            timeline[int(second)][int(status)] += int(count)
        elif line.startswith("SOCKET_ERRORS "):
            socket_errors = line.removeprefix("SOCKET_ERRORS ")
    return timeline, socket_errors


def main():
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    with PrivatePostgres() as server:
        env = production_environment()
        env["DATABASE_URL"] = server.create_database("bench")
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        pages = generate_pages(env, ARTICLES)
        article_path = next(path for name, path, *_ in pages if name.startswith("article"))
        port = free_port()
        serve_log = (OUT / "serve.log").open("w")
        serve = subprocess.Popen(
            [
                "make",
                "--no-print-directory",
                "serve",
                "HOST=127.0.0.1",
                f"PORT={port}",
                f"GUNICORN_WORKERS={WORKERS}",
            ],
            cwd=ROOT,
            env=env,
            stdout=serve_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_for(port, timeout=120)
            wait_until(lambda: get(port, "/healthz/")[0] == 200, 60, "healthy before the run")
            window = {}
            restarter = threading.Thread(
                target=restart_later, args=(server, RESTART_AT, window), daemon=True
            )
            window["load"] = os.getloadavg()[0]
            started = time.time()
            restarter.start()
            wrk = subprocess.run(
                [
                    "wrk",
                    "-t2",
                    f"-c{CONNECTIONS}",
                    f"-d{SECONDS}s",
                    "--timeout",
                    "10s",
                    "--latency",
                    "-s",
                    str(ROOT / "bench" / "timeline.lua"),
                    f"http://127.0.0.1:{port}{article_path}",
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            restarter.join()
            after = {"page": get(port, article_path)[0]}
            wait_until(lambda: get(port, "/healthz/")[0] == 200, 90, "healthy after the run")
            after["health"] = json.loads(get(port, "/healthz/")[1])
            story = int(shell(env, DUE_STORY).split()[-1])
            scheduled = time.time()
            check_published = (
                "from articles.models import Article; "
                f"print(Article.objects.get(pk={story}).status)"
            )
            wait_until(
                lambda: shell(env, check_published).split()[-1] == "published",
                150,
                "the worker publishes a story scheduled after the restart",
            )
            after["published_after_seconds"] = time.time() - scheduled
            after["serve_still_running"] = serve.poll() is None
        finally:
            stop_group(serve)
    report(wrk.stdout, started, window, after)


def report(output, started, window, after):
    timeline, socket_errors = parse(output)
    summary = [
        " ".join(line.split())
        for line in output.splitlines()
        if any(key in line for key in ("Requests/sec", "requests in", "Non-2xx", " 50% ", " 99% "))
    ]
    total = sum(sum(counts.values()) for counts in timeline.values())
    errors = {
        second: sum(n for status, n in counts.items() if status >= 500)
        for second, counts in timeline.items()
    }
    bad_seconds = sorted(second for second, n in errors.items() if n)
    down = window["down"] - started
    up = window["up"] - started
    outside = [s for s in bad_seconds if not (int(window["down"]) <= s <= int(window["up"]) + 1)]
    statuses = Counter()
    for counts in timeline.values():
        statuses.update(counts)
    lines = [
        "",
        f"## PostgreSQL restarted under load ({datetime.now(UTC):%Y-%m-%d}, `make bench-restart`)",
        "",
        textwrap.fill(
            f"`make serve` (gunicorn, {WORKERS} sync workers, production settings, the task worker "
            f"and the health watch) on {ARTICLES} generated articles; wrk with {CONNECTIONS} "
            f"connections on one article page for {SECONDS} s from 127.0.0.1; a private "
            f"PostgreSQL 15 stopped (fast) and started again {RESTART_AT:.0f} s in. The machine's "
            f"load average (1 min) was {window['load']:.1f} on {os.cpu_count()} cores when the "
            "run began (other work shares them), which bounds the throughput.",
            width=100,
        ),
        "",
        "| figure | value |",
        "|---|---|",
        f"| responses | {total} ({', '.join(f'{s}: {n}' for s, n in sorted(statuses.items()))}) |",
        f"| wrk | {'; '.join(summary)} |",
        f"| socket errors | {socket_errors} |",
        f"| PostgreSQL down | {down:.1f} s to {up:.1f} s into the run "
        f"({window['up'] - window['down']:.1f} s) |",
        f"| seconds with 5xx answers | {len(bad_seconds)}: "
        f"{', '.join(f'{s - int(started)} s ({errors[s]})' for s in bad_seconds) or 'none'} |",
        f"| 5xx outside the restart window | {len(outside)} seconds |",
        f"| after the run: article page | {after['page']} |",
        f"| after the run: /healthz/ | {after['health']['status']} (last worker heartbeat "
        f"{after['health']['checks']['tasks']['last_worker_heartbeat_seconds']} s before) |",
        f"| a story scheduled after the restart | published by the same worker "
        f"{after['published_after_seconds']:.0f} s after it was scheduled (due 2 s after) |",
        f"| anything restarted by hand? | "
        f"{'no' if after['serve_still_running'] else 'make serve had stopped'} |",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as results:
        results.write(text)


if __name__ == "__main__":
    main()

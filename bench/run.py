"""Load benchmark: `make bench`.

Builds a throwaway database with generated content, serves it with gunicorn under production
settings on 127.0.0.1, sends a bounded number of requests per page from a few client threads,
and prints requests/s, p50/p99 latency and the SQL queries each page costs.

Options (environment): BENCH_ARTICLES (default 500), BENCH_REQUESTS per page (default 400),
BENCH_CONCURRENCY (default 4), BENCH_WORKERS gunicorn workers (default 3), DATABASE_URL
(default: a fresh SQLite file in bench/out/; a database given here is emptied first).
"""

import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
ARTICLES = int(os.environ.get("BENCH_ARTICLES", 500))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", 400))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", 4))
WORKERS = int(os.environ.get("BENCH_WORKERS", 3))


def production_environment():
    database = os.environ.get("DATABASE_URL", f"sqlite:///{OUT / 'bench.sqlite3'}")
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        "DATABASE_URL": database,
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(OUT / "static"),
        "MEDIA_ROOT": str(OUT / "media"),
        "LOG_LEVEL": "ERROR",
    }


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not start on port {port}")


def generate_pages(env, articles):
    """Fill the database with `articles` generated stories: [(page name, path, SQL queries)]."""
    lines = subprocess.run(
        [sys.executable, "bench/pages.py", str(articles)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    return [line.split("\t") for line in lines if line]


def timed_get(port, path):
    connection = HTTPConnection("127.0.0.1", port, timeout=30)
    start = time.perf_counter()
    connection.request("GET", path, headers={"Host": "127.0.0.1"})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, time.perf_counter() - start


def load(port, path):
    """REQUESTS GETs of `path` from CONCURRENCY threads: (req/s, p50 ms, p99 ms, statuses)."""
    started = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        results = list(pool.map(lambda _: timed_get(port, path), range(REQUESTS)))
    elapsed = time.perf_counter() - started
    latencies = sorted(seconds * 1000 for _, seconds in results)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    statuses = sorted({status for status, _ in results})
    return REQUESTS / elapsed, statistics.median(latencies), p99, statuses


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    env = production_environment()
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "flush", "--noinput", "-v0")  # a PostgreSQL DATABASE_URL may hold an older run
    manage(env, "collectstatic", "--noinput", "-v0")
    pages = generate_pages(env, ARTICLES)
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "newsroom.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={WORKERS}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for(port)
        print(
            f"{ARTICLES} articles, {REQUESTS} requests per page, {CONCURRENCY} clients, "
            f"{WORKERS} gunicorn workers, database {env['DATABASE_URL'].split(':')[0]}"
        )
        print(f"{'page':<28}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'SQL':>6}  status")
        for name, path, queries in pages:
            timed_get(port, path)  # warm up
            rate, p50, p99, statuses = load(port, path)
            print(f"{name:<28}{rate:>8.0f}{p50:>9.1f}{p99:>9.1f}{queries:>6}  {statuses}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()

"""Load benchmark: `make bench`.

For each database (SQLite, PostgreSQL) and archive size (10,000 and 100,000 articles), builds a
throwaway database of generated content, serves it with `make serve` (gunicorn with 2 workers
under production settings, the task worker, Redis as the shared cache) and drives wrk from
127.0.0.1 against every public page: rendered (page cache off), from the page cache, and a 304
revalidation. In the same run it measures two ceilings: nginx serving the article page's bytes
as a static file, and a trivial Django view returning the same bytes through the same server and
middleware. Prints a table per run (req/s, p50, p99, errors, SQL queries per request, share of
each ceiling) with the admin's timings, and writes them to bench/RESULTS.md.

Options (environment): BENCH_SIZES (default "10000,100000"), BENCH_DATABASES (default
"sqlite,postgresql"), BENCH_SECONDS per wrk run (10), BENCH_CONNECTIONS (8), BENCH_WORKERS
gunicorn workers (2), BENCH_POSTGRES (the server, default postgres://postgres@127.0.0.1:5432;
the database newsroom_bench on it is dropped and made again), BENCH_REDIS (default
redis://127.0.0.1:6379/7, flushed).
"""

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
RESULTS = ROOT / "bench" / "RESULTS.md"
CEILING_FILE = OUT / "ceiling" / "article.html"
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "10000,100000").split(",")]
DATABASES = os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",")
SECONDS = int(os.environ.get("BENCH_SECONDS", 10))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", 8))
WORKERS = int(os.environ.get("BENCH_WORKERS", 2))
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/7")
#: Pages the page cache never keeps (their "page cache" line would be the rendered one again).
NEVER_CACHED = {"search"}
#: Sections of RESULTS.md that other commands write and this one keeps.
KEPT_SECTIONS = ("## PostgreSQL restarted under load", "## Photo renditions", "## Search")


def production_environment(database=None):
    database = database or os.environ.get("DATABASE_URL", f"sqlite:///{OUT / 'bench.sqlite3'}")
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
    raise SystemExit(f"nothing answered on port {port}")


def script_rows(env, script, *args):
    """Run `bench/<script>` in the benchmark's environment: its output's tab-separated rows."""
    lines = subprocess.run(
        [sys.executable, f"bench/{script}", *map(str, args)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    return [line.split("\t") for line in lines if line]


def generate_pages(env, articles):
    """Fill the database with `articles` generated stories:
    [(page name, path, SQL rendered, SQL from the page cache)]."""
    return script_rows(env, "pages.py", articles, CEILING_FILE)


def stop_group(process):
    """Stop `process` and everything it started (it leads its own session), and wait until every
    one of them has exited: a gunicorn worker still answering a slow page (the sitemap) would
    otherwise take CPU from the next measurement."""
    os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        process.poll()  # reaps `make` itself, which would otherwise linger in the group
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.2)
    else:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def get(port, path, headers=None):
    connection = HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
        response = connection.getresponse()
        response.read()
        return response
    finally:
        connection.close()


def required_tools():
    missing = [tool for tool in ("wrk", "nginx") if not shutil.which(tool)]
    if missing and os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(
            ["apt-get", "install", "-y", "-q", *missing],
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            check=False,
            capture_output=True,
        )
        missing = [tool for tool in missing if not shutil.which(tool)]
    if missing:
        raise SystemExit(f"make bench needs {' and '.join(missing)}: apt-get install -y wrk nginx")


def fresh_database(kind, size):
    if kind == "sqlite":
        path = OUT / f"bench-{size}.sqlite3"
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute("DROP DATABASE IF EXISTS newsroom_bench WITH (FORCE)")
        connection.execute("CREATE DATABASE newsroom_bench")
    return f"{POSTGRES}/newsroom_bench"


@contextmanager
def serving(env):
    """`make serve` on a free port, stopped (with its worker) afterwards: yields the port."""
    port = free_port()
    log = (OUT / f"serve-{port}.log").open("w")
    serve = subprocess.Popen(
        ["make", "--no-print-directory", "serve", "HOST=127.0.0.1", f"PORT={port}"],
        cwd=ROOT,
        env={**env, "GUNICORN_WORKERS": str(WORKERS)},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for(port, timeout=180)
        deadline = time.monotonic() + 120
        while get(port, "/healthz/").status != 200 and time.monotonic() < deadline:
            time.sleep(0.5)
        yield port
    finally:
        stop_group(serve)


@contextmanager
def nginx_serving(file):
    """nginx (2 workers, no access log) serving `file`'s directory: yields the port."""
    port = free_port()
    prefix = OUT / "nginx"
    prefix.mkdir(parents=True, exist_ok=True)
    config = prefix / "nginx.conf"
    config.write_text(
        textwrap.dedent(f"""
        daemon off;
        worker_processes {WORKERS};
        pid {prefix}/nginx.pid;
        error_log {prefix}/error.log;
        events {{ worker_connections 1024; }}
        http {{
            access_log off;
            client_body_temp_path {prefix}/body;
            proxy_temp_path {prefix}/proxy;
            fastcgi_temp_path {prefix}/fastcgi;
            uwsgi_temp_path {prefix}/uwsgi;
            scgi_temp_path {prefix}/scgi;
            default_type text/html;
            server {{
                listen 127.0.0.1:{port};
                root {file.parent};
            }}
        }}
        """)
    )
    server = subprocess.Popen(["nginx", "-p", str(prefix), "-c", str(config)])
    try:
        wait_for(port)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(port, path, headers=None):
    """wrk against `path` for SECONDS: {"rate", "p50", "p99" (ms), "errors"}."""
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", "--timeout", "10s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    latency = {
        share: float(number) * UNITS[unit]
        for share, number, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    }
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(failed.group(1)) if failed else 0
    errors += sum(int(n) for n in sockets.groups()) if sockets else 0
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    if not rate and not errors:
        return timed_alone(port, path, headers)
    if not rate or set(latency) != {"50", "99"}:
        raise SystemExit(f"wrk got no usable answer from {path}:\n{output}")
    return {"rate": rate, "p50": latency["50"], "p99": latency["99"], "errors": errors}


def timed_alone(port, path, headers=None, times=3):
    """For a page slower than a wrk run (none answered in SECONDS): `times` requests one after
    the other, as req/s of one connection and the median and slowest time."""
    took, errors = [], 0
    for _ in range(times):
        started = time.monotonic()
        errors += get(port, path, headers).status >= 400
        took.append((time.monotonic() - started) * 1000)
    took.sort()
    return {
        "rate": 1000 / took[len(took) // 2],
        "p50": took[len(took) // 2],
        "p99": took[-1],
        "errors": errors,
    }


def scheduled_publishing(env, count=1000):
    """(stories published, seconds from their due time until the last was published)."""
    published, seconds = script_rows(env, "publish_due.py", count)[-1]
    return int(published), float(seconds)


def measure(kind, size):
    env = production_environment(fresh_database(kind, size))
    manage(env, "migrate", "--noinput", "-v0")
    started = time.monotonic()
    pages = generate_pages(env, size)
    generated_in = time.monotonic() - started
    rows = []
    ceilings = {}
    # Rendered pages as production makes them when the page cache does not serve them: Redis as
    # the cache, and the fragments of pages kept in it (public/fragments.py).
    subprocess.run(["redis-cli", "-u", REDIS, "flushdb"], check=True, capture_output=True)
    uncached = {
        **env,
        "PAGE_CACHE": "false",
        "FRAGMENT_CACHE": "true",
        "CACHE_URL": REDIS,
        "DJANGO_SETTINGS_MODULE": "bench.ceiling_settings",
        "BENCH_CEILING_FILE": str(CEILING_FILE),
    }
    with serving(uncached) as port:
        get(port, "/bench-ceiling/")
        ceilings["django"] = wrk(port, "/bench-ceiling/")
        for name, path, queries, _ in pages:
            get(port, path)
            rows.append((name, "rendered", wrk(port, path), queries))
    subprocess.run(["redis-cli", "-u", REDIS, "flushdb"], check=True, capture_output=True)
    with serving({**env, "PAGE_CACHE": "true", "CACHE_URL": REDIS}) as port:
        for name, path, _, queries in pages:
            if name in NEVER_CACHED:
                continue
            get(port, path)
            rows.append((name, "page cache", wrk(port, path), queries))
        name, path = next((name, path) for name, path, *_ in pages if name.startswith("article"))
        etag = get(port, path).getheader("ETag")
        rows.append((name, "304", wrk(port, path, {"If-None-Match": etag}), "0"))
    with nginx_serving(CEILING_FILE) as port:
        ceilings["nginx"] = wrk(port, f"/{CEILING_FILE.name}")
    return {
        "kind": kind,
        "size": size,
        "generated_in": generated_in,
        "rows": rows,
        "ceilings": ceilings,
        "admin": script_rows(env, "admin_timing.py"),
        "publishing": scheduled_publishing(env),
        "load": os.getloadavg()[0],
    }


def table(run):
    django, nginx = run["ceilings"]["django"]["rate"], run["ceilings"]["nginx"]["rate"]
    lines = [
        f"### {run['kind']}, {run['size']:,} articles",
        "",
        f"Content generated in {run['generated_in']:.0f} s; load average at the end "
        f"{run['load']:.1f}.",
        "",
        "| page | served | req/s | p50 ms | p99 ms | errors | SQL | of Django view | of nginx |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, served, figures, queries in run["rows"]:
        lines.append(
            f"| {name} | {served} | {figures['rate']:.0f} | {figures['p50']:.1f} | "
            f"{figures['p99']:.1f} | {figures['errors']} | {queries} | "
            f"{figures['rate'] / django:.0%} | {figures['rate'] / nginx:.0%} |"
        )
    for name, figures in run["ceilings"].items():
        lines.append(
            f"| ceiling: {'trivial Django view' if name == 'django' else 'nginx, static file'} "
            f"| same bytes | {figures['rate']:.0f} | {figures['p50']:.1f} | {figures['p99']:.1f} "
            f"| {figures['errors']} | 0 | | |"
        )
    lines += ["", "| admin (in-process, median of 5) | ms | SQL |", "|---|---:|---:|"]
    lines += [f"| {what} | {ms} | {queries} |" for what, ms, queries in run["admin"]]
    published, seconds = run["publishing"]
    lines += [
        "",
        f"1,000 stories scheduled for the same moment, {WORKERS} task workers: {published:,} "
        f"published, the last {seconds:.1f} s after the due time.",
    ]
    return "\n".join(lines)


def growth(runs):
    """For each database run at several sizes: how much slower each page is at the largest size
    than at the smallest (issue 12's goal: within 1.5x)."""
    lines = []
    for kind in dict.fromkeys(run["kind"] for run in runs):
        sized = sorted((run for run in runs if run["kind"] == kind), key=lambda run: run["size"])
        if len(sized) < 2:
            continue
        small, large = sized[0], sized[-1]
        rates = {(name, served): figures["rate"] for name, served, figures, _ in large["rows"]}
        lines += [
            f"### {kind}: {large['size']:,} articles against {small['size']:,}",
            "",
            f"| page | served | req/s at {small['size']:,} | req/s at {large['size']:,} "
            "| slower by |",
            "|---|---|---:|---:|---:|",
        ]
        for name, served, figures, _ in small["rows"]:
            if (name, served) in rates:
                ratio = figures["rate"] / rates[name, served]
                lines.append(
                    f"| {name} | {served} | {figures['rate']:.0f} | {rates[name, served]:.0f} "
                    f"| {ratio:.2f}x |"
                )
        lines.append("")
    return "\n".join(lines)


def write_results(runs):
    kept = ""
    if RESULTS.exists():
        text = RESULTS.read_text(encoding="utf-8")
        starts = [text.find(heading) for heading in KEPT_SECTIONS if heading in text]
        kept = text[min(starts) :] if starts else ""
    header = textwrap.fill(
        f"Made with `make bench` on {datetime.now(UTC):%Y-%m-%d} on this project's "
        f"{os.cpu_count()}-core machine: `make serve` with {WORKERS} gunicorn workers under "
        f"production settings, wrk with {CONNECTIONS} connections for {SECONDS} s per line from "
        '127.0.0.1 (the same cores: the load generator takes its share). "rendered" has the '
        'page cache off and the fragments of pages kept in Redis; "page cache" serves anonymous '
        'readers from Redis; "304" revalidates with If-None-Match. SQL is counted in-process per '
        "request, for pages made whole. A page no request of which finished within a wrk run "
        "is timed alone instead: 3 requests one after the other (req/s of one connection, the "
        "median as p50 and the slowest as p99). The ceilings are measured in the same run.",
        width=100,
    )
    body = "\n\n".join([*(table(run) for run in runs), growth(runs)]).rstrip()
    RESULTS.write_text(
        f"# Benchmark results\n\n## Public pages (`make bench`)\n\n{header}\n\n{body}\n\n{kept}",
        encoding="utf-8",
    )


def main():
    required_tools()
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    manage(production_environment(), "collectstatic", "--noinput", "-v0")
    runs = []
    for kind in DATABASES:
        for size in SIZES:
            run = measure(kind, size)
            print(table(run), flush=True)
            runs.append(run)
    print(growth(runs), flush=True)
    write_results(runs)


if __name__ == "__main__":
    main()

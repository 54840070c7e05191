"""Search benchmark: `python bench/search.py` (results: bench/RESULTS.md).

Fills a database with `generate_content` (BENCH_ARTICLES, default 100,000; a database that
already holds that many articles is reused, an empty one is filled), then times a fixed set of
200 queries, in process, on the engine of the database in use:

- "public": what the public search page asks, i.e. the count and the first page of 20 with
  snippets, over published stories;
- "desk": what the admin's article list asks, i.e. the count and the first 100 rows of all
  articles matching, newest first.

Every query runs once to warm the caches, then once timed; p50, p95 and the slowest are printed
by kind of query (single words, phrases, names, misspelt names, queries that find nothing) and
as a Markdown table. Options (environment): BENCH_ARTICLES, DATABASE_URL (default: SQLite file
bench/out/search-<N>.sqlite3).
"""

import os
import random
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
ARTICLES = int(os.environ.get("BENCH_ARTICLES", 100_000))

sys.path.insert(0, str(ROOT))
OUT.mkdir(parents=True, exist_ok=True)
os.environ.setdefault("DATABASE_URL", f"sqlite:///{OUT / f'search-{ARTICLES}.sqlite3'}")
os.environ.update(
    DJANGO_SETTINGS_MODULE="newsroom.settings",
    DEBUG="false",
    SECRET_KEY=secrets.token_urlsafe(50),
    SITE_URL="http://127.0.0.1",
    LOG_LEVEL="ERROR",
)

import django  # noqa: E402 (after the environment above)

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from articles.models import Article  # noqa: E402
from articles.search import matching, search  # noqa: E402
from demo.generate import OBJECTS, PLACES, SUBJECTS, Writer  # noqa: E402
from people.models import Person  # noqa: E402


def prepare():
    call_command("migrate", verbosity=0)
    have = Article.objects.count()
    if have == 0:
        call_command("generate_content", articles=ARTICLES)
    elif have != ARTICLES:
        sys.exit(f"The database holds {have} articles, not {ARTICLES}: empty it or use another.")


def misspell(name, rng):
    """Drop or swap one letter of the surname."""
    first, last = name.split(" ", 1)
    at = rng.randrange(1, len(last) - 1)
    if rng.random() < 0.5:
        return f"{first} {last[:at]}{last[at + 1 :]}"
    return f"{first} {last[:at]}{last[at + 1]}{last[at]}{last[at + 2 :]}"


def queries():
    """The 200 queries, the same on every run: (kind, text)."""
    rng = random.Random(200)
    lexicon = Writer(random.Random(11)).lexicon  # the generator's own words (seed 11)
    common, rare = lexicon[:20], lexicon[200:3000:70]
    names = list(
        Person.objects.filter(slug__startswith="gen-")
        .exclude(kind=Person.Kind.PRIVATE_INDIVIDUAL)
        .order_by("pk")
        .values_list("name", flat=True)[:400:10]
    )
    single = [*SUBJECTS, *PLACES, *common[:10], *rare[:16]]
    phrases = [
        *(f'"{rng.choice(PLACES)} {subject}"' for subject in SUBJECTS[:12]),
        *(f'"{obj}"' for obj in OBJECTS),
        *(f'"said the {subject}"' for subject in SUBJECTS[12:20]),
        *(f"{subject} -{rng.choice(PLACES)}" for subject in SUBJECTS[:4]),
        *(f"{a} or {b}" for a, b in zip(rare[:4], rare[4:8], strict=True)),
    ]
    misspelt = [misspell(name, rng) for name in names[:30]]
    nothing = [f"xq{word}" for word in rare[:20]] + [
        f'"{a} {b}"' for a, b in zip(PLACES, reversed(SUBJECTS), strict=False)
    ]
    kinds = {
        "single word": single,
        "phrase or operators": phrases,
        "name": names,
        "misspelt name": misspelt,
        "no hit": nothing,
    }
    chosen = [(kind, text) for kind, texts in kinds.items() for text in texts]
    if len(chosen) != 200:
        raise RuntimeError(f"{len(chosen)} queries, not 200")
    return chosen


def public(text):
    results = search(text, scope=Article.objects.published())
    results.count()
    return results[:20]


def desk(text):
    articles = Article.objects.all()
    found = articles.filter(matching(text, articles)).order_by("-first_published_at", "-created_at")
    found.count()
    return list(found.for_listing()[:100])


def timed(run, text):
    started = time.perf_counter()
    run(text)
    return (time.perf_counter() - started) * 1000


def percentile(values, share):
    return statistics.quantiles(values, n=100, method="inclusive")[share - 1]


def main():
    prepare()
    chosen = queries()
    print(f"{connection.vendor}, {Article.objects.count()} articles, 200 queries", flush=True)
    rows = []
    for label, run in (("public", public), ("desk", desk)):
        for _, text in chosen:
            run(text)  # warm up
        times = {}
        for kind, text in chosen:
            times.setdefault(kind, []).append(timed(run, text))
        everything = [value for values in times.values() for value in values]
        for kind, values in [*times.items(), ("all 200", everything)]:
            rows.append(
                f"| {label} | {kind} | {len(values)} | {statistics.median(values):.1f} | "
                f"{percentile(values, 95):.1f} | {max(values):.1f} |"
            )
    print("| search | queries | n | p50 ms | p95 ms | max ms |")
    print("|---|---|---:|---:|---:|---:|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()

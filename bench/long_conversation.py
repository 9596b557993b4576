"""Benchmark: an article with 100,000 comments costs what one with 500 does.

A cache miss of the article page must cost what the page shows, not what the article holds.
For each database (SQLite, PostgreSQL) it makes a throwaway database with production
settings, seeds two copies of a story with 500 and with ``--comments`` (100,000) comments
(``bench/fixtures.py``: threads, mostly approved), runs ANALYZE, and times with Django's test
client, in the process, as an anonymous reader (no cache in front: a miss), the default page
of comments, page 1 and the last page of each. Each is opened ``--warmup`` times, then timed
``--runs`` times; the median counts, and one more run counts the queries. It exits 1 if a
page of the big conversation takes more than ``--limit`` (2) times its page of the small one.

    .venv/bin/python bench/long_conversation.py [--db sqlite|postgres|both] [--runs 15]

Each database is measured in a process of its own, as ``bench/moderation_queue.py`` does
(whose throwaway-database helpers it uses); PostgreSQL's is ``newsroom_bench_long``.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(ROOT)

from bench.load_comments import count  # noqa: E402 (once the path is right)
from bench.moderation_queue import run_in_throwaway_database, setup_django  # noqa: E402

SMALL = 500
PAGES = {"default page": "", "page 1": "?cpage=1", "last page": "?cpage=999999"}


def measure(args) -> dict:
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.fixtures import make_article, seed_comments
    from comments.models import DiscussionSettings

    call_command("migrate", "--no-input", verbosity=0)
    articles = {}
    for n in (SMALL, args.comments):
        articles[n] = make_article(headline=f"A story with {n:,} comments")
        seed_comments(articles[n], n, seed=n)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    client = Client()
    per_page = DiscussionSettings.load().comments_per_page
    results = {}
    for n, article in articles.items():
        url = article.get_absolute_url()
        for name, query in (
            ("default page", ""),
            ("page 1", "?cpage=1"),
            ("last page", "?cpage=999999"),
        ):
            for _ in range(args.warmup):
                client.get(url + query)
            times = []
            for _ in range(args.runs):
                began = time.perf_counter()
                response = client.get(url + query)
                times.append((time.perf_counter() - began) * 1000)
                assert response.status_code == 200, response.status_code
            with CaptureQueriesContext(connection) as queries:
                client.get(url + query)
            results[f"{n}|{name}"] = {"ms": statistics.median(times), "queries": len(queries)}
    return {"per_page": per_page, "results": results, "load": os.getloadavg()[0]}


def summarise(db: str, measured: dict, big: int, limit: float) -> bool:
    print(f"\n{db}: {measured['per_page']} threads a page, load {measured['load']:.1f}")
    print(f"{'page':<14}{SMALL:>10,} ms{big:>12,} ms{'ratio':>8}{'queries':>10}")
    passed = True
    for name in PAGES:
        small, large = (measured["results"][f"{n}|{name}"] for n in (SMALL, big))
        ratio = large["ms"] / small["ms"]
        passed &= ratio <= limit
        print(
            f"{name:<14}{small['ms']:>13.1f}{large['ms']:>15.1f}{ratio:>8.2f}"
            f"{small['queries']:>5} / {large['queries']}"
        )
    print(f"{'PASS' if passed else 'FAIL'}  {big:,} comments within {limit}x of {SMALL}")
    return passed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--comments", type=count(SMALL, 2_000_000), default=100_000)
    parser.add_argument("--runs", type=count(1, 100), default=15)
    parser.add_argument("--warmup", type=count(0, 100), default=3)
    parser.add_argument("--limit", type=float, default=2.0)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args)))
        return 0
    passed = True
    options = [f"--comments={args.comments}", f"--runs={args.runs}", f"--warmup={args.warmup}"]
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        measured = run_in_throwaway_database(db, __file__, options, "newsroom_bench_long")
        passed &= measured is not None and summarise(db, measured, args.comments, args.limit)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: the editors' moderation queue with 100,000 comments.

For each database (SQLite, PostgreSQL) it makes a throwaway database with production
settings (debug off, a random secret key), runs ``migrate``, seeds ``--comments`` comments
with ``bench/fixtures.py`` (spread over 20 articles: threads, mostly approved, some pending,
spam and trash), signs in an editor (the Editors group, as ``createeditor`` makes them) with
Django's test client, and times what an editor opens: the comments changelist, its pending
filter, searches (a name, words of a comment, a phrase, an email and an IP address, and
words among the pending comments), and the status counts
(``Comment.objects.status_counts()``, what the views above the list show). Each is opened
``--warmup`` times, then timed ``--runs`` times; the median counts, and one more run
counts the queries. The machine's load average is printed too: on a shared machine it
explains more of the spread than anything measured.

It exits 1 if any median is ``--limit`` ms (150) or more, or a page does not answer 200 with
the rows it should list.

    .venv/bin/python bench/moderation_queue.py [--db sqlite|postgres|both] [--comments 100000]
                                    [--runs 7] [--warmup 2] [--limit 150] [-v]

SQLite: a file in a temporary folder. PostgreSQL: ``newsroom_bench_queue`` on 127.0.0.1:5432,
user ``postgres``, dropped and created again, and dropped afterwards. Each database is
measured in a process of its own (settings are read once per process): this script runs
itself with ``--measure`` and reads the result it prints as JSON.
"""

import argparse
import contextlib
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on the path: the project's folder takes its
# place, which is where ``bench.fixtures`` and the apps are found.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(ROOT)

from bench.load_comments import count  # noqa: E402 (once the path is right)
from deploy.serve import without_site_settings  # noqa: E402

POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
POSTGRES_DATABASE = "newsroom_bench_queue"  # never newsroom or test_newsroom: the suite's
ARTICLES = 20
CHANGELIST = "/admin/comments/comment/"
TITLES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


# --- the parent: one throwaway database and one measuring process per database -----------


def production_env(database_url: str) -> dict[str, str]:
    """Production settings for the test client; nothing of the caller's config."""
    env = without_site_settings(os.environ)
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE="0",
        NEWSROOM_SITE_URL="http://testserver",
        DATABASE_URL=database_url,
    )
    return env


POSTGRES_ADMIN = """
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True, connect_timeout=10) as connection:
    connection.execute(sys.argv[2])
"""


def postgres_admin(statement: str) -> None:
    """Run one statement on the server's maintenance database (psycopg is in the venv)."""
    maintenance = f"{POSTGRES_SERVER}/postgres"
    result = subprocess.run(  # noqa: S603 (our own statements, no shell)
        [sys.executable, "-c", POSTGRES_ADMIN, maintenance, statement],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise RuntimeError(f"{statement!r} on {maintenance} failed: {reason}")


def benchmark(db: str, args) -> dict | None:
    """Measure one database in a process of its own; None if that failed."""
    return run_in_throwaway_database(db, __file__, child_options(args), POSTGRES_DATABASE)


def run_in_throwaway_database(
    db: str, script: str, options: list[str], postgres_database: str
) -> dict | None:
    """Run ``script --measure options`` with production settings on a new, empty database
    (a SQLite file in a temporary folder, or ``postgres_database`` on 127.0.0.1:5432), drop
    the database afterwards, and return the JSON the script printed last; None on failure."""
    tmpdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    if db == "sqlite":
        database_url = f"sqlite:///{tmpdir / 'bench.sqlite3'}"
    else:
        database_url = f"{POSTGRES_SERVER}/{postgres_database}"
    print(f"\n== {TITLES[db]}: {database_url} ==", flush=True)
    command = [sys.executable, script, "--measure", *options]
    try:
        if db == "postgres":
            postgres_admin(f"DROP DATABASE IF EXISTS {postgres_database} WITH (FORCE)")
            postgres_admin(f"CREATE DATABASE {postgres_database}")
        result = subprocess.run(  # noqa: S603 (this script, our own arguments)
            command, cwd=ROOT, env=production_env(database_url), stdout=subprocess.PIPE, text=True
        )
        if result.returncode != 0:
            raise RuntimeError(f"the measuring process exited with {result.returncode}")
        return json.loads(result.stdout.strip().splitlines()[-1])
    except (RuntimeError, OSError, subprocess.SubprocessError, ValueError, IndexError) as error:
        print(f"error: {error}", file=sys.stderr)
        return None
    finally:
        if db == "postgres":
            with contextlib.suppress(RuntimeError, OSError, subprocess.SubprocessError):
                postgres_admin(f"DROP DATABASE IF EXISTS {postgres_database} WITH (FORCE)")
        shutil.rmtree(tmpdir, ignore_errors=True)


def child_options(args) -> list[str]:
    options = [
        f"--comments={args.comments}",
        f"--runs={args.runs}",
        f"--warmup={args.warmup}",
        f"--limit={args.limit}",
    ]
    return options + ["-v"] * args.verbose


def summarise(results: dict[str, dict | None], limit: float) -> bool:
    """Print one table, a column per database; True if every median is under the limit."""
    measured = {db: result for db, result in results.items() if result}
    if not measured:
        return False
    print()
    for db, result in measured.items():
        print(
            f"{TITLES[db]}: {result['database']}, {result['comments']:,} comments on "
            f"{result['articles']} articles, seeded in {result['seeded_in']:.1f} s; "
            f"median of {result['runs']} runs after {result['warmup']} warm-up; "
            f"{result['cores']} cores, load average {result['load'][0]:.1f} before, "
            f"{result['load'][1]:.1f} after"
        )
    header = ["", *(f"{TITLES[db]} median (min–max) / queries" for db in measured)]
    rows = [header, ["---"] * len(header)]
    names = list(next(iter(measured.values()))["cases"])
    for name in names:
        row = [name]
        for result in measured.values():
            case = result["cases"][name]
            row.append(
                f"{case['median']:.0f} ms ({case['min']:.0f}–{case['max']:.0f}) / {case['queries']}"
            )
        rows.append(row)
    print()
    for row in rows:
        print("| " + " | ".join(row) + " |")
    failures = [
        f"{TITLES[db]} {name}: {case['median']:.0f} ms"
        + ("" if case["ok"] else f" ({case['problem']})")
        for db, result in measured.items()
        for name, case in result["cases"].items()
        if case["median"] >= limit or not case["ok"]
    ]
    failures += [f"{TITLES[db]}: not measured" for db, result in results.items() if not result]
    print("\nresult: " + ("PASS" if not failures else "FAIL: " + "; ".join(failures)))
    return not failures


# --- the child: Django set up on the throwaway database ----------------------------------


def setup_django() -> None:
    """Django in this measuring process, on the throwaway database its environment names."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django
    from django.conf import settings

    # Whitenoise warns that collectstatic has not run; these pages need no static file.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    django.setup()
    # Production serves static files from collectstatic's manifest; the pages need only
    # their URLs here, so the plain storage spares a collectstatic into ./staticfiles.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def measure(args) -> dict:
    setup_django()

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.fixtures import make_article, seed_comments
    from comments.models import Comment

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    call_command("migrate", "--no-input", verbosity=0)
    began = time.perf_counter()
    per_article, extra = divmod(args.comments, ARTICLES)
    for number in range(ARTICLES):
        article = make_article(headline=f"Bench story {number + 1}")
        seed_comments(article, per_article + (number < extra), seed=number)
    seeded_in = time.perf_counter() - began
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would have by now
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # SQLite plans without statistics until someone does
    say(f"seeded {Comment.objects.count():,} comments in {seeded_in:.1f} s")

    editor = get_user_model().objects.create_user("bench-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(editor)

    sample = Comment.objects.order_by("pk")[Comment.objects.count() // 2]
    pending = Comment.objects.pending().count()
    per_page = 50

    def page(params: dict, expected_rows: int | None = None):
        """Open the changelist; a problem, or None if it lists ``expected_rows`` (None: any)."""

        def run():
            response = client.get(CHANGELIST, params)
            rows = response.content.count(b'class="field-excerpt"')
            if response.status_code != 200:
                return f"status {response.status_code}"
            if expected_rows is None and rows == 0:
                return "nothing listed"
            if expected_rows is not None and rows != expected_rows:
                return f"{rows} rows listed, {expected_rows} expected"
            return None

        return run

    def status_counts():
        Comment.objects.status_counts()

    cases = {
        "changelist, all": page({}, per_page),
        "changelist, ?status=pending": page({"status": "pending"}, min(per_page, pending)),
        # Searches for words read a full-text index (SQLite) or trigram indexes (PostgreSQL):
        # a name, a word in a few comments, two words in many, a phrase in more, and those
        # words among the pending comments.
        "search a name (?q=hopper)": page({"q": "hopper"}),
        "search a rare word (?q=repatriation)": page({"q": "repatriation"}),
        "search two common words (?q=north korean)": page({"q": "north korean"}),
        'search a phrase (?q="the bridge")': page({"q": '"the bridge"'}),
        "search a rare word, pending": page({"q": "repatriation", "status": "pending"}),
        "search two common words, pending": page({"q": "north korean", "status": "pending"}),
        # A whole email or IP address: that commenter's comments, up to a page.
        "search an email address": page(
            {"q": sample.author_email.upper()},
            min(per_page, Comment.objects.filter(author_email=sample.author_email).count()),
        ),
        "search an IP address": page(
            {"q": sample.ip_address},
            min(per_page, Comment.objects.filter(ip_address=sample.ip_address).count()),
        ),
        "status counts": status_counts,
    }

    results = {}
    load_before = os.getloadavg()[0]
    for name, run in cases.items():
        problem = None
        for _ in range(args.warmup):
            problem = run() or problem
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            problem = run() or problem
            times.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            run()
        results[name] = {
            "median": statistics.median(times),
            "min": min(times),
            "max": max(times),
            "queries": len(queries),
            "ok": problem is None,
            "problem": problem,
        }
        say(f"{name}: median {results[name]['median']:.0f} ms, {len(queries)} queries")
        if args.verbose:
            for query in queries.captured_queries:
                say(f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = "PostgreSQL " + cursor.fetchone()[0]
        else:
            cursor.execute("SELECT sqlite_version()")
            database = "SQLite " + cursor.fetchone()[0]
    return {
        "database": database,
        "comments": Comment.objects.count(),
        "articles": ARTICLES,
        "seeded_in": seeded_in,
        "runs": args.runs,
        "warmup": args.warmup,
        "cores": os.cpu_count(),
        "load": [load_before, os.getloadavg()[0]],
        "cases": results,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--comments", type=count(ARTICLES, 2_000_000), default=100_000)
    parser.add_argument("--runs", type=count(1, 100), default=7, help="timed runs per page")
    parser.add_argument("--warmup", type=count(0, 100), default=2, help="untimed runs first")
    parser.add_argument("--limit", type=float, default=150.0, help="ms a median must stay under")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="print every query")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args)))
        return 0
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    results = {db: benchmark(db, args) for db in databases}
    return 0 if summarise(results, args.limit) else 1


if __name__ == "__main__":
    sys.exit(main())

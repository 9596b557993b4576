"""Reading an article: through the cache, as a static file, from gunicorn, and WordPress.

``make bench-pages`` answers one question in one run: how fast is a reader served the
article with 0, 50 and 500 comments, (a) through the cache of ``make serve`` (Varnish, warm),
(b) as the same bytes from a static file behind the same Varnish (the upper bound: no
Django at all), (c) uncached from gunicorn, and, when it answers on 127.0.0.1:8081, the same
article on a stock WordPress (``/work/shared/peers/wordpress/setup.sh``). It prints the
requests a second, the SQL queries each uncached view makes, and the ratios, and checks
the targets:

- cached within 5x of the static file (cached / static >= 0.2);
- cached >= 100x WordPress at 0 comments and >= 500x at 500 comments;
- uncached (a cache miss) >= 10x WordPress at 50 comments.

It exits 1 if a target measured fails, 0 otherwise (a target not measured, for want of
WordPress, is shown as such). How:

1. A throwaway database (SQLite in a temporary directory; ``--db postgres`` for
   ``newsroom_bench_pages`` on 127.0.0.1:5432), production settings, ``migrate``,
   ``collectstatic``, ``loaddemo``; then three copies of the demo article, with 0, 50 and
   500 approved comments seeded by ``bench/fixtures.py``.
2. Queries per view: each article rendered once for an anonymous reader in this process
   by Django's test client, under ``CaptureQueriesContext``.
3. ``deploy/serve.py``'s ``start_stack()``: Varnish on a free port in front of gunicorn
   (2 sync workers per core). Each page is fetched through Varnish and saved, with a gzip
   copy as collectstatic makes them, under ``staticfiles/bench-pages/``; gunicorn reloads
   its workers (SIGHUP) so that whitenoise serves them, and Varnish keeps them like any
   static file: the same bytes, the same proxy, stored compressed as the page is.
4. ``wrk -t2 -c16 -d5s --timeout 30s --latency`` on each cell (WordPress: -d15s, as its
   own bench.sh does, after waiting for the CPUs to go idle, because one of its views takes
   seconds). No Accept-Encoding is sent (wrk's default, as the WordPress figures were made),
   so Varnish unzips each hit as it sends it.

    .venv/bin/python bench/pages.py [--db sqlite|postgres] [--duration 5] [--no-wordpress]
                                    [--per-page 500] [--json FILE]

Nothing leaves 127.0.0.1. Numbers are one run's, on a machine where wrk shares the CPUs
with the servers: read the ratios, never the absolute figures, and no test asserts a time.
"""

import argparse
import contextlib
import gzip
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# Imported from the project root (bench.fixtures, deploy.serve), never from bench/.
if sys.path[0] == str(HERE):
    sys.path[0] = str(ROOT)

from bench import load_comments  # noqa: E402 (the load test's settings and PostgreSQL helpers)
from deploy import serve  # noqa: E402

COMMENTS = (0, 50, 500)
POSTGRES_DATABASE = "newsroom_bench_pages"  # never newsroom or test_newsroom
STATIC_COPIES = ROOT / "staticfiles" / "bench-pages"
WORDPRESS = "http://127.0.0.1:8081"
WORDPRESS_POST = "/2025/01/13/the-future-of-north-korean-pows-in-ukraine-{n}-comments/"
WRK_THREADS, WRK_CONNECTIONS = 2, 16
# (comments, cached/WordPress at least)
WORDPRESS_TARGETS = {0: 100, 500: 500}
UNCACHED_TARGETS = {50: 10}  # a cache miss, against WordPress
STATIC_TARGET = 5  # cached within this factor of the static file


@dataclass
class Run:
    """One wrk run."""

    requests_per_second: float = 0.0
    p50: str = "-"
    requests: int = 0
    errors: int = 0  # non-2xx answers, socket errors, timeouts
    fetches: int | None = None  # Varnish's backend requests during the run


@dataclass
class Row:
    comments: int
    path: str = ""
    bytes: int = 0
    queries: int = 0
    cached: Run | None = None
    static: Run | None = None
    uncached: Run | None = None
    wp_bytes: int = 0
    wp_queries: str = "-"
    wordpress: Run | None = None


# --- preparing -----------------------------------------------------------------------------


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise SystemExit("bench-pages: wrk is not installed (Debian: apt-get install wrk)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)  # noqa: S607
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)  # noqa: S607


def bench_env(database_url: str, varnish_url: str) -> dict[str, str]:
    """Production settings, as ``make serve`` runs them in production, on this database."""
    env = load_comments.production_env(database_url)
    env.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        # testserver: the queries are counted with Django's test client, in this process.
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        NEWSROOM_TRUSTED_PROXIES="1",
        NEWSROOM_CACHE_PURGE_URLS=varnish_url,
        DJANGO_LOG_LEVEL="WARNING",
    )
    return env


def make_articles(env: dict[str, str], per_page: int | None) -> list[Row]:
    """The demo article three times over, with 0, 50 and 500 approved comments, and the
    queries an anonymous reader's view of each makes. Django runs in this process.

    ``per_page``: top-level comments per page, if not the discussion settings' default."""
    os.environ.update(env, DJANGO_SETTINGS_MODULE="newsroom.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article
    from bench.fixtures import make_article, seed_comments
    from comments.models import Comment, DiscussionSettings

    if per_page:
        discussion = DiscussionSettings.load()
        discussion.comments_per_page = per_page
        discussion.save()
    demo = Article.objects.get()
    rows = []
    for n in COMMENTS:
        article = make_article(
            headline=demo.headline,
            slug=f"{demo.slug}-{n}-comments",
            standfirst=demo.standfirst,
            dateline=demo.dateline,
            body=demo.body,
            byline=demo.byline,
            section=demo.section,
        )
        seed_comments(article, n, seed=n)
        # WordPress's copies show every comment: approve the seeded pending, spam and trash.
        Comment.objects.filter(article=article).update(status=Comment.Status.APPROVED)
        path = article.get_absolute_url()
        with CaptureQueriesContext(connection) as queries:
            response = Client().get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code} in the test client")
        rows.append(Row(n, path, queries=len(queries)))
    connection.close()
    return rows


def save_static_copies(stack: serve.Stack, rows: list[Row]) -> None:
    """Each page as Varnish sends it, saved where whitenoise serves static files; gunicorn
    then reloads its workers so that whitenoise sees them."""
    STATIC_COPIES.mkdir(parents=True, exist_ok=True)
    for row in rows:
        status, headers, body = serve.request(stack.varnish_url, "GET", row.path)
        if status != 200 or headers["X-Cache"] not in {"MISS", "HIT"}:
            raise RuntimeError(f"{row.path}: {status}, X-Cache {headers['X-Cache']}")
        row.bytes = len(body)
        (STATIC_COPIES / f"c{row.comments}.html").write_bytes(body)
        (STATIC_COPIES / f"c{row.comments}.html.gz").write_bytes(gzip.compress(body))
    os.kill(stack.processes["gunicorn"].pid, signal.SIGHUP)
    deadline = time.monotonic() + 60
    for row in rows:
        while True:
            status, _, body = serve.request(stack.gunicorn_url, "GET", static_path(row))
            if status == 200:
                break
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn's reloaded workers do not serve the static copies")
            time.sleep(0.5)
        if len(body) != row.bytes:
            raise RuntimeError(f"{static_path(row)}: {len(body)} bytes, {row.bytes} expected")


def static_path(row: Row) -> str:
    return f"/static/bench-pages/c{row.comments}.html"


# --- measuring -----------------------------------------------------------------------------


def wrk(url: str, seconds: int) -> Run:
    command = [
        "wrk",
        f"-t{WRK_THREADS}",
        f"-c{WRK_CONNECTIONS}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "--latency",
        url,
    ]
    output = subprocess.run(  # noqa: S603 (our own arguments)
        command, capture_output=True, text=True, check=True, timeout=seconds + 60
    ).stdout
    run = Run()
    for line in output.splitlines():
        words = line.split()
        if line.startswith("Requests/sec:"):
            run.requests_per_second = float(words[1])
        elif "requests in" in line:
            run.requests = int(words[0])
        elif words[:1] == ["50.000%"] or words[:1] == ["50%"]:
            run.p50 = words[1]
        elif line.strip().startswith("Non-2xx"):
            run.errors += int(words[-1])
        elif line.strip().startswith("Socket errors"):
            run.errors += sum(int(n) for n in re.findall(r"\d+", line))
    return run


def backend_requests(stack: serve.Stack) -> int:
    output = subprocess.run(  # noqa: S603
        ["varnishstat", "-n", str(stack.varnish_dir), "-1", "-f", "MAIN.backend_req"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return int(output.split()[1])


def through_cache(stack: serve.Stack, path: str, seconds: int) -> Run:
    """wrk on a page kept by Varnish: fetched twice first, so the run starts warm."""
    for _ in range(2):
        serve.request(stack.varnish_url, "GET", path)
    before = backend_requests(stack)
    run = wrk(stack.varnish_url + path, seconds)
    run.fetches = backend_requests(stack) - before
    return run


def cpu_busy_share(interval: float = 1.0) -> float:
    def sample():
        fields = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return sum(fields), fields[3] + fields[4]  # total, idle + iowait

    total_before, idle_before = sample()
    time.sleep(interval)
    total_after, idle_after = sample()
    total = total_after - total_before
    return 1 - (idle_after - idle_before) / total if total else 0.0


def wait_for_idle(limit: float = 60) -> None:
    """Until the CPUs are 90 % idle: WordPress finishes the views wrk gave up on."""
    deadline = time.monotonic() + limit
    while cpu_busy_share() > 0.10 and time.monotonic() < deadline:
        pass


def wordpress_answers() -> bool:
    with contextlib.suppress(OSError):
        return serve.request(WORDPRESS, "HEAD", "/", timeout=5)[0] < 500
    return False


def measure_wordpress(row: Row, seconds: int) -> None:
    path = WORDPRESS_POST.format(n=row.comments)
    status, _, body = serve.request(WORDPRESS, "GET", path, timeout=60)
    if status != 200:
        print(f"WordPress {path}: {status}, skipped", file=sys.stderr)
        return
    row.wp_bytes = len(body)
    _, _, counted = serve.request(WORDPRESS, "GET", path, {"X-Peer-Queries": "1"}, timeout=60)
    found = re.search(rb"wp-peer queries: (\d+)", counted)
    row.wp_queries = found.group(1).decode() if found else "?"
    wait_for_idle()
    row.wordpress = wrk(WORDPRESS + path, seconds)
    wait_for_idle()


# --- the report ----------------------------------------------------------------------------


def ratio(numerator: Run | None, denominator: Run | None) -> float | None:
    if not numerator or not denominator or not denominator.requests_per_second:
        return None
    return numerator.requests_per_second / denominator.requests_per_second


def shown(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def times_wordpress(run: Run | None, wordpress: Run | None, seconds: int):
    """(ratio, shown) of ``run`` to WordPress. When not one WordPress view finished within
    the run, WordPress made under one view in ``seconds``: the ratio is at least this."""
    if not run or not wordpress:
        return None, "-"
    if wordpress.requests == 0:
        bound = run.requests_per_second * seconds
        return bound, f">{bound:,.0f}"
    value = ratio(run, wordpress)
    return value, shown(value, 1 if value is not None and value < 100 else 0)


def report(rows: list[Row], args) -> bool:
    print(
        f"\nwrk -t{WRK_THREADS} -c{WRK_CONNECTIONS} -d{args.duration}s (WordPress -d"
        f"{args.wordpress_duration}s), no Accept-Encoding; {os.cpu_count()} cores shared by "
        "wrk and the servers; req/s, p50 in brackets; top-level comments per page: "
        f"{args.per_page or 'the default'}\n"
    )
    header = (
        "comments",
        "bytes",
        "queries",
        "cached",
        "static",
        "uncached",
        "WordPress (bytes, queries)",
        "cached/static",
        "cached/WP",
        "uncached/WP",
    )
    lines = [header]
    for row in rows:
        wp = row.wordpress
        lines.append(
            (
                str(row.comments),
                f"{row.bytes:,}",
                str(row.queries),
                f"{shown(row.cached.requests_per_second)} ({row.cached.p50})",
                f"{shown(row.static.requests_per_second)} ({row.static.p50})",
                f"{shown(row.uncached.requests_per_second, 1)} ({row.uncached.p50})",
                f"{shown(wp.requests_per_second, 2)} ({row.wp_bytes:,} B, {row.wp_queries} q)"
                if wp
                else "not measured",
                shown(ratio(row.cached, row.static), 2),
                times_wordpress(row.cached, wp, args.wordpress_duration)[1],
                times_wordpress(row.uncached, wp, args.wordpress_duration)[1],
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        print("  ".join(cell.rjust(width) for cell, width in zip(line, widths, strict=True)))

    notes = []
    for row in rows:
        for name in ("cached", "static", "uncached", "wordpress"):
            run = getattr(row, name)
            if run and run.errors:
                notes.append(f"{row.comments} comments, {name}: {run.errors} errors")
            if run and run.fetches:
                notes.append(f"{row.comments} comments, {name}: {run.fetches} backend fetches")
    for note in notes:
        print("note:", note)

    print()
    passed = True
    for row in rows:
        share = ratio(row.cached, row.static)
        ok = share is not None and share * STATIC_TARGET >= 1
        passed &= ok
        print(
            f"{'PASS' if ok else 'FAIL'}  {row.comments} comments: cached within "
            f"{STATIC_TARGET}x of the static file (cached/static {shown(share, 2)})"
        )
    for n, target in WORDPRESS_TARGETS.items():
        row = next(row for row in rows if row.comments == n)
        times, text = times_wordpress(row.cached, row.wordpress, args.wordpress_duration)
        if times is None:
            print(f"----  {n} comments: cached >= {target}x WordPress: WordPress not measured")
            continue
        ok = times >= target
        passed &= ok
        print(f"{'PASS' if ok else 'FAIL'}  {n} comments: cached >= {target}x WordPress ({text}x)")
    for n, target in UNCACHED_TARGETS.items():
        row = next(row for row in rows if row.comments == n)
        times = ratio(row.uncached, row.wordpress)
        if times is None:
            print(f"----  {n} comments: uncached >= {target}x WordPress: WordPress not measured")
            continue
        ok = times >= target
        passed &= ok
        print(
            f"{'PASS' if ok else 'FAIL'}  {n} comments: uncached >= {target}x WordPress "
            f"({shown(times, 1)}x)"
        )
    if args.json:
        Path(args.json).write_text(json.dumps([row_facts(row) for row in rows], indent=2))
    return passed


def row_facts(row: Row) -> dict:
    def run(r: Run | None):
        return r and {"rps": r.requests_per_second, "p50": r.p50, "errors": r.errors}

    return {
        "comments": row.comments,
        "bytes": row.bytes,
        "queries": row.queries,
        "cached": run(row.cached),
        "static": run(row.static),
        "uncached": run(row.uncached),
        "wordpress": run(row.wordpress),
        "wordpress_bytes": row.wp_bytes,
        "wordpress_queries": row.wp_queries,
    }


# --- one run -------------------------------------------------------------------------------


def bench(args) -> bool:
    tmpdir = Path(tempfile.mkdtemp(prefix="newsroom-pages-"))
    if args.db == "sqlite":
        database_url = f"sqlite:///{tmpdir / 'pages.sqlite3'}"
    else:
        database_url = f"{load_comments.POSTGRES_SERVER}/{POSTGRES_DATABASE}"
        load_comments.postgres_admin(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
        load_comments.postgres_admin(f"CREATE DATABASE {POSTGRES_DATABASE}")
    port = serve.free_port()
    env = bench_env(database_url, f"http://127.0.0.1:{port}")
    log_path = tmpdir / "stack.log"
    stack = None
    try:
        print(f"preparing {database_url} ...", flush=True)
        load_comments.manage(env, "migrate", "--no-input", "-v", "0")
        load_comments.manage(env, "collectstatic", "--no-input", "-v", "0")
        load_comments.manage(env, "loaddemo", "-v", "0")
        rows = make_articles(env, args.per_page)
        with open(log_path, "w") as log:
            stack = serve.start_stack(
                env,
                port=port,
                workers=2 * (os.cpu_count() or 1),
                run_dir=tmpdir,
                output=log,
            )
            stack.wait_until_answering()
            save_static_copies(stack, rows)
            for row in rows:
                print(f"measuring {row.comments} comments ...", flush=True)
                row.cached = through_cache(stack, row.path, args.duration)
                row.static = through_cache(stack, static_path(row), args.duration)
                row.uncached = wrk(stack.gunicorn_url + row.path, args.duration)
            stack.stop()
        if args.wordpress and wordpress_answers():
            for row in rows:
                print(f"measuring WordPress, {row.comments} comments ...", flush=True)
                measure_wordpress(row, args.wordpress_duration)
        elif args.wordpress:
            print(f"WordPress does not answer at {WORDPRESS}: not measured")
        return report(rows, args)
    except BaseException:
        print(f"server log kept: {log_path}", file=sys.stderr)
        raise
    else:
        shutil.rmtree(tmpdir, ignore_errors=True)
    finally:
        if stack is not None:
            stack.stop()
        shutil.rmtree(STATIC_COPIES, ignore_errors=True)
        if args.db == "postgres":
            with contextlib.suppress(subprocess.SubprocessError, OSError, RuntimeError):
                load_comments.postgres_admin(
                    f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)"
                )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--duration", type=int, default=5, help="seconds of wrk per cell")
    parser.add_argument("--wordpress-duration", type=int, default=15)
    parser.add_argument("--no-wordpress", dest="wordpress", action="store_false")
    parser.add_argument(
        "--per-page",
        type=load_comments.count(1, 500),
        help="top-level comments per page (default: the discussion settings' 50; "
        "WordPress shows all 500 on one page: --per-page 500 compares like with like)",
    )
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    serve.ensure_varnish()
    ensure_wrk()
    return 0 if bench(args) else 1


if __name__ == "__main__":
    sys.exit(main())

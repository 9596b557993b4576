"""Load test: parallel readers posting comments to the production server.

For each database (SQLite, PostgreSQL) it prepares a fresh database with production settings
(debug off, a random secret key, the anti-spam time limits turned off so that one client may
post quickly), starts gunicorn, and lets ``--posters`` separate "browsers" post ``--comments``
comments each through the article's "Leave a Reply" form, all at the same time. Then it
counts the comments stored and searches the server's log for "database is locked" and
tracebacks.

It passes only if every comment is stored, no request got a 5xx or no answer, and the log
holds neither "database is locked" nor a traceback; the exit status says so (0 or 1).

    .venv/bin/python bench/load_comments.py [--db sqlite|postgres|both] [--posters 20]
                                            [--comments 10] [--workers 4]

The client is the standard library only; manage.py and gunicorn run from the project's
virtualenv (the one running this script, or ``.venv``). Nothing leaves 127.0.0.1.
"""

import argparse
import contextlib
import html.parser
import http.cookiejar
import json
import math
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on the path; the project's takes its place.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(ROOT)

from deploy.serve import without_site_settings  # noqa: E402 (once the path is right)

ARTICLE_PATH = "/articles/the-future-of-north-korean-pows-in-ukraine/"
FORM_ID = "commentform"
EMAIL_DOMAIN = "load.example"  # .example is reserved: these addresses reach no one
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
POSTGRES_DATABASE = "newsroom_bench"  # never newsroom or test_newsroom: the suite uses those
REQUEST_TIMEOUT = 60  # seconds; longer than SQLite's 20 s busy timeout
SERVER_START_TIMEOUT = 60
RUN_TIMEOUT = 900  # the whole posting phase, however many posters
CLASSES = ("2xx", "3xx", "4xx", "5xx", "no answer")
LOG_PATTERNS = ("database is locked", "Traceback", "WORKER TIMEOUT")


def venv_bin() -> Path:
    here = Path(sys.executable).parent
    return here if (here / "gunicorn").exists() else ROOT / ".venv" / "bin"


# --- the server side -------------------------------------------------------------------


def production_env(database_url: str) -> dict[str, str]:
    """Production settings with the anti-spam limits lifted; nothing of the caller's config."""
    env = without_site_settings(os.environ)
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE="0",
        NEWSROOM_SITE_URL="http://127.0.0.1",
        DATABASE_URL=database_url,
        NEWSROOM_COMMENT_MIN_SECONDS="0",
        NEWSROOM_COMMENT_FLOOD_SECONDS="0",
        NEWSROOM_COMMENT_RATE_PER_HOUR="0",
        # Whatever moderator emails a comment triggers stay in memory: no SMTP server needed.
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603 (our own arguments, no shell)
        [str(venv_bin() / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


POSTGRES_ADMIN = """
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True, connect_timeout=10) as connection:
    connection.execute(sys.argv[2])
"""


def postgres_admin(statement: str) -> None:
    """Run one statement on the server's maintenance database (psycopg is in the venv)."""
    maintenance = f"{POSTGRES_SERVER}/postgres"
    result = subprocess.run(  # noqa: S603 (our own statements, no shell)
        [str(venv_bin() / "python"), "-c", POSTGRES_ADMIN, maintenance, statement],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise RuntimeError(f"{statement!r} on {maintenance} failed: {reason}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict[str, str], port: int, workers: int, log) -> subprocess.Popen:
    command = [
        str(venv_bin() / "gunicorn"),
        "newsroom.wsgi",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "--threads=1",
        "--access-logfile=-",
        # The default format plus the time the server spent on the request.
        '--access-logformat=%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms',
        "--graceful-timeout=10",
    ]
    return subprocess.Popen(  # noqa: S603 (our own arguments, no shell)
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )


def wait_until_answering(server: subprocess.Popen, base: str) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {server.returncode}")
        with contextlib.suppress(OSError), opener.open(base + "/", timeout=5) as response:
            if response.status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {SERVER_START_TIMEOUT} s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


STORED = """
import json
from django.db import connection
from comments.models import Comment
facts = {
    "stored": Comment.objects.filter(author_email__endswith="@%s").count(),
    "total": Comment.objects.count(),
    "vendor": connection.vendor,
}
if connection.vendor == "sqlite":
    with connection.cursor() as cursor:
        for pragma in ("journal_mode", "busy_timeout", "synchronous"):
            facts[pragma] = cursor.execute("PRAGMA " + pragma).fetchone()[0]
print(json.dumps(facts))
"""


def database_facts(env: dict[str, str]) -> dict:
    """Comments stored, and for SQLite the pragmas a connection made with these settings has."""
    output = manage(env, "shell", "-c", STORED % EMAIL_DOMAIN)
    return json.loads(output.strip().splitlines()[-1])


# --- the client side: one "browser" per poster ---------------------------------------------


@dataclass
class Sample:
    method: str
    status: int  # 0: no answer (connection refused or reset, timeout)
    seconds: float


@dataclass
class Response:
    status: int
    location: str
    body: str


class KeepEveryResponse(urllib.request.HTTPErrorProcessor):
    """Hand back 3xx/4xx/5xx responses as they are: no redirect followed, nothing raised."""

    def http_response(self, request, response):
        return response


class CommentFormParser(html.parser.HTMLParser):
    """The comment form's action, hidden inputs and submit button, as a browser sends them."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.fields: dict[str, str] = {}
        self._inside = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == FORM_ID:
            self._inside, self.action = True, attrs.get("action") or ""
        elif self._inside and tag == "input" and attrs.get("type") in {"hidden", "submit"}:
            self.fields[attrs.get("name") or ""] = attrs.get("value") or ""
        self.fields.pop("", None)  # an input without a name is not sent

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False


@dataclass
class Form:
    action: str
    fields: dict[str, str]


def parse_form(body: str) -> Form | None:
    parser = CommentFormParser()
    parser.feed(body)
    if parser.action is None or "timestamp" not in parser.fields:
        return None
    return Form(parser.action, parser.fields)


class Browser:
    """A separate reader: its own cookies (the session its first comment starts), nothing
    shared."""

    def __init__(self, base: str, number: int, samples: list[Sample], lock: threading.Lock):
        self.base, self.samples, self.lock = base, samples, lock
        self.user_agent = f"newsroom-load-test/1 (poster {number})"
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),  # never through a proxy: 127.0.0.1 only
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            KeepEveryResponse(),
        )

    def request(self, method: str, url: str, data=None, headers=None) -> Response | None:
        headers = {"User-Agent": self.user_agent, **(headers or {})}
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        # Every URL is http://127.0.0.1:<port>/…, built here or from the server's Location.
        request = urllib.request.Request(url, data=body, headers=headers, method=method)  # noqa: S310
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=REQUEST_TIMEOUT) as answer:
                response = Response(
                    answer.status,
                    answer.headers.get("Location", ""),
                    answer.read().decode("utf-8", "replace"),
                )
        except (OSError, urllib.error.URLError):
            response = None
        seconds = time.perf_counter() - started
        with self.lock:
            self.samples.append(Sample(method, response.status if response else 0, seconds))
        return response

    def form_on(self, url: str) -> Form | None:
        response = self.request("GET", url)
        return parse_form(response.body) if response and response.status == 200 else None


def poster(number: int, comments: int, base: str, start: threading.Barrier, shared) -> None:
    samples, lock, accepted = shared
    browser = Browser(base, number, samples, lock)
    page = base + ARTICLE_PATH
    form = browser.form_on(page)
    with contextlib.suppress(threading.BrokenBarrierError):
        start.wait(timeout=SERVER_START_TIMEOUT)  # everyone posts at the same moment
    for index in range(1, comments + 1):
        if form is None:
            return  # the page had no form: the missing comments show in the summary
        data = {
            **form.fields,
            "comment": f"Load test comment {index} of {comments} from poster {number}.",
            "author": f"Load Poster {number:03d}",
            "email": f"poster{number:03d}@{EMAIL_DOMAIN}",
            "url": "",
            "honeypot": "",
        }
        origin = {"Referer": page, "Origin": base}
        response = browser.request("POST", urllib.parse.urljoin(page, form.action), data, origin)
        if response and response.status == 302:
            with lock:
                accepted[0] += 1
            page = urllib.parse.urldefrag(urllib.parse.urljoin(page, response.location)).url
            form = browser.form_on(page)  # a fresh timestamp, as a browser would show
        else:
            # A refused comment comes back with the form again; anything else: reload.
            form = (response and parse_form(response.body)) or browser.form_on(page)


# --- one run, one summary --------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def run_posters(base: str, posters: int, comments: int) -> tuple[list[Sample], int, float, int]:
    samples: list[Sample] = []
    shared = (samples, threading.Lock(), [0])
    start = threading.Barrier(posters)
    threads = [
        threading.Thread(
            target=poster, args=(n, comments, base, start, shared), name=f"poster-{n}", daemon=True
        )
        for n in range(1, posters + 1)
    ]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + RUN_TIMEOUT
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    wall = time.perf_counter() - began
    still_running = sum(thread.is_alive() for thread in threads)
    return list(samples), shared[2][0], wall, still_running


def benchmark(db: str, args) -> bool:
    tmpdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    log_path = tmpdir.with_suffix(".log")
    if db == "sqlite":
        database_url = f"sqlite:///{tmpdir / 'bench.sqlite3'}"
    else:
        database_url = f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}"
    title = {"sqlite": "SQLite", "postgres": "PostgreSQL"}[db]
    print(f"\n== {title}: {database_url} ==", flush=True)
    env = production_env(database_url)
    server = None
    passed = False
    try:
        if db == "postgres":
            postgres_admin(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
            postgres_admin(f"CREATE DATABASE {POSTGRES_DATABASE}")
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "loaddemo", "-v", "0")
        manage(env, "collectstatic", "--no-input", "-v", "0")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with open(log_path, "w") as log:
            server = start_server(env, port, args.workers, log)
            wait_until_answering(server, base)
            samples, accepted, wall, stuck = run_posters(base, args.posters, args.comments)
            stop_server(server)
        facts = database_facts(env)
        log_text = log_path.read_text(errors="replace")
        passed = summarise(title, args, base, samples, accepted, wall, stuck, facts, log_text)
    except (RuntimeError, OSError, subprocess.SubprocessError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
    finally:
        if server is not None:
            stop_server(server)
        if db == "postgres":
            with contextlib.suppress(subprocess.SubprocessError, OSError):
                postgres_admin(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
        shutil.rmtree(tmpdir, ignore_errors=True)
        if passed and not args.keep_log:
            log_path.unlink(missing_ok=True)
        elif log_path.exists():
            print(f"server log kept: {log_path}")
    return passed


def summarise(title, args, base, samples, accepted, wall, stuck, facts, log_text) -> bool:
    expected = args.posters * args.comments
    statuses = Counter(sample.status for sample in samples)
    classes = Counter(f"{s.status // 100}xx" if s.status else "no answer" for s in samples)
    posts = [sample for sample in samples if sample.method == "POST"]
    in_log = {pattern: log_text.count(pattern) for pattern in LOG_PATTERNS}
    all_ms = [sample.seconds * 1000 for sample in samples]
    post_ms = [sample.seconds * 1000 for sample in posts]

    def latency(values: list[float]) -> str:
        if not values:
            return "no requests"
        return (
            f"median {statistics.median(values):.0f} ms, p95 {percentile(values, 0.95):.0f} ms, "
            f"max {max(values):.0f} ms"
        )

    rows = [
        ("server", f"gunicorn {base}, {args.workers} sync workers x 1 thread"),
        ("posters", f"{args.posters} in parallel x {args.comments} comments = {expected}"),
        ("posted", f"{len(posts)} POSTs, {accepted} accepted (302)"),
        ("stored", f"{facts['stored']} of {expected} (comments in the database: {facts['total']})"),
        ("requests", f"{len(samples)} ({len(samples) - len(posts)} GET, {len(posts)} POST)"),
        (
            "by status",
            ", ".join(f"{code or 'no answer'}: {n}" for code, n in sorted(statuses.items())),
        ),
        ("by class", ", ".join(f"{name} {classes[name]}" for name in CLASSES)),
        ("server log", ", ".join(f'"{pattern}" {n}' for pattern, n in in_log.items())),
        (
            "wall time",
            f"{wall:.2f} s, {len(samples) / wall:.1f} requests/s, {accepted / wall:.1f} comments/s",
        ),
        ("latency all", latency(all_ms)),
        ("latency POST", latency(post_ms)),
    ]
    if facts["vendor"] == "sqlite":
        rows.insert(
            1,
            (
                "sqlite",
                f"journal_mode={facts['journal_mode']}, "
                f"busy_timeout={facts['busy_timeout']} ms, "
                f"synchronous={facts['synchronous']} (1 = NORMAL)",
            ),
        )
    failures = []
    if facts["stored"] != expected:
        failures.append(f"{facts['stored']} stored, {expected} expected")
    if classes["5xx"] or classes["no answer"]:
        failures.append(f"{classes['5xx']} 5xx, {classes['no answer']} without an answer")
    failures += [f'{n} x "{pattern}" in the server log' for pattern, n in in_log.items() if n]
    if stuck:
        failures.append(f"{stuck} posters still running after {RUN_TIMEOUT} s")
    rows.append(("result", "PASS" if not failures else "FAIL: " + "; ".join(failures)))
    for label, value in rows:
        print(f"{label + ':':<14}{value}")
    return not failures


def count(low: int, high: int):
    def parse(text: str) -> int:
        value = int(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}")
        return value

    return parse


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--posters", type=count(1, 200), default=20, help="parallel browsers")
    parser.add_argument("--comments", type=count(1, 1000), default=10, help="comments each")
    parser.add_argument("--workers", type=count(1, 32), default=4, help="gunicorn workers")
    parser.add_argument(
        "--keep-log", action="store_true", help="keep the server's log (kept anyway on failure)"
    )
    args = parser.parse_args()
    if not (venv_bin() / "gunicorn").exists():
        parser.error(f"gunicorn not found in {venv_bin()}: run `make run` once (it makes .venv)")
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    results = {db: benchmark(db, args) for db in databases}
    print("\n" + ", ".join(f"{db}: {'PASS' if ok else 'FAIL'}" for db, ok in results.items()))
    return 0 if all(results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: importing a WordPress export with 100,000 comments, under a minute and 200 MiB.

It writes a WordPress export (WXR 1.2, as WordPress 6's Tools › Export › All content does) of
``--posts`` (200) published posts with ``--comments-per-post`` (500) comments each into a
temporary folder: threads up to five deep, approved, held and trashed comments, some with
HTML (allowed tags and hostile ones), in English, Korean, Ukrainian and Arabic with emoji,
IPv4 and IPv6 addresses, some by the site's authors, and pingbacks and trackbacks among
them; four authors, nested categories, tags in several scripts, block-editor and classic
bodies. No attachments: pictures are timed by the tests, comments here. The file is written
as it is generated, never held whole in memory.

Then, for each database (SQLite, PostgreSQL), on a throwaway database with production
settings (``bench/moderation_queue.py``'s helpers) it runs ``migrate``, then
``manage.py import_wordpress FILE`` in a process of its own, timing its wall clock (Python's
start included) and reading its peak memory (its maximum resident set, from ``wait4``), and
counts the articles and comments it made; then the same command again, which must import
nothing new. It prints a table and PASS or FAIL: the first import under ``--seconds`` (60)
and ``--mebibytes`` (200) on each database, every comment imported, nothing new the second
time. It exits 1 on a FAIL.

    .venv/bin/python bench/import_wordpress.py [--db sqlite|postgres|both] [--posts 200]
        [--comments-per-post 500] [--seconds 60] [--mebibytes 200] [--keep-export DIR]

SQLite: a file in a temporary folder. PostgreSQL: ``--postgres-database``
(``newsroom_bench_import``) on 127.0.0.1:5432, user ``postgres``, dropped and created again,
and dropped afterwards.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(ROOT)

from bench.load_comments import count  # noqa: E402 (once the path is right)
from bench.moderation_queue import TITLES, run_in_throwaway_database, setup_django  # noqa: E402

SITE = "https://archive.example.org"
RUNS = {
    "start-up": "import_wordpress --help",
    "first": "import_wordpress FILE",
    "again": "import_wordpress FILE, again",
}
MIB = 1024 * 1024

# --- the export: written as it is generated ------------------------------------------------

AUTHORS = [
    # login, display name
    ("admin", "admin"),
    ("o.kovalenko", "Олена Коваленко"),
    ("j.park", "박지우"),
    ("m.dubois", "Marie-Hélène Dubois"),
]
# nicename, name, parent's nicename
CATEGORIES = [("world", "World", ""), ("korea", "Korea", "world"), ("opinion", "Opinion", "")]
TAGS = [
    ("sanctions", "Sanctions"),
    ("seoul", "Seoul"),
    ("%ed%95%9c%ea%b5%ad", "한국"),
    ("%d0%ba%d0%b8%d1%97%d0%b2", "Київ"),
    ("diplomacy", "Diplomacy"),
    ("winter", "Winter"),
]
WORDS = [
    "talks",
    "prisoners",
    "exchange",
    "border",
    "winter",
    "ministry",
    "analysts",
    "summit",
    "prices",
    "fuel",
    "bread",
    "diplomats",
    "observers",
    "ceasefire",
    "villages",
    "refugees",
    "negotiators",
    "statement",
    "sanctions",
]
SENTENCES = [
    "Source? I have read the opposite in three other papers.",
    "This is the part nobody in the capital wants to talk about.",
    "Quite right, and it has been said for years.",
    "정말 중요한 기사입니다. 감사합니다.",
    "협상이 다시 시작되기를 바랍니다.",
    "Дякую за статтю, дуже важлива тема.",
    "Київ і Сеул: що далі?",
    "شكراً على هذا التقرير المهم.",
    "Well said 👏 🇺🇦 🇰🇷",
    "The numbers do not add up: 20% is not “more than a fifth” — it is exactly one.",
    "Can anyone explain what the ministry actually said & when?",
]
HTML = [
    '<a href="https://example.org/report">the full report</a> says otherwise.',
    "<em>Exactly</em> what I thought.",
    "<strong>No.</strong> Read it again.",
    "<blockquote>Nobody should be returned</blockquote>\nQuite right.",
    "Use <code>&lt;b&gt;</code> tags, they said.",
    '<b>bold</b>, <i>italic</i>, <abbr title="United Nations">UN</abbr>, <del>gone</del>',
]
HOSTILE = [
    "<script>alert(document.cookie)</script>Nice article!",
    '<img src="x" onerror="alert(1)"> look',
    '<a href="javascript:alert(1)">click me</a>',
    '<p style="color:red" onclick="steal()">red</p>',
    '<iframe src="https://evil.example/"></iframe>',
]
NAMES = ["Yusuf K.", "Priya E.", "김민준", "Оксана", "محمد", "Anna", "Tom 🙂", "Li Wei", "Zoë"]


def cdata(text: str) -> str:
    """Text as WordPress's exporter writes it: in CDATA, a "]]>" inside split in two."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def wp_date(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


class ExportWriter:
    """A WXR file written element by element, as WordPress's exporter streams it."""

    def __init__(self, file) -> None:
        self.file = file

    def write(self, text: str) -> None:
        self.file.write(text)

    def element(self, name: str, text: str = "", indent: int = 2, raw: bool = False) -> None:
        value = text if raw else cdata(text)
        self.write(f"{chr(9) * indent}<{name}>{value}</{name}>\n")

    def head(self) -> None:
        self.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n'
            "<!-- This is a WordPress eXtended RSS file generated by WordPress as an export of "
            "your site. -->\n"
            '<!-- generator="WordPress/6.1.9" created="2026-11-30 12:00" -->\n'
            '<rss version="2.0"\n'
            '\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"\n'
            '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
            '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
            '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
            '\txmlns:wp="http://wordpress.org/export/1.2/"\n'
            ">\n\n<channel>\n"
            "\t<title>Archive bench</title>\n"
            f"\t<link>{SITE}</link>\n"
            "\t<description>A generated archive</description>\n"
            "\t<language>en-US</language>\n"
            "\t<wp:wxr_version>1.2</wp:wxr_version>\n"
            f"\t<wp:base_site_url>{SITE}</wp:base_site_url>\n"
            f"\t<wp:base_blog_url>{SITE}</wp:base_blog_url>\n\n"
        )
        for number, (login, name) in enumerate(AUTHORS, start=1):
            self.write(
                f"\t<wp:author><wp:author_id>{number}</wp:author_id>"
                f"<wp:author_login>{cdata(login)}</wp:author_login>"
                f"<wp:author_email>{cdata(login + '@archive.example.org')}</wp:author_email>"
                f"<wp:author_display_name>{cdata(name)}</wp:author_display_name>"
                "<wp:author_first_name><![CDATA[]]></wp:author_first_name>"
                "<wp:author_last_name><![CDATA[]]></wp:author_last_name></wp:author>\n"
            )
        for number, (nicename, name, parent) in enumerate(CATEGORIES, start=2):
            self.write("\t<wp:category>\n")
            self.element("wp:term_id", str(number), raw=True)
            self.element("wp:category_nicename", nicename)
            self.element("wp:category_parent", parent)
            self.element("wp:cat_name", name)
            self.write("\t</wp:category>\n")
        for number, (slug, name) in enumerate(TAGS, start=10):
            self.write("\t<wp:tag>\n")
            self.element("wp:term_id", str(number), raw=True)
            self.element("wp:tag_slug", slug)
            self.element("wp:tag_name", name)
            self.write("\t</wp:tag>\n")

    def tail(self) -> None:
        self.write("</channel>\n</rss>\n")


def post_body(rng: random.Random, number: int) -> str:
    """A block-editor body (block comments, headings, a list) or a classic one (bare line
    breaks, a caption shortcode without its picture, a bare embed URL)."""
    paragraphs = [
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(25, 60))).capitalize() + "."
        for _ in range(6)
    ]
    if number % 2:
        return (
            "\n\n".join(paragraphs[:3])
            + "\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n"
            + "A line\nbroken by hand.\n\n"
            + "\n\n".join(paragraphs[3:])
        )
    blocks = [
        f"<!-- wp:paragraph -->\n<p>{escape(p)}</p>\n<!-- /wp:paragraph -->" for p in paragraphs
    ]
    blocks.insert(
        3, '<!-- wp:heading -->\n<h2 class="wp-block-heading">What next</h2>\n<!-- /wp:heading -->'
    )
    blocks.insert(
        5,
        "<!-- wp:list -->\n<ul><li>Talks resume on <strong>Monday</strong></li>"
        '<li>Observers from <a href="https://www.icrc.org/">the ICRC</a></li></ul>\n'
        "<!-- /wp:list -->",
    )
    return "\n\n".join(blocks)


def comment_text(rng: random.Random) -> str:
    roll = rng.random()
    words = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(1, 4)))
    if roll < 0.01:
        return rng.choice(HOSTILE) + " " + words
    if roll < 0.2:
        return words + "\n\n" + rng.choice(HTML)
    if roll < 0.3:
        return words + "\n" + rng.choice(SENTENCES)  # a line break WordPress makes <br>
    return words


def write_export(path: Path, posts: int, per_post: int, seed: int = 12) -> dict:
    """Write the export; what it holds, by kind and status."""
    rng = random.Random(seed)  # noqa: S311 (made-up comments, the same every run)
    held = {"posts": 0, "comments": 0, "pingbacks": 0, "trackbacks": 0}
    statuses = {"1": 0, "0": 0, "trash": 0}
    comment_id = 1000
    start = datetime(2023, 1, 2, 6, 0)
    with path.open("w", encoding="utf-8", newline="\n") as file:
        out = ExportWriter(file)
        out.head()
        for number in range(posts):
            post_id = 100 + number
            published = start + timedelta(hours=number * 97)
            if number % 10 == 3:
                slug = f"київ-і-сеул-{number}"
                title = f"Київ і Сеул: що далі? ({number})"
            else:
                slug = f"story-{number}-" + "-".join(rng.sample(WORDS, 3))
                title = f"Story {number}: " + " ".join(rng.sample(WORDS, 5)).capitalize()
            encoded = quote(slug, safe="-").lower()
            link = f"{SITE}/{published:%Y/%m/%d}/{encoded}/"
            login = AUTHORS[number % len(AUTHORS)][0]
            out.write("\t<item>\n")
            out.write(f"\t\t<title>{cdata(title)}</title>\n")
            out.write(f"\t\t<link>{escape(link)}</link>\n")
            out.write(f"\t\t<pubDate>{published:%a, %d %b %Y %H:%M:%S} +0000</pubDate>\n")
            out.write(f"\t\t<dc:creator>{cdata(login)}</dc:creator>\n")
            out.write(f'\t\t<guid isPermaLink="false">{SITE}/?p={post_id}</guid>\n')
            out.write("\t\t<description></description>\n")
            out.write(f"\t\t<content:encoded>{cdata(post_body(rng, number))}</content:encoded>\n")
            out.write(f"\t\t<excerpt:encoded>{cdata('')}</excerpt:encoded>\n")
            out.element("wp:post_id", str(post_id), raw=True)
            for name in ("post_date", "post_date_gmt", "post_modified", "post_modified_gmt"):
                out.element(f"wp:{name}", wp_date(published))
            out.element("wp:comment_status", "open")
            out.element("wp:ping_status", "open")
            out.element("wp:post_name", encoded)
            out.element("wp:status", "publish")
            out.element("wp:post_parent", "0", raw=True)
            out.element("wp:menu_order", "0", raw=True)
            out.element("wp:post_type", "post")
            out.element("wp:post_password", "")
            out.element("wp:is_sticky", "0", raw=True)
            nicename, name, _parent = CATEGORIES[number % len(CATEGORIES)]
            out.write(
                f'\t\t<category domain="category" nicename="{nicename}">{cdata(name)}</category>\n'
            )
            for slug_, tag in rng.sample(TAGS, 2):
                out.write(
                    f'\t\t<category domain="post_tag" nicename="{slug_}">{cdata(tag)}</category>\n'
                )
            held["posts"] += 1

            # (id, depth) of this post's comments a reply may answer: threads five deep.
            answerable: list[tuple[int, int]] = []
            for index in range(per_post):
                comment_id += 1
                when = published + timedelta(minutes=7 * index + rng.randint(0, 6))
                roll = rng.random()
                kind, parent, depth = "comment", 0, 1
                if roll < 0.01:
                    kind = "pingback"
                elif roll < 0.015:
                    kind = "trackback"
                elif answerable and roll < 0.5:
                    parent, parent_depth = rng.choice(answerable)
                    depth = parent_depth + 1
                status = rng.choices(["1", "0", "trash"], weights=[85, 10, 5])[0]
                statuses[status] += 1
                held["comments"] += 1
                if kind == "comment":
                    by_author = rng.random() < 0.02
                    user_id = rng.randint(1, len(AUTHORS)) if by_author else 0
                    author = AUTHORS[user_id - 1][1] if by_author else rng.choice(NAMES)
                    email = f"reader{rng.randint(1, 5000)}@example.com"
                    url = f"https://example.org/~{rng.randint(1, 99)}" if rng.random() < 0.2 else ""
                    text = comment_text(rng)
                    if depth < 5:
                        answerable.append((comment_id, depth))
                else:
                    held[kind + "s"] += 1
                    user_id, email = 0, ""
                    author = f"Other blog » {rng.choice(WORDS).capitalize()} news"
                    url = f"https://other-blog.example/{comment_id}/"
                    text = f"[…] {rng.choice(SENTENCES)} […]"
                if rng.random() < 0.3:
                    ip = f"2001:db8::{rng.randint(1, 0xFFFF):x}"
                else:
                    ip = f"198.51.100.{rng.randint(1, 254)}"
                out.write("\t\t<wp:comment>\n")
                out.element("wp:comment_id", str(comment_id), 3, raw=True)
                out.element("wp:comment_author", author, 3)
                out.element("wp:comment_author_email", email, 3)
                out.element("wp:comment_author_url", escape(url), 3, raw=True)
                out.element("wp:comment_author_IP", ip, 3)
                out.element("wp:comment_date", wp_date(when), 3)
                out.element("wp:comment_date_gmt", wp_date(when), 3)
                out.element("wp:comment_content", text, 3)
                out.element("wp:comment_approved", status, 3)
                out.element("wp:comment_type", kind, 3)
                out.element("wp:comment_parent", str(parent), 3, raw=True)
                out.element("wp:comment_user_id", str(user_id), 3, raw=True)
                if status == "trash":
                    for key, value in (
                        ("_wp_trash_meta_status", rng.choice(["0", "1"])),
                        ("_wp_trash_meta_time", str(int(when.timestamp()) + 3600)),
                    ):
                        out.write("\t\t\t<wp:commentmeta>\n")
                        out.element("wp:meta_key", key, 4)
                        out.element("wp:meta_value", value, 4)
                        out.write("\t\t\t</wp:commentmeta>\n")
                out.write("\t\t</wp:comment>\n")
            out.write("\t</item>\n")
        out.tail()
    return {**held, "statuses": statuses, "bytes": path.stat().st_size}


# --- the parent: one export, one throwaway database and measuring process per database ----


def summarise(export: dict, results: dict[str, dict | None], args) -> bool:
    """Print the export and one row per database and run; True if every target is met."""
    print(
        f"\nExport: {export['bytes'] / MIB:,.1f} MiB, {export['posts']:,} posts, "
        f"{export['comments']:,} comments ({export['pingbacks']:,} pingbacks, "
        f"{export['trackbacks']:,} trackbacks; {export['statuses']['1']:,} approved, "
        f"{export['statuses']['0']:,} held, {export['statuses']['trash']:,} in the trash), "
        f"written in {export['written_in']:.1f} s"
    )
    rows = [
        ["database", "command", "wall time", "peak memory", "articles", "comments", "exit"],
        ["---"] * 7,
    ]
    failures = []
    for db, result in results.items():
        if not result:
            failures.append(f"{TITLES[db]}: not measured")
            continue
        for name in ("start-up", "first", "again"):
            run = result[name]
            rows.append(
                [
                    result["database"],
                    RUNS[name],
                    f"{run['seconds']:.1f} s",
                    f"{run['peak'] / MIB:.0f} MiB",
                    f"{run['articles']:,}" if "articles" in run else "",
                    f"{run['comments']:,}" if "comments" in run else "",
                    str(run["exit"]),
                ]
            )
            if run["exit"] != 0:
                failures.append(f"{TITLES[db]} {name} run exited with {run['exit']}")
        first, again = result["first"], result["again"]
        if first["seconds"] >= args.seconds:
            failures.append(f"{TITLES[db]}: {first['seconds']:.1f} s")
        if first["peak"] >= args.mebibytes * MIB:
            failures.append(f"{TITLES[db]}: {first['peak'] / MIB:.0f} MiB")
        if first["comments"] != args.posts * args.comments_per_post:
            failures.append(
                f"{TITLES[db]}: {first['comments']:,} of "
                f"{args.posts * args.comments_per_post:,} comments imported"
            )
        if (again["articles"], again["comments"]) != (first["articles"], first["comments"]):
            failures.append(f"{TITLES[db]}: the second run imported again")
    print()
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(f"\ntargets: the first import under {args.seconds:g} s and {args.mebibytes:g} MiB")
    print("result: " + ("PASS" if not failures else "FAIL: " + "; ".join(failures)))
    return not failures


# --- the child: Django set up on the throwaway database; the import in a process of its own --


def run_measured(command: list[str], env: dict, log: Path) -> dict:
    """Run ``command``; its wall time, its own peak memory (maximum resident set, read with
    ``wait4`` for that process alone: not migrate's, nor this process's) and exit code."""
    with log.open("ab") as output:
        began = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603 (manage.py, our own arguments)
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - began
    process.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in kibibytes on Linux.
    return {"seconds": seconds, "peak": usage.ru_maxrss * 1024, "exit": process.returncode}


def measure(args) -> dict:
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from articles.models import Article
    from comments.models import Comment

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    call_command("migrate", "--no-input", verbosity=0)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = "PostgreSQL " + cursor.fetchone()[0].split()[0]
        else:
            cursor.execute("SELECT sqlite_version()")
            database = "SQLite " + cursor.fetchone()[0]
    connection.close()  # nothing of ours holds the database while the import writes

    media = Path(tempfile.mkdtemp(prefix="newsroom-bench-media-"))
    env = {**os.environ, "NEWSROOM_MEDIA_ROOT": str(media)}
    log = media / "import.log"
    command = [sys.executable, "manage.py", "import_wordpress", args.export]
    runs = {}
    try:
        # What Django and the command cost before any import: start-up, settings, apps.
        runs["start-up"] = run_measured([*command[:3], "--help"], env, log)
        for name in ("first", "again"):
            run = run_measured(command, env, log)
            run["articles"] = Article.objects.count()
            run["comments"] = Comment.objects.count()
            connection.close()
            say(
                f"{name}: {run['seconds']:.1f} s, {run['peak'] / MIB:.0f} MiB, "
                f"{run['comments']:,} comments, exit {run['exit']}"
            )
            runs[name] = run
        if args.verbose or any(run["exit"] for run in runs.values()):
            say(log.read_text(errors="replace")[-5000:])
    finally:
        shutil.rmtree(media, ignore_errors=True)
    return {"database": database, **runs}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--posts", type=count(1, 100_000), default=200)
    parser.add_argument("--comments-per-post", type=count(0, 1_000_000), default=500)
    parser.add_argument("--seconds", type=float, default=60.0, help="the import's time limit")
    parser.add_argument("--mebibytes", type=float, default=200.0, help="its memory limit")
    parser.add_argument("--postgres-database", default="newsroom_bench_import")
    parser.add_argument("--keep-export", type=Path, help="write the export into this folder")
    parser.add_argument("-v", "--verbose", action="store_true", help="print the import's output")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--export", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args)))
        return 0

    folder = args.keep_export or Path(tempfile.mkdtemp(prefix="newsroom-bench-export-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "bench.WordPress.xml"
    try:
        began = time.perf_counter()
        export = write_export(path, args.posts, args.comments_per_post)
        export["written_in"] = time.perf_counter() - began
        print(f"wrote {path} ({export['bytes'] / MIB:,.1f} MiB)", flush=True)
        options = [f"--export={path}", *["-v"] * args.verbose]
        databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
        results = {
            db: run_in_throwaway_database(db, __file__, options, args.postgres_database)
            for db in databases
        }
    finally:
        if not args.keep_export:
            shutil.rmtree(folder, ignore_errors=True)
    return 0 if summarise(export, results, args) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Bench fixtures: an article with many realistic comments, made fast.

For benchmarks, not tests (tests make their objects with ``tests/factories.py``). Django must
be set up first; the database is whatever ``DATABASES["default"]`` is (SQLite or PostgreSQL).

    from bench.fixtures import make_article, seed_comments

    article = make_article()
    seed_comments(article, 100_000)  # 15-45 s on a busy 2-core machine, either database

The comments are what a busy article gathers over its first month: about 30 % are replies,
threaded up to 5 levels (the default ``DiscussionSettings.thread_depth``), each posted after
its parent; about 85 % approved, 8 % pending, 5 % spam and 2 % trash; about 4,000 different
commenters (names, emails, IP addresses from the documentation ranges, browsers), some of
whom comment many times; texts of one to five sentences, 40 % of them quoting a few words of
the demo article (``articles/demo``), so that words are as common as in a real story.
Everything is drawn from a ``random.Random(seed)``: the same ``seed`` gives the same comments.

Rows go in with ``bulk_create`` in batches, which skips ``Comment.save()``: the content
hash (distinct for every comment, as the database's duplicate constraint requires) is
computed here. Seeding the same article twice needs a different ``seed`` each time, or the
second call's first comments are duplicates of the first call's.
"""

import random
from datetime import datetime, timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from articles.models import Article, Author, Section
from comments.models import Comment

# Replies nest this deep at most (1: a top-level comment), as DiscussionSettings' default.
MAX_DEPTH = 5
REPLY_SHARE = 0.30
STATUS_WEIGHTS = {
    Comment.Status.APPROVED: 85,
    Comment.Status.PENDING: 8,
    Comment.Status.SPAM: 5,
    Comment.Status.TRASH: 2,
}
COMMENTERS = 4_000
# A reply answers one of the latest comments (still near the top of the reader's screen).
RECENT = 2_000

FIRST_NAMES = (  # noqa: SIM905 (a list of names reads best as one)
    "Ada Alan Amara Anna Ben Carlos Chen Dana David Elena Emeka Fatima Grace Hana Ibrahim "
    "Ines Ivan James Jana Joao Kofi Lars Layla Lena Luca Maria Mei Mohammed Nadia Noor Olga "
    "Omar Paul Priya Rosa Sam Sara Sofia Tariq Tom Uma Wei Yara Yusuf Zoe"
).split()
LAST_NAMES = (  # noqa: SIM905 (a list of names reads best as one)
    "Abebe Adeyemi Andersen Bauer Becker Costa Dubois Evans Fischer Garcia Hansen Hopper "
    "Ivanova Jensen Kaya Khan Kim Kowalski Lee Lopez Martin Meyer Moreau Nakamura Nguyen "
    "Novak Okafor Olsen Park Petrov Rossi Santos Schmidt Silva Singh Smith Tanaka Wang "
    "Weber Yilmaz Zhang"
).split()
MAIL_DOMAINS = ("example.org", "example.com", "example.net", "mail.example", "news.example")
BROWSERS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Mobile Safari/537.36",
)
SUBJECTS = (
    "The minister",
    "This report",
    "The council",
    "My neighbour",
    "The bridge",
    "Your reporter",
    "The new budget",
    "Everyone I know",
    "The second half",
    "The photo",
    "Nobody here",
    "The opposition",
    "The old station",
    "This whole thread",
)
VERBS = (
    "missed",
    "explains",
    "forgot",
    "changed",
    "never mentioned",
    "got right",
    "overstates",
    "understates",
    "reminds me of",
    "ignores",
    "finally answers",
    "makes sense of",
)
OBJECTS = (
    "the real cost",
    "what happened in 2019",
    "the people who live there",
    "the flooding last spring",
    "the numbers in the third paragraph",
    "the point of the whole plan",
    "the question everyone asked",
    "the night shift",
    "our local school",
    "the timetable",
    "the long view",
    "the last election",
)
ENDINGS = (".", ".", ".", "!", "?", " — thanks for writing it.", ", as far as I can tell.")
OPENERS = ("", "", "", "Agreed. ", "I disagree. ", "Good piece. ", "Honestly, ", "Well, ")
REACTIONS = ("Exactly.", "Says who?", "That is the key line.", "Source?", "Quite.", "Hm.")
# Readers quote the story they comment on: the demo article's words, in its proportions.
STORY = Path(__file__).resolve().parent.parent / "articles/demo/north-korean-pows-in-ukraine.txt"
QUOTE_SHARE = 0.4


def make_article(*, headline: str = "A story with very many comments", **fields) -> Article:
    """A published article (and its section, made if needed) to hang bench comments on.

    Any ``Article`` field can be given; the slug is made from ``headline`` unless given, and
    ``published_at`` is 31 days ago unless given, so that seeded comments lie in the past.
    """
    if "section" not in fields:
        fields["section"], _ = Section.objects.get_or_create(
            slug="bench", defaults={"name": "Bench"}
        )
    n = Article.objects.count() + 1
    defaults = {
        "slug": f"bench-{n}",
        "standfirst": "An article for benchmarks.",
        "body": "Readers had a lot to say about this one.",
        "byline": Author.objects.get_or_create(
            slug="bench-reporter", defaults={"name": "Bench reporter"}
        )[0],
        "status": Article.Status.PUBLISHED,
        "published_at": timezone.now() - timedelta(days=31),
    }
    return Article.objects.create(**{**defaults, "headline": headline, **fields})


def seed_comments(
    article: Article,
    n: int,
    *,
    seed: int = 0,
    start: datetime | None = None,
    end: datetime | None = None,
    batch_size: int = 1_000,
) -> int:
    """Add ``n`` comments to ``article`` and return how many were made (``n``).

    They are spread evenly between ``start`` (default: the article's publish time) and
    ``end`` (default: now), oldest first. Each batch of ``batch_size`` is one transaction.
    """
    rng = random.Random(seed)  # noqa: S311 (made-up comments, not secrets)
    start = start or article.published_at
    end = end or timezone.now()
    step = (end - start) / max(n, 1)
    commenters = [_commenter(rng, i) for i in range(COMMENTERS)]
    story = _story_words()
    statuses, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    # Small runs get small batches, so that they too have replies (a reply's parent must be
    # in an earlier batch: its id is known only once it is stored).
    batch_size = max(1, min(batch_size, -(-n // 10)))
    recent: list[tuple[int, int]] = []  # (id, depth) of the latest comments one may answer
    seen_hashes: set[str] = set()
    made = 0
    while made < n:
        batch: list[tuple[Comment, int]] = []
        open_threads = [(pk, depth) for pk, depth in recent if depth < MAX_DEPTH]
        for i in range(made, min(n, made + batch_size)):
            parent_id, depth = None, 1
            # Replies are REPLY_SHARE of all comments; the first batch can answer nobody.
            if open_threads and rng.random() < REPLY_SHARE * n / max(n - batch_size, 1):
                parent_id, parent_depth = rng.choice(open_threads)
                depth = parent_depth + 1
            name, email, ip_address, user_agent = rng.choice(commenters)
            status = rng.choices(statuses, weights)[0]
            submitted_at = start + step * (i + rng.random())
            comment = Comment(
                article=article,
                parent_id=parent_id,
                parent_approved=parent_id is not None,  # only approved comments are answered
                author_name=name,
                author_email=email,
                text=_text(rng, story),
                status=status,
                ip_address=ip_address,
                user_agent=user_agent,
                submitted_at=submitted_at,
                status_changed_at=submitted_at
                + (timedelta(minutes=rng.randint(1, 600)) if status != "pending" else timedelta()),
                previous_status=(
                    rng.choice([Comment.Status.PENDING, Comment.Status.APPROVED])
                    if status in {Comment.Status.SPAM, Comment.Status.TRASH}
                    else ""
                ),
            )
            comment.content_hash = comment.compute_content_hash()
            while comment.content_hash in seen_hashes:  # the same words twice: say a bit more
                comment.text += " " + _sentence(rng)
                comment.content_hash = comment.compute_content_hash()
            seen_hashes.add(comment.content_hash)
            batch.append((comment, depth))
        with transaction.atomic():
            Comment.objects.bulk_create([comment for comment, _ in batch])
        # Anyone may answer an approved comment; the others are not shown to readers.
        recent.extend((c.pk, d) for c, d in batch if c.status == Comment.Status.APPROVED)
        del recent[:-RECENT]
        made += len(batch)
    return made


def _commenter(rng: random.Random, i: int) -> tuple[str, str, str, str]:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    email = f"{first}.{last}{i}@{rng.choice(MAIL_DOMAINS)}".lower()
    if rng.random() < 0.15:
        ip_address = f"2001:db8::{rng.randrange(1, 0xFFFF):x}"
    else:
        network = rng.choice(("192.0.2", "198.51.100", "203.0.113"))
        ip_address = f"{network}.{rng.randrange(1, 255)}"
    return f"{first} {last}", email, ip_address, rng.choice(BROWSERS)


def _sentence(rng: random.Random) -> str:
    opener, subject = rng.choice(OPENERS), rng.choice(SUBJECTS)
    if opener.endswith(", "):
        subject = subject[0].lower() + subject[1:]
    return f"{opener}{subject} {rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(ENDINGS)}"


def _quote(rng: random.Random, story: list[str]) -> str:
    length = rng.randint(4, 12)
    start = rng.randrange(len(story) - length)
    return f"“{' '.join(story[start : start + length])}” {rng.choice(REACTIONS)}"


def _text(rng: random.Random, story: list[str]) -> str:
    sentences = [_sentence(rng) for _ in range(rng.choice((1, 1, 2, 2, 3, 4)))]
    if rng.random() < QUOTE_SHARE:
        sentences.insert(rng.randrange(len(sentences) + 1), _quote(rng, story))
    return " ".join(sentences)


def _story_words() -> list[str]:
    story = STORY.read_text(encoding="utf-8").split("Leave a Reply")[0]  # the form's lines
    return [word.strip('“”"') for word in story.split()]

"""The admin's comment search, from an index on both databases.

The admin finds a term in a comment's name, email, text or IP address, anywhere in them and
in any case (Django's ``icontains``). Without an index that reads every comment: 0.1-0.2 s at
100,000 comments (bench/README.md).

- PostgreSQL: trigram GIN indexes on the very expressions ``icontains`` compares
  (migration 0008); Django's own search uses them as it is.
- SQLite: an FTS5 table with the trigram tokenizer, which finds any substring of three
  characters or more in any case, as ``icontains`` does (and folds non-ASCII letters too).
  It is an external-content table: it stores the index, not a second copy of the comments,
  and triggers on ``comments_comment`` keep it current. A shorter term cannot be found in
  trigrams: it is looked for with ``LIKE``, as before.

Django's SQLite schema editor rebuilds a table (new table, copy, drop, rename) for many
``AlterField``s, and the drop takes the triggers with it. ``ensure_sqlite_index()`` runs
after every ``migrate`` (``CommentsConfig.ready()``): it puts back any trigger that is missing
and then rebuilds the index from the table, so that nothing written meanwhile is missed.
"""

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.text import smart_split, unescape_string_literal

TABLE = "comments_comment_search"
# Trigram: a term must have three characters or more to be looked up in the index.
MIN_INDEXED_LENGTH = 3

CREATE_TABLE = """
    CREATE VIRTUAL TABLE IF NOT EXISTS comments_comment_search
    USING fts5(
        author_name, author_email, text, ip_address,
        content='comments_comment', content_rowid='id', tokenize='trigram'
    )
"""
# An external-content table forgets a row when it is told the values it indexed.
TRIGGERS = {
    "comments_comment_search_insert": """
        AFTER INSERT ON comments_comment BEGIN
            INSERT INTO comments_comment_search
                (rowid, author_name, author_email, text, ip_address)
            VALUES (new.id, new.author_name, new.author_email, new.text, new.ip_address);
        END
    """,
    "comments_comment_search_delete": """
        AFTER DELETE ON comments_comment BEGIN
            INSERT INTO comments_comment_search
                (comments_comment_search, rowid, author_name, author_email, text, ip_address)
            VALUES
                ('delete', old.id, old.author_name, old.author_email, old.text, old.ip_address);
        END
    """,
    "comments_comment_search_update": """
        AFTER UPDATE OF author_name, author_email, text, ip_address ON comments_comment BEGIN
            INSERT INTO comments_comment_search
                (comments_comment_search, rowid, author_name, author_email, text, ip_address)
            VALUES
                ('delete', old.id, old.author_name, old.author_email, old.text, old.ip_address);
            INSERT INTO comments_comment_search
                (rowid, author_name, author_email, text, ip_address)
            VALUES (new.id, new.author_name, new.author_email, new.text, new.ip_address);
        END
    """,
}
MATCHING_IDS = "SELECT rowid FROM comments_comment_search WHERE comments_comment_search MATCH %s"


def create_sqlite_index(connection: BaseDatabaseWrapper) -> None:
    """Make the index and its triggers, and fill it from the comments (SQLite only)."""
    with connection.cursor() as cursor:
        cursor.execute(CREATE_TABLE)
    ensure_sqlite_index(connection, rebuild=True)


def drop_sqlite_index(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
        cursor.execute("DROP TABLE IF EXISTS comments_comment_search")


def ensure_sqlite_index(connection: BaseDatabaseWrapper, *, rebuild: bool = False) -> bool:
    """If the index exists, put back its missing triggers and then rebuild it.

    True if something was put back. Does nothing on PostgreSQL, nor before the migration
    that makes the index.
    """
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE name = %s OR tbl_name = %s",
            [TABLE, "comments_comment"],
        )
        existing = {name for (name,) in cursor.fetchall()}
        if TABLE not in existing:
            return False
        missing = [name for name in TRIGGERS if name not in existing]
        for name in missing:
            cursor.execute(f'CREATE TRIGGER IF NOT EXISTS "{name}" {TRIGGERS[name]}')
        if missing or rebuild:
            cursor.execute(
                "INSERT INTO comments_comment_search (comments_comment_search) VALUES ('rebuild')"
            )
    return bool(missing)


def split_terms(search_term: str) -> list[str]:
    """The terms of a search, split as Django's admin splits them ("quoted words" are one)."""
    return [
        unescape_string_literal(bit) if bit[0] in "\"'" and bit[0] == bit[-1] else bit
        for bit in smart_split(search_term)
    ]


def fts5_query(terms: list[str]) -> str:
    """An FTS5 query that finds rows with all ``terms``, each taken literally.

    Each term is an FTS5 string (in double quotes, a double quote doubled), so nothing typed
    (``*``, ``-``, ``NEAR``, ``AND``, parentheses, ``^``, ``:``) is read as query syntax.
    """
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms)


def search_sqlite(queryset: QuerySet, search_term: str, fields: list[str]) -> QuerySet:
    """The comments in ``queryset`` with every term of ``search_term`` in one of ``fields``.

    Terms of three characters or more are looked up in the index (whose columns are the
    admin's ``search_fields``: change both together), all at once; a shorter one is compared
    with every field (``icontains``), as Django's admin does.
    """
    terms = split_terms(search_term)
    indexed = [term for term in terms if len(term) >= MIN_INDEXED_LENGTH]
    if indexed:
        # A constant statement; what was typed is a parameter.
        matching = RawSQL(MATCHING_IDS, [fts5_query(indexed)])  # noqa: S611
        queryset = queryset.filter(pk__in=matching)
    for term in terms:
        if len(term) < MIN_INDEXED_LENGTH:
            lookups = [(f"{field}__icontains", term) for field in fields]
            queryset = queryset.filter(Q.create(lookups, connector=Q.OR))
    return queryset

"""The admin's comment search, from an index on both databases.

The admin finds a term in a comment's name, email, text or IP address, anywhere in them and
in any case (Django's ``icontains``). Without an index that reads every comment: 0.1-0.2 s at
100,000 comments (bench/README.md).

- PostgreSQL: trigram GIN indexes on the very expressions ``icontains`` compares
  (migration 0008); Django's own search uses them as it is.
- SQLite: an FTS5 table with the trigram tokenizer, which finds any substring of three
  characters or more in any case, as ``icontains`` does (and folds non-ASCII letters too).
  It is an external-content table: it stores the index, not a second copy of the comments,
  and triggers on ``comments_comment`` keep it current (``newsroom/fts5.py``). A shorter
  term cannot be found in trigrams: it is looked for with ``LIKE``, as before.
"""

from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.text import smart_split, unescape_string_literal

from newsroom.fts5 import Fts5Index

# Trigram: a term must have three characters or more to be looked up in the index.
MIN_INDEXED_LENGTH = 3
INDEX = Fts5Index(
    table="comments_comment_search",
    content="comments_comment",
    columns=("author_name", "author_email", "text", "ip_address"),
    tokenize="trigram",
)
MATCHING_IDS = "SELECT rowid FROM comments_comment_search WHERE comments_comment_search MATCH %s"


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

"""The site's search: published articles matching what a reader typed, best first, each with
a snippet of its text where the words were found.

``search_articles(query)`` is the one entry point; it hides the difference between the two
databases and returns an ordinary queryset of articles (paginated like any list), each with
``search_rank`` and ``search_snippet`` (the snippet, its matches between ``MARK_START`` and
``MARK_END``; ``snippet_parts()`` splits it for the template, which escapes every part).

- PostgreSQL: a weighted ``tsvector`` (headline A, standfirst B, body C), stored in
  a generated column with a GIN index (migration 0006), matched by ``websearch_to_tsquery``
  (quoted phrases, ``or``, ``-word``, as readers type them into search engines), ranked by
  ``ts_rank``, snippets by ``ts_headline``.
- SQLite: an FTS5 table (porter stemming, any script, accents folded) indexing the same
  columns of ``articles_article``. It is an external-content table: it stores the index,
  not a second copy of the articles, and triggers keep it current (``newsroom/fts5.py``,
  which also puts them back after a migration rebuilt the table). Ranked by ``bm25`` with
  the same weights in spirit, snippets by ``snippet()``. What the reader typed becomes an
  FTS5 query in which every word is a quoted string, so no character typed is query syntax.

Only ``Article.objects.published()`` is searched: never a draft, nor an article whose publish
time has not come.
"""

import html
import re
import unicodedata
from dataclasses import dataclass

from django import forms
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from articles.models import Article, BodyFormat
from newsroom.fts5 import Fts5Index

MAX_LENGTH = 200
# Where a snippet's matches start and end: characters of Unicode's private use area, which
# no tokenizer keeps in a word. The template escapes the text around them.
MARK_START = "\ue000"
MARK_END = "\ue001"
# Words of snippet around the matches.
SNIPPET_WORDS = 30

# PostgreSQL ------------------------------------------------------------------------------

CONFIG = "english"
# A stored generated column of articles_article on PostgreSQL only (migration 0006), so the
# model does not know it: PostgreSQL computes it on every write, and ranking reads it
# instead of parsing every matching article again (12 s for a common word in 5,000 articles
# without it, milliseconds with it). Its GIN index finds the matches.
DOCUMENT = '"articles_article"."search_document"'
DOCUMENT_SQL = """
    setweight(to_tsvector('english', coalesce(headline, '')), 'A')
    || setweight(to_tsvector('english', coalesce(standfirst, '')), 'B')
    || setweight(to_tsvector('english', coalesce(body, '')), 'C')
"""
ADD_DOCUMENT = f"""
    ALTER TABLE articles_article
    ADD COLUMN search_document tsvector GENERATED ALWAYS AS ({DOCUMENT_SQL}) STORED
"""
ADD_INDEX = "CREATE INDEX article_search_idx ON articles_article USING gin (search_document)"
DROP_DOCUMENT = "ALTER TABLE articles_article DROP COLUMN search_document"


def _search_postgresql(articles: QuerySet, text: str) -> QuerySet:
    query = SearchQuery(text, search_type="websearch", config=CONFIG)
    return (
        articles.alias(
            search_document=RawSQL(DOCUMENT, [], output_field=SearchVectorField())  # noqa: S611
        )
        .filter(search_document=query)
        .annotate(
            search_rank=SearchRank(F("search_document"), query),
            search_snippet=SearchHeadline(
                "body",
                query,
                config=CONFIG,
                start_sel=MARK_START,
                stop_sel=MARK_END,
                max_words=SNIPPET_WORDS,
                min_words=SNIPPET_WORDS // 2,
                max_fragments=1,
            ),
        )
        .order_by("-search_rank", "-published_at", "-pk")
    )


# SQLite ----------------------------------------------------------------------------------

INDEX = Fts5Index(
    table="articles_article_search",
    content="articles_article",
    columns=("headline", "standfirst", "body"),
    tokenize="porter unicode61 remove_diacritics 2",
)
# Constant statements: what was typed is always a parameter. The outer query's table is
# "articles_article" (the queryset joins no other article table).
MATCHING_IDS = "SELECT rowid FROM articles_article_search WHERE articles_article_search MATCH %s"
# bm25 weighs the columns as PostgreSQL's A, B, C do; lower is better.
RANK = """
    SELECT bm25(articles_article_search, 10.0, 4.0, 1.0) FROM articles_article_search
    WHERE articles_article_search MATCH %s AND rowid = "articles_article"."id"
"""
# Around the matches in the body (column 2), about SNIPPET_WORDS words.
SNIPPET = """
    SELECT snippet(articles_article_search, 2, %s, %s, '…', 30) FROM articles_article_search
    WHERE articles_article_search MATCH %s AND rowid = "articles_article"."id"
"""


# A quoted phrase, or a run of anything else but white space.
_TERM = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def fts5_query(text: str) -> str:
    """``text`` as an FTS5 query with PostgreSQL's ``websearch_to_tsquery`` meaning: every
    word required, a "quoted phrase" as a phrase, ``-word`` excluded, ``or`` between
    alternatives. Every word and phrase becomes an FTS5 string (in double quotes, a double
    quote doubled), so nothing typed (``*``, ``:``, ``^``, ``NEAR``, ``AND``, parentheses)
    is read as query syntax. Empty if nothing in ``text`` can be searched for."""
    alternatives: list[list[str]] = [[]]
    excluded: list[list[str]] = [[]]
    for match in _TERM.finditer(text):
        minus, phrase, word = match.groups()
        if word is not None and word.lower() == "or":
            alternatives.append([])
            excluded.append([])
            continue
        if word is not None:
            minus, phrase = ("-", word[1:]) if word.startswith("-") else ("", word)
        if not _has_word(phrase):
            continue
        quoted = '"' + phrase.replace('"', '""') + '"'
        (excluded if minus else alternatives)[-1].append(quoted)
    groups = [
        " AND ".join(required) + "".join(f" NOT {term}" for term in unwanted)
        for required, unwanted in zip(alternatives, excluded, strict=True)
        if required
    ]
    return " OR ".join(f"({group})" for group in groups)


def _has_word(text: str) -> bool:
    """Does ``text`` hold a letter or a digit, which the tokenizer keeps?"""
    return any(unicodedata.category(char)[0] in "LN" for char in text)


def _search_sqlite(articles: QuerySet, text: str) -> QuerySet:
    query = fts5_query(text)
    if not query:
        return articles.none()
    return (
        articles.filter(pk__in=RawSQL(MATCHING_IDS, [query]))  # noqa: S611 (constant SQL)
        .annotate(
            search_rank=RawSQL(RANK, [query]),  # noqa: S611
            search_snippet=RawSQL(SNIPPET, [MARK_START, MARK_END, query]),  # noqa: S611
        )
        # bm25 is better the lower it is.
        .order_by(F("search_rank").asc(), "-published_at", "-pk")
    )


# Both ------------------------------------------------------------------------------------


def search_articles(query: str) -> QuerySet:
    """The published articles matching ``query`` (a reader's words, cleaned by
    ``SearchForm``), best match first, with ``search_rank`` and ``search_snippet``."""
    articles = Article.objects.published().select_related("section", "byline")
    if not _has_word(query):
        return articles.none()
    if connection.vendor == "postgresql":
        return _search_postgresql(articles, query)
    return _search_sqlite(articles, query)


@dataclass(frozen=True)
class SnippetPart:
    text: str
    marked: bool


# The Markdown a body is written in (articles/markdown.py), which a snippet of it shows as
# typed: a link's address, emphasis, a heading's or quotation's mark, an escaping backslash.
_MARKDOWN = [
    (re.compile(r"!?\[([^\]\n]*)\]\([^)\s]*\)"), r"\1"),  # [text](https://…) is its text
    (re.compile(r"\*\*|__"), ""),
    (re.compile(r"(?m)^[ \t]*(?:#{1,6}|>)[ \t]+"), ""),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~])"), r"\1"),
]


# An HTML body's tags (one imported from WordPress), and those the snippet's edges cut in two.
# Its text has no raw "<" or ">": the sanitiser writes them as entities.
_HTML_TAG = re.compile(r"<[^>]*>|^[^<]*?>|<[^>]*$")


def _readable(snippet: str, body_format: str) -> str:
    """The snippet as a reader would read the story: Markdown's marks, or HTML's tags and
    entities, out; one line."""
    if body_format == BodyFormat.HTML:
        snippet = html.unescape(_HTML_TAG.sub(" ", snippet))
    else:
        for pattern, replacement in _MARKDOWN:
            snippet = pattern.sub(replacement, snippet)
    return " ".join(snippet.split())


def snippet_parts(snippet: str, body_format: str = BodyFormat.MARKDOWN) -> list[SnippetPart]:
    """The snippet as text and marked matches, for the template to escape and mark up.
    An unmatched marker (from the database's text) is dropped, never shown."""
    parts = []
    for i, chunk in enumerate(_readable(snippet, body_format).split(MARK_START)):
        marked, _, rest = chunk.partition(MARK_END) if i else ("", "", chunk)
        if marked:
            parts.append(SnippetPart(marked, marked=True))
        if rest:
            parts.append(SnippetPart(rest.replace(MARK_END, ""), marked=False))
    return parts


# The form ----------------------------------------------------------------------------------


def _without_control_characters(text: str) -> str:
    """Control characters (NUL, escapes, line breaks…) as spaces: nothing a reader means to
    search for, and PostgreSQL cannot take a NUL at all."""
    return "".join(" " if unicodedata.category(char) == "Cc" else char for char in text)


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=MAX_LENGTH,
        error_messages={
            "max_length": _(
                "Search for at most %(limit_value)d characters (this has %(show_value)d)."
            )
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Before the field's own validators: NUL is then a space, not an error.
        if self.is_bound and "q" in self.data:
            data = self.data.copy()
            data["q"] = _without_control_characters(data["q"])
            self.data = data

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())

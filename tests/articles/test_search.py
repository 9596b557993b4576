"""Readers search the news from any page: published articles only, best match first, with
the words found highlighted, whatever they type. The same promises on SQLite and PostgreSQL."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from articles import search
from articles.models import Article
from tests import factories

pytestmark = pytest.mark.django_db

SEARCH = "/search/"


def headlines(response) -> list[str]:
    return [article.headline for article in response.context["article_list"]]


def results(query: str) -> list[str]:
    return [article.headline for article in search.search_articles(query)]


# What is found


def test_search_finds_published_articles_by_headline_standfirst_and_body(client):
    factories.make_article(headline="Harvest begins early", body="Wheat fields.")
    factories.make_article(headline="Other", standfirst="A harvest of votes.")
    factories.make_article(headline="Third", body="After the harvest, rain.")
    # Authors have their own pages; a byline is not searched.
    factories.make_article(headline="By a farmer", byline="Harvest Moon")
    factories.make_article(headline="Unrelated", body="Nothing to see.")

    response = client.get(SEARCH, {"q": "harvest"})

    assert response.status_code == 200
    assert set(headlines(response)) == {"Harvest begins early", "Other", "Third"}


def test_search_never_finds_drafts_or_articles_not_yet_published(client):
    factories.make_article(headline="Published harvest")
    factories.make_article(headline="Draft harvest", status=Article.Status.DRAFT)
    factories.make_article(headline="Scheduled harvest",
                           published_at=timezone.now() + timedelta(hours=1))  # fmt: skip

    response = client.get(SEARCH, {"q": "harvest"})

    assert headlines(response) == ["Published harvest"]
    html = response.content.decode()
    assert "Draft harvest" not in html and "Scheduled harvest" not in html


def test_a_headline_match_ranks_above_a_passing_mention_in_the_body(client):
    factories.make_article(headline="Markets calm", body="One word about drought here.",
                           published_at=timezone.now() - timedelta(minutes=5))  # fmt: skip
    factories.make_article(headline="Drought grips the south", body="Farmers wait for rain.",
                           published_at=timezone.now() - timedelta(days=3))  # fmt: skip

    assert results("drought") == ["Drought grips the south", "Markets calm"]


def test_every_word_must_be_found(client):
    factories.make_article(headline="Rain in Lviv")
    factories.make_article(headline="Rain in Odesa")
    assert results("rain lviv") == ["Rain in Lviv"]


def test_words_are_found_in_their_other_forms():
    factories.make_article(headline="Farmers harvested the wheat")
    assert results("harvesting") == ["Farmers harvested the wheat"]


def test_a_quoted_phrase_is_found_as_a_phrase():
    factories.make_article(headline="The grain deal collapsed")
    factories.make_article(headline="A deal on grain")
    assert results('"grain deal"') == ["The grain deal collapsed"]


def test_a_minus_sign_leaves_a_word_out():
    factories.make_article(headline="Grain exports rise")
    factories.make_article(headline="Grain prices fall")
    assert results("grain -prices") == ["Grain exports rise"]


def test_or_finds_either_word():
    factories.make_article(headline="Wheat exports")
    factories.make_article(headline="Barley exports")
    factories.make_article(headline="Oil exports")
    assert sorted(results("wheat or barley")) == ["Barley exports", "Wheat exports"]


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("Shelling in Київ overnight", "Київ"),
        ("Shelling in Київ overnight", "київ"),
        ("A new café opens", "café"),
        ("Überraschung in München", "münchen"),
        ("東京 news", "東京"),
    ],
)
def test_words_in_any_script_are_found(text, query):
    factories.make_article(headline=text)
    factories.make_article(headline="Something else entirely")
    assert results(query) == [text]


def test_a_change_to_an_article_is_found_at_once_and_the_old_words_no_longer():
    article = factories.make_article(headline="Old headline words")
    article.headline = "Fresh headline words"
    article.save()
    assert results("fresh") == ["Fresh headline words"]
    assert results("old") == []
    article.delete()
    assert results("fresh") == []


# Results page


def test_each_result_shows_headline_link_date_section_and_a_highlighted_snippet(client):
    article = factories.make_article(
        headline="Harvest report",
        body="After weeks of rain the farmers of the south began the harvest on Monday.",
    )

    html = client.get(SEARCH, {"q": "farmers"}).content.decode()

    assert f'<a href="{article.get_absolute_url()}">Harvest report</a>' in html
    assert article.published_at.strftime("%Y-%m-%d") in html
    assert f'<a class="section-link" href="{article.section.get_absolute_url()}">' in html
    snippet = re.search(r'<p class="snippet">(.*?)</p>', html, re.S).group(1)
    assert "<mark>farmers</mark>" in snippet
    assert "of the south began the harvest" in snippet
    assert "1 article found for “farmers”." in html


def test_nothing_in_an_article_runs_as_html_in_its_snippet(client):
    factories.make_article(
        headline="<img src=x onerror=alert(1)> headline",
        body="Before <script>alert('body')</script> the needle <b>bold</b> & after.",
    )

    html = client.get(SEARCH, {"q": "needle"}).content.decode()

    snippet = re.search(r'<p class="snippet">(.*?)</p>', html, re.S).group(1)
    assert "<script>" not in html.split("<main", 1)[1]
    assert "<img src=x" not in html
    assert "<b>" not in snippet and "bold" in snippet and "&amp;" in snippet
    assert "<mark>needle</mark>" in snippet
    # SQLite shows the text as typed; PostgreSQL's ts_headline leaves tags out.
    unmarked = snippet.replace("<mark>", "").replace("</mark>", "")
    assert "&lt;b&gt;bold&lt;/b&gt;" in snippet or "<" not in unmarked


def test_markers_typed_into_an_article_never_open_a_highlight_of_their_own(client):
    factories.make_article(body=f"Odd {search.MARK_START}text{search.MARK_END} and the needle.")
    html = client.get(SEARCH, {"q": "needle"}).content.decode()
    snippet = re.search(r'<p class="snippet">(.*?)</p>', html, re.S).group(1)
    assert snippet.count("<mark>") == snippet.count("</mark>")
    assert search.MARK_START not in snippet and search.MARK_END not in snippet


def test_snippets_read_as_the_story_reads_without_its_markdown(client):
    factories.make_article(
        body="## Where the ferry goes\n\n"
        "The **ferry** sails at dawn, says [the port](https://port.example/ferry-times).\n\n"
        "> The ferry is late, a passenger said.\n\nIt costs 3 \\* 4 euros."
    )
    html = client.get(SEARCH, {"q": "ferry"}).content.decode()
    snippet = re.search(r'<p class="snippet">(.*?)</p>', html, re.S).group(1)
    text = re.sub(r"</?mark>", "", snippet)
    assert "Where the ferry goes" in text
    assert "The ferry sails at dawn, says the port." in text
    assert "The ferry is late, a passenger said." in text
    for markup in ("##", "**", "](", "https://", "> ", "\\"):
        assert markup not in text, markup
    assert "<mark>ferry</mark>" in snippet


def test_snippets_of_an_imported_html_body_read_without_its_tags(client):
    factories.make_article(
        body_format="html",
        body='<p>The <strong>ferry</strong> sails at <a href="https://port.example/">dawn</a> '
        "&amp; returns.</p><ul><li>The ferry is late</li></ul>",
    )
    html = client.get(SEARCH, {"q": "ferry"}).content.decode()
    snippet = re.search(r'<p class="snippet">(.*?)</p>', html, re.S).group(1)
    text = re.sub(r"</?mark>", "", snippet)
    assert "ferry sails at dawn &amp; returns. The ferry is late" in text
    for markup in ("&lt;", "strong", "href", "&amp;amp;"):
        assert markup not in text, markup


def test_a_tag_cut_by_the_snippets_edge_is_not_shown():
    start, end = search.MARK_START, search.MARK_END
    parts = search.snippet_parts(f'ong>the {start}ferry{end} <a href="x', "html")
    assert [(p.text, p.marked) for p in parts] == [("the ", False), ("ferry", True)]


def test_snippet_parts_split_text_and_matches():
    start, end = search.MARK_START, search.MARK_END
    parts = search.snippet_parts(f"a {start}b{end} c {start}d{end}")
    assert [(p.text, p.marked) for p in parts] == [
        ("a ", False),
        ("b", True),
        (" c ", False),
        ("d", True),
    ]
    assert [(p.text, p.marked) for p in search.snippet_parts(f"x{end}y")] == [("xy", False)]


def test_results_are_paginated_with_the_query_kept(client):
    for n in range(12):
        factories.make_article(headline=f"Storm update {n}")

    first = client.get(SEARCH, {"q": "storm"})
    second = client.get(SEARCH, {"q": "storm", "page": 2})

    assert len(first.context["article_list"]) == 10
    assert len(second.context["article_list"]) == 2
    assert 'href="?q=storm&amp;page=2" rel="next"' in first.content.decode()
    assert 'href="?q=storm&amp;page=1" rel="prev"' in second.content.decode()
    assert "12 articles found" in first.content.decode()
    assert client.get(SEARCH, {"q": "storm", "page": 9}).status_code == 404


def test_no_match_says_so(client):
    factories.make_article(headline="Something")
    html = client.get(SEARCH, {"q": "zebra"}).content.decode()
    assert "0 articles found for “zebra”." in html
    assert "Nothing matches those words." in html


def test_empty_search_shows_the_form_with_a_hint(client):
    factories.make_article()
    for params in ({}, {"q": ""}, {"q": "   "}):
        response = client.get(SEARCH, params)
        html = response.content.decode()
        assert response.status_code == 200
        assert 'role="search"' in html and 'id="search-q"' in html
        assert "Type a word or two" in html
        assert response.context["article_list"] == [] or not response.context["article_list"]


def test_a_search_longer_than_200_characters_gets_a_clear_message(client):
    factories.make_article(headline="Storm")
    response = client.get(SEARCH, {"q": "storm " + "x" * 200})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Search for at most 200 characters (this has 206)." in html
    assert 'aria-invalid="true"' in html
    assert not response.context["article_list"]


def test_a_search_of_200_characters_is_searched(client):
    factories.make_article(headline="Storm")
    query = "storm " + "x" * 194
    response = client.get(SEARCH, {"q": query})
    assert "at most 200" not in response.content.decode()
    assert response.context["query"] == query


NASTY = [
    '"', '""', '"""', "'", "*", "-", "--", "^", ":", "(", ")", "()", "NEAR", "NEAR(", "AND",
    "OR", "NOT", "storm OR", "OR storm", "storm AND", "NOT storm", "-storm", "storm -",
    "storm*", "*storm", "storm:", "headline:storm", "{headline}: storm", "^storm",
    "storm NEAR/2 rain", 'storm"', '"storm', '"st"orm"', "st\"orm", "!!!", "&&", "||", "\\",
    "%", "_", "%_%", "'; DROP TABLE articles_article; --", "<script>", "&amp;", "€", "🙂",
    "\u200b", "\ufeff", "\u202e", "a" * 200, "storm\x00rain", "\x00", "\x01\x02\x1f", "\x7f",
    "storm\nrain", "storm\train", "\ud7ff", search.MARK_START, "!", ")(", "or or or", "- - -",
]  # fmt: skip


@pytest.mark.parametrize("query", NASTY)
def test_any_characters_typed_give_a_page_never_an_error(client, query):
    factories.make_article(headline="Storm warning", body="Rain and storm tonight.")
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    assert 'role="search"' in response.content.decode()


def test_control_characters_are_searched_as_spaces(client):
    factories.make_article(headline="Storm and rain")
    response = client.get(SEARCH, {"q": "storm\x00rain\x1b"})
    assert headlines(response) == ["Storm and rain"]
    assert response.context["query"] == "storm rain"


def test_the_query_is_shown_back_escaped(client):
    html = client.get(SEARCH, {"q": '<script>alert("q")</script>'}).content.decode()
    assert '<script>alert("q")' not in html
    assert "&lt;script&gt;alert(&quot;q&quot;)&lt;/script&gt;" in html


# Every page, caches and robots


def test_every_page_has_a_labelled_search_form_that_works_without_script(client, article):
    for url in ("/", article.get_absolute_url(), article.section.get_absolute_url()):
        html = client.get(url).content.decode()
        form = re.search(r'<form class="site-search" role="search"[^>]*>(.*?)</form>', html, re.S)
        assert 'action="/search/" method="get"' in form.group(0)
        assert '<label class="visually-hidden" for="site-search-q">' in form.group(1)
        assert 'id="site-search-q" name="q"' in form.group(1)
        assert '<button type="submit">Search</button>' in form.group(1)


def test_search_page_is_not_indexed_but_shared_caches_may_keep_it(client):
    article = factories.make_article(headline="Storm")
    response = client.get(SEARCH, {"q": "storm"})
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert "public" in response["Cache-Control"]
    keys = set(response["Surrogate-Key"].split())
    # Any change to any article purges ARTICLE_INDEX; a renamed section purges every page.
    assert {"article-index", "article-lists", f"article-{article.pk}"} <= keys


def test_robots_txt_keeps_crawlers_out_of_search(client):
    assert "Disallow: /search/\n" in client.get("/robots.txt").content.decode()


def test_search_query_count_does_not_grow_with_results(client, django_assert_num_queries):
    for n in range(3):
        factories.make_article(headline=f"Storm {n}")
    client.get(SEARCH)  # the footer's pages, cached from then on (articles/pages/footer.py)
    with django_assert_num_queries(SEARCH_QUERIES):
        client.get(SEARCH, {"q": "storm"})
    for n in range(10):
        factories.make_article(headline=f"Storm more {n}")
    with django_assert_num_queries(SEARCH_QUERIES):
        client.get(SEARCH, {"q": "storm"})


SEARCH_QUERIES = 3  # the count, the page of results, the navigation's sections


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own index")
def test_postgresql_finds_matches_through_the_gin_index():
    for n in range(30):
        factories.make_article(headline=f"Story {n}")
    factories.make_article(headline="Storm")
    assert results("storm") == ["Storm"]
    # The match alone (the published articles have an index of their own), and thirty rows
    # are read faster one by one: ask for the plan without that choice.
    queryset = search._search_postgresql(Article.objects.all(), "storm")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on article_search_idx" in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own column")
def test_postgresql_keeps_the_search_document_current_on_every_write():
    article = factories.make_article(headline="Before")
    Article.objects.filter(pk=article.pk).update(headline="Updated behind the model's back")
    assert results("behind") == ["Updated behind the model's back"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own index")
# Transactional: SQLite's schema editor cannot work inside the test's transaction;
# serialized_rollback, as the suite's other transactional tests, keeps the migrated rows.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sqlite_search_stays_current_after_a_migration_rebuilds_the_table():
    # Many AlterFields make Django's SQLite schema editor copy the table and drop the old
    # one, which takes its triggers along; migrate puts them back.
    old_field = Article._meta.get_field("dateline")
    new_field = old_field.clone()
    new_field.set_attributes_from_name("dateline")
    new_field.max_length = 90
    factories.make_article(headline="Marmalade before")
    try:
        with connection.schema_editor() as editor:
            editor.alter_field(Article, old_field, new_field)
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            assert not {name for (name,) in cursor.fetchall()} & set(search.INDEX.triggers)
        during = factories.make_article(headline="Marmalade during")

        call_command("migrate", verbosity=0)

        factories.make_article(headline="Marmalade after")
        assert sorted(results("marmalade")) == [
            "Marmalade after",
            "Marmalade before",
            "Marmalade during",
        ]
        during.delete()
        assert sorted(results("marmalade")) == ["Marmalade after", "Marmalade before"]
    finally:
        with connection.schema_editor() as editor:
            editor.alter_field(Article, new_field, old_field)
        call_command("migrate", verbosity=0)

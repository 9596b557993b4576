"""The comments admin's search: what an editor types finds what it should, on either database.

On SQLite the search reads a full-text index kept by triggers (comments/search.py); these
tests prove it stays current and that nothing typed breaks it.
"""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from comments import search
from comments.admin import SearchPaginator
from comments.models import Comment
from tests.admin_pages import listed
from tests.factories import make_comment

CHANGELIST = reverse("admin:comments_comment_changelist")

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the full-text index is SQLite's"
)


def found(client, term: str, **params) -> set[Comment]:
    return listed(client.get(CHANGELIST, {"q": term, **params}))


@pytest.mark.parametrize(
    ("fields", "term"),
    [
        ({"author_name": "Grace Hopper"}, "HOPP"),
        ({"author_email": "grace@navy.example"}, "navy.exam"),
        ({"text": "The bridge was closed at dawn."}, "closed dawn"),
        ({"text": "The bridge was closed at dawn."}, '"bridge was"'),
        ({"ip_address": "203.0.113.99"}, "113.99"),
        ({"text": "Zoë wrote: ÉTÉ à Paris."}, "zoë"),
        ({"text": "He is an ox."}, "ox"),  # shorter than a trigram: found all the same
        ({"text": "He is an ox, not a bull."}, "ox bull"),
    ],
)
def test_search_finds_part_of_a_name_email_text_or_ip(editor_client, article, fields, term):
    wanted = make_comment(article, **fields)
    make_comment(article, author_name="Someone Else", text="Unrelated.", ip_address="192.0.2.1")

    assert found(editor_client, term) == {wanted}


def test_every_word_must_be_found(editor_client, article):
    both = make_comment(article, author_name="Grace Hopper", text="About the bridge.")
    make_comment(article, author_name="Grace Hopper", text="About the station.")

    assert found(editor_client, "hopper bridge") == {both}


def test_search_combines_with_the_status_filter(editor_client, article):
    pending = make_comment(article, text="The bridge again.", status=Comment.Status.PENDING)
    make_comment(article, text="The bridge again, approved.", status=Comment.Status.APPROVED)

    assert found(editor_client, "bridge", status="pending") == {pending}


@pytest.mark.parametrize(
    "text",
    [
        'She said "no" twice',
        'a "quote',
        "stars * and more**",
        "NEAR(one two)",
        "one AND two OR NOT three",
        "minus -sign and col:umn ^caret",
        "(parentheses) [brackets] {braces}",
        "100% of_the \\backslash",
        "emoji 🙂 and ünïcödé",
        "semi; DROP TABLE x; --",
    ],
)
def test_anything_typed_is_searched_for_literally(editor_client, article, text):
    wanted = make_comment(article, text=f"Before {text} after.")
    make_comment(article, text="Nothing special here.")

    assert found(editor_client, text.replace('"', "")) <= {wanted}
    assert found(editor_client, f"{text} after") == {wanted} or '"' in text
    assert editor_client.get(CHANGELIST, {"q": f'"{text}"'}).status_code == 200


def test_a_quoted_term_with_a_double_quote_is_found(editor_client, article):
    wanted = make_comment(article, text='She said "no" twice.')
    make_comment(article, text="She said no twice.")

    assert found(editor_client, "'said \"no\"'") == {wanted}


def test_fts5_query_quotes_every_term():
    assert search.fts5_query(['say "hi"', "NEAR(a b)", "x*"]) == '"say ""hi""" "NEAR(a b)" "x*"'


# The index stays current


def test_a_new_comment_is_found(editor_client, article):
    assert found(editor_client, "marmalade") == set()

    comment = make_comment(article, text="Marmalade on toast.")

    assert found(editor_client, "marmalade") == {comment}


def test_an_edited_comment_is_found_by_its_new_words_only(editor_client, article):
    comment = make_comment(article, text="Marmalade on toast.", author_name="Ada Lovelace")

    comment.text = "Honey on toast."
    comment.author_name = "Grace Hopper"
    comment.save()

    assert found(editor_client, "marmalade") == set()
    assert found(editor_client, "lovelace") == set()
    assert found(editor_client, "honey") == {comment}
    assert found(editor_client, "hopper") == {comment}


def test_a_status_change_keeps_the_comment_findable(editor_client, article):
    comment = make_comment(article, text="Marmalade on toast.")

    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.SPAM)

    assert found(editor_client, "marmalade") == {comment}


def test_a_deleted_comment_is_not_found(editor_client, article):
    comment = make_comment(article, text="Marmalade on toast.")
    kept = make_comment(article, text="More marmalade.")

    comment.delete()

    assert found(editor_client, "marmalade") == {kept}


@sqlite_only
# Transactional: SQLite's schema editor cannot work inside the test's transaction;
# serialized_rollback, as the suite's other transactional tests, keeps the migrated rows.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_search_stays_current_after_a_migration_rebuilds_the_table(editor_client, article):
    # Many AlterFields make Django's SQLite schema editor copy the table and drop the old
    # one, which takes its triggers along; migrate puts them back.
    old_field = Comment._meta.get_field("user_agent")
    new_field = Comment._meta.get_field("user_agent").clone()
    new_field.set_attributes_from_name("user_agent")
    new_field.max_length = 300
    before = make_comment(article, text="Marmalade before.")
    try:
        with connection.schema_editor() as editor:
            editor.alter_field(Comment, old_field, new_field)
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            assert not {name for (name,) in cursor.fetchall()} & set(search.INDEX.triggers)
        during = make_comment(article, text="Marmalade during.")

        call_command("migrate", verbosity=0)

        after = make_comment(article, text="Marmalade after.")
        assert found(editor_client, "marmalade") == {before, during, after}
        during.delete()
        assert found(editor_client, "marmalade") == {before, after}
    finally:
        with connection.schema_editor() as editor:
            editor.alter_field(Comment, new_field, old_field)
        call_command("migrate", verbosity=0)


# The count


def test_a_search_with_many_results_says_how_many_up_to_the_cap(
    editor_client, article, monkeypatch
):
    monkeypatch.setattr(SearchPaginator, "cap", 3)
    for n in range(5):
        make_comment(article, text=f"Marmalade number {n}.")

    response = editor_client.get(CHANGELIST, {"q": "marmalade"})

    assert "3+ comments" in response.text
    assert "3+ results" in response.text


def test_a_search_with_few_results_counts_them_exactly(editor_client, article, monkeypatch):
    monkeypatch.setattr(SearchPaginator, "cap", 3)
    for n in range(3):
        make_comment(article, text=f"Marmalade number {n}.")

    response = editor_client.get(CHANGELIST, {"q": "marmalade"})

    assert "3 comments" in response.text
    assert "3+ comments" not in response.text


def test_few_results_are_paged_newest_first(editor_client, article, monkeypatch):
    monkeypatch.setattr(SearchPaginator, "cap", 10)
    monkeypatch.setattr("comments.admin.CommentAdmin.list_per_page", 2)
    now = timezone.now()
    found_comments = [
        make_comment(article, text=f"Marmalade {n}.", submitted_at=now - timedelta(hours=n))
        for n in range(5)
    ]
    make_comment(article, text="Toast.", submitted_at=now)

    pages = [
        editor_client.get(CHANGELIST, {"q": "marmalade", "p": page}).context["cl"].result_list
        for page in (1, 2, 3)
    ]

    assert [list(page) for page in pages] == [
        found_comments[0:2],
        found_comments[2:4],
        found_comments[4:5],
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statistics")
@pytest.mark.django_db
def test_postgresql_samples_enough_of_each_search_expression_to_keep_its_plan():
    # 1,001 values, not 101: the guess of how many comments hold a word, and so the plan
    # of a common word's search, holds still from one ANALYZE to the next (migration 0014).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text, attstattarget FROM pg_index"
            " JOIN pg_attribute ON attrelid = indexrelid"
            " WHERE indrelid = 'comments_comment'::regclass"
            " AND indexrelid::regclass::text LIKE '%%_trgm_idx'"
        )
        targets = dict(cursor.fetchall())
    assert targets == {
        "comment_name_trgm_idx": 1000,
        "comment_email_trgm_idx": 1000,
        "comment_text_trgm_idx": 1000,
        "comment_ip_trgm_idx": 1000,
    }

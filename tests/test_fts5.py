"""The SQLite full-text indexes' builder (newsroom/fts5.py) takes only plain names: they go
into SQL as they are."""

import pytest

from newsroom.fts5 import Fts5Index


@pytest.mark.parametrize(
    "names",
    [
        {"table": "x; DROP TABLE articles_article"},
        {"content": "articles_article--"},
        {"columns": ("body", "title) --")},
        {"tokenize": "porter' "},
    ],
)
def test_an_index_refuses_names_that_are_not_plain(names):
    fields = {"table": "t_search", "content": "t", "columns": ("body",), "tokenize": "trigram"}
    with pytest.raises(ValueError, match="Not plain SQL names"):
        Fts5Index(**{**fields, **names})


def test_triggers_keep_the_index_in_step_with_each_column():
    index = Fts5Index(table="t_search", content="t", columns=("a", "b"), tokenize="trigram")

    assert index.triggers["t_search_insert"] == (
        "AFTER INSERT ON t BEGIN "
        "INSERT INTO t_search (rowid, a, b) VALUES (new.id, new.a, new.b); END"
    )
    assert index.triggers["t_search_update"].startswith("AFTER UPDATE OF a, b ON t BEGIN")
    assert "VALUES ('delete', old.id, old.a, old.b);" in index.triggers["t_search_delete"]

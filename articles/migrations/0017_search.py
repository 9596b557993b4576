"""The site's search index: on PostgreSQL a stored, weighted tsvector column with a GIN
index; on SQLite an FTS5 table kept by triggers (articles/search.py says how each works)."""

from django.db import migrations

from articles import search


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(search.ADD_DOCUMENT)
        schema_editor.execute(search.ADD_INDEX)
    elif schema_editor.connection.vendor == "sqlite":
        search.INDEX.create(schema_editor.connection)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(search.DROP_DOCUMENT)  # and its index with it
    elif schema_editor.connection.vendor == "sqlite":
        search.INDEX.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("articles", "0016_tags")]

    operations = [migrations.RunPython(create_index, drop_index)]

"""On SQLite, a full-text index (FTS5, trigram) for the admin's search; nothing on PostgreSQL.

PostgreSQL has its trigram indexes (0008). comments/search.py says how the index works and
how its triggers outlive Django's table rebuilds. On 100,000 comments the index takes about
as much room as the comments themselves, and filling it a few seconds.
"""

from django.db import migrations

from comments import search


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        search.INDEX.create(schema_editor.connection)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        search.INDEX.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("comments", "0008_search_trigram_indexes_on_postgresql")]

    operations = [migrations.RunPython(create_index, drop_index)]

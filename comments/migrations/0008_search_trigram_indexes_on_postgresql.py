"""On PostgreSQL, trigram indexes for the admin's search; nothing on SQLite.

The admin searches four fields with ``icontains``, which PostgreSQL runs as
``UPPER(field) LIKE UPPER('%term%')``: without an index, a scan of every comment (0.2-0.3 s
on 100,000). pg_trgm's GIN indexes on those very expressions find the matches instead.
SQLite has no such index: there a search still reads every comment (bench/README.md).
The extension stays when this is reversed: other things may use it.
"""

from django.db import migrations

# The expressions Django's icontains compares on PostgreSQL, one index each.
INDEXES = {
    "comment_name_trgm_idx": 'UPPER("author_name"::text)',
    "comment_email_trgm_idx": 'UPPER("author_email"::text)',
    "comment_text_trgm_idx": 'UPPER("text"::text)',
    "comment_ip_trgm_idx": 'UPPER(HOST("ip_address"))',
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX "{name}" ON "comments_comment" USING gin (({expression}) gin_trgm_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("comments", "0007_queue_order_and_search_indexes")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]

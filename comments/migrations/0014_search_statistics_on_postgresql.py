"""On PostgreSQL, finer statistics for the search indexes' expressions; nothing on SQLite.

PostgreSQL guesses how many comments contain a word from a sample of the expression's
values: 101 of them by default. For a word in 6 % of comments that sample holds anywhere
from 0 to 12, so each ANALYZE could flip the queue's search between walking the newest-first
index (3 ms: it stops at the page's last match) and finding every match, then sorting
(40-70 ms). With 1,001 values the guess holds still and the plan with it (bench/README.md).
"""

from django.db import migrations

TRIGRAM_INDEXES = [  # migration 0008
    "comment_name_trgm_idx",
    "comment_email_trgm_idx",
    "comment_text_trgm_idx",
    "comment_ip_trgm_idx",
]
TARGET = 1000


def set_targets(target: int):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name in TRIGRAM_INDEXES:
            schema_editor.execute(f'ALTER INDEX "{name}" ALTER COLUMN 1 SET STATISTICS {target}')
        schema_editor.execute('ANALYZE "comments_comment"')

    return apply


class Migration(migrations.Migration):
    dependencies = [("comments", "0013_subscriptions")]

    operations = [migrations.RunPython(set_targets(TARGET), set_targets(-1))]

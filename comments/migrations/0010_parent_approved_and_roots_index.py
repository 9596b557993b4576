"""Comment.parent_approved, filled for every comment, and comment_roots_idx to read it."""

from django.db import migrations, models
from django.db.models import Exists, OuterRef

import comments.models


def set_parent_approved(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    approved_parent = Comment.objects.filter(pk=OuterRef("parent_id"), status="approved")
    Comment.objects.filter(parent__isnull=False).update(parent_approved=Exists(approved_parent))


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0009_search_index_on_sqlite"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="parent_approved",
            field=models.BooleanField(default=False, editable=False),
        ),
        # Dropping the field drops what this wrote.
        migrations.RunPython(set_parent_approved, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="comment",
            name="parent",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=comments.models.set_null_at_top_level,
                related_name="replies",
                to="comments.comment",
                verbose_name="in reply to",
            ),
        ),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(
                fields=["article", "status", "parent_approved", "submitted_at", "id"],
                name="comment_roots_idx",
            ),
        ),
    ]

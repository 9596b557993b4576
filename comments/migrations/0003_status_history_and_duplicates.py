"""Record when and from what a comment's status changed, and refuse duplicate comments."""

import hashlib

import django.utils.timezone
from django.db import migrations, models


def fill_content_hashes(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    seen = set()
    for comment in Comment.objects.order_by("pk").iterator():
        parts = [
            str(comment.article_id),
            str(comment.parent_id or ""),
            comment.author_name,
            comment.author_email.lower(),
            comment.text,
        ]
        digest = hashlib.sha256("\x00".join(parts).encode()).hexdigest()
        if comment.status != "trash":
            if digest in seen:
                # An old duplicate: keep it, marked so that it does not collide.
                digest = hashlib.sha256(f"{digest}:{comment.pk}".encode()).hexdigest()
            seen.add(digest)
        comment.content_hash = digest
        comment.status_changed_at = comment.submitted_at
        comment.save(update_fields=["content_hash", "status_changed_at"])


class Migration(migrations.Migration):
    dependencies = [("comments", "0002_editors_group")]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="status_changed_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="status changed"
            ),
        ),
        migrations.AddField(
            model_name="comment",
            name="previous_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("pending", "Pending"),
                    ("approved", "Approved"),
                    ("spam", "Spam"),
                    ("trash", "Trash"),
                ],
                max_length=10,
                verbose_name="status before spam or trash",
            ),
        ),
        migrations.AddField(
            model_name="comment",
            name="content_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(fill_content_hashes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="comment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "trash"), _negated=True),
                fields=("content_hash",),
                name="comment_no_duplicates",
                violation_error_message="This comment has been posted already.",
            ),
        ),
    ]

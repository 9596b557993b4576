"""Indexes for the admin's moderation queue: newest first, and a whole email or IP searched."""

from django.db import migrations, models
from django.db.models.functions import Upper


class Migration(migrations.Migration):
    dependencies = [("comments", "0006_discussion_settings_row")]

    operations = [
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(fields=["-submitted_at", "-id"], name="comment_submitted_idx"),
        ),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(Upper("author_email"), name="comment_email_idx"),
        ),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(fields=["ip_address"], name="comment_ip_idx"),
        ),
    ]

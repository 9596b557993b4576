"""Each article's comments: the site's settings, all held, trusted commenters at once, or
closed (which replaces the "comments open" box)."""

from django.db import migrations, models


def closed_box_to_mode(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Article.objects.filter(comments_open=False).update(comment_mode="closed")


def mode_to_closed_box(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Article.objects.filter(comment_mode="closed").update(comments_open=False)


class Migration(migrations.Migration):
    dependencies = [("articles", "0009_review_status_and_publish_time")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="comment_mode",
            field=models.CharField(
                choices=[
                    ("default", "Site default (the discussion settings page)"),
                    ("hold_all", "Every comment held for an editor (pre-moderated)"),
                    (
                        "trusted",
                        "Comments from commenters approved before appear at once; others are "
                        "held",
                    ),
                    ("closed", "Closed: no new comments"),
                ],
                default="default",
                max_length=10,
                verbose_name="comments",
            ),
        ),
        migrations.RunPython(closed_box_to_mode, mode_to_closed_box),
        migrations.RemoveField(model_name="article", name="comments_open"),
    ]

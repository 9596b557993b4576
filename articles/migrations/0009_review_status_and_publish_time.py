"""Articles can wait "In review" for an editor, only editors may publish, and an article's
publish time is set when it is first published rather than when its form was opened.

A draft's publish time in the past was, before this, only the moment its form was opened:
it is cleared, so publishing the draft gives it the time it is published. A time to come,
which an editor set on purpose, is kept.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def clear_drafts_form_times(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Article.objects.filter(status="draft", published_at__lte=timezone.now()).update(
        published_at=None
    )


def give_unset_times_back(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Article.objects.filter(status="review").update(status="draft")
    Article.objects.filter(published_at=None).update(published_at=models.F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_authors"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="article",
            options={
                "ordering": ["-published_at", "-pk"],
                "permissions": [
                    ("publish_article", "Can publish, schedule and unpublish articles")
                ],
                "verbose_name": "article",
                "verbose_name_plural": "articles",
            },
        ),
        migrations.AddField(
            model_name="article",
            name="created_by",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="created by",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="status",
            field=models.CharField(
                choices=[("draft", "Draft"), ("review", "In review"), ("published", "Published")],
                default="draft",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="published_at",
            field=models.DateTimeField(
                blank=True,
                help_text="Readers see a published article from this moment on. Blank: the "
                "moment it is published. A time to come schedules it.",
                null=True,
                verbose_name="publish time",
            ),
        ),
        migrations.RunPython(clear_drafts_form_times, give_unset_times_back),
    ]

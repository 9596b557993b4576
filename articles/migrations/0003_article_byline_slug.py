"""Author pages: each article's byline as a slug, filled in for existing articles."""

from django.db import migrations, models
from django.utils.text import slugify


def fill_byline_slugs(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    for article in Article.objects.only("pk", "byline").iterator():
        Article.objects.filter(pk=article.pk).update(byline_slug=slugify(article.byline))


class Migration(migrations.Migration):
    dependencies = [("articles", "0002_comments_close_after_days")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="byline_slug",
            field=models.SlugField(default="", editable=False, max_length=120),
            preserve_default=False,
        ),
        migrations.RunPython(fill_byline_slugs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="article",
            name="byline_slug",
            field=models.SlugField(db_index=True, editable=False, max_length=120),
        ),
    ]

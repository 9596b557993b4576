"""Bylines become authors: each distinct byline an author with its own page, at the address
its byline page had (``/authors/<slug>/``), so old links keep working."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils.text import slugify


def bylines_to_authors(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Author = apps.get_model("articles", "Author")
    authors = {}  # byline_slug -> Author: bylines differing only in case or accents are one
    for article in Article.objects.order_by("pk").only("pk", "byline", "byline_slug"):
        slug = article.byline_slug or slugify(article.byline)
        if slug not in authors:
            # A byline with no letters a slug keeps (say, in Cyrillic) had no page; now it does.
            unique = slug or f"author-{len(authors) + 1}"
            while Author.objects.filter(slug=unique).exists():
                unique = f"{slug or 'author'}-{len(authors) + 1}-{article.pk}"
            authors[slug] = Author.objects.create(name=article.byline.strip(), slug=unique)
        Article.objects.filter(pk=article.pk).update(author=authors[slug])


def authors_to_bylines(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    for article in Article.objects.select_related("author").only("pk", "author"):
        Article.objects.filter(pk=article.pk).update(
            byline=article.author.name[:120], byline_slug=article.author.slug
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_article_byline_slug"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Author",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=120, verbose_name="name")),
                (
                    "slug",
                    models.SlugField(
                        help_text="The author page's address.",
                        max_length=120,
                        unique=True,
                        verbose_name="slug",
                    ),
                ),
                (
                    "bio",
                    models.TextField(
                        blank=True,
                        help_text="Shown on the author page. Markdown, as in articles; HTML is "
                        "never run.",
                        verbose_name="bio",
                    ),
                ),
                (
                    "user",
                    models.OneToOneField(
                        blank=True,
                        help_text="The staff account that writes as this author: its new "
                        "articles carry it.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="author_profile",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="account",
                    ),
                ),
            ],
            options={
                "verbose_name": "author",
                "verbose_name_plural": "authors",
                "ordering": ["name"],
            },
        ),
        migrations.AddField(
            model_name="article",
            name="author",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="articles",
                to="articles.author",
                verbose_name="byline",
            ),
        ),
        migrations.RunPython(bylines_to_authors, authors_to_bylines),
        # Defaults only so that going back can re-add the columns before filling them in.
        migrations.AlterField(
            model_name="article",
            name="byline_slug",
            field=models.SlugField(db_index=True, default="", editable=False, max_length=120),
        ),
        migrations.AlterField(
            model_name="article",
            name="byline",
            field=models.CharField(default="", max_length=120, verbose_name="byline"),
        ),
        migrations.RemoveField(model_name="article", name="byline_slug"),
        migrations.RemoveField(model_name="article", name="byline"),
        migrations.RenameField(model_name="article", old_name="author", new_name="byline"),
        migrations.AlterField(
            model_name="article",
            name="byline",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="articles",
                to="articles.author",
                verbose_name="byline",
            ),
        ),
    ]

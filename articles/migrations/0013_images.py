"""The image library: pictures with alt text, caption and credit; an article's featured
image and the pictures its body shows (both protect the image); editors manage images."""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

EDITORS = "Editors"
IMAGE_PERMISSIONS = ["add_image", "change_image", "delete_image", "view_image"]


def let_editors_manage_images(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now for the group.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="articles", codename__in=IMAGE_PERMISSIONS
    )
    for editors in Group.objects.filter(name=EDITORS):
        editors.permissions.add(*permissions)


def forbid_editors_images(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="articles", codename__in=IMAGE_PERMISSIONS
    ).values_list("pk", flat=True)  # ids: taken whichever rendering of the models asks
    for editors in Group.objects.filter(name=EDITORS):
        editors.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_first_kept_versions"),
        ("comments", "0002_editors_group"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="article",
            name="body",
            field=models.TextField(
                help_text="Markdown: a blank line between paragraphs, ## for a subheading, > for a quotation, [text](https://…) for a link, ![description](image:42) for picture 42 of the image library on a line of its own. HTML is shown as typed, never run.",
                verbose_name="body",
            ),
        ),
        migrations.CreateModel(
            name="Image",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "file",
                    models.ImageField(
                        height_field="height",
                        help_text="A JPEG, PNG or WebP picture. Its location and other camera data are removed; smaller sizes for phones and screens are made from it.",
                        max_length=255,
                        upload_to="images/%Y/%m/",
                        verbose_name="file",
                        width_field="width",
                    ),
                ),
                (
                    "alt_text",
                    models.CharField(
                        help_text='What the picture shows, for readers who cannot see it, e.g. "Firefighters carry a hose into the burning warehouse".',
                        max_length=300,
                        verbose_name="alt text",
                    ),
                ),
                (
                    "caption",
                    models.CharField(
                        blank=True,
                        help_text="Shown under the picture.",
                        max_length=500,
                        verbose_name="caption",
                    ),
                ),
                (
                    "credit",
                    models.CharField(
                        help_text='Who took or owns the picture, e.g. "Jane Doe / Reuters".',
                        max_length=200,
                        verbose_name="credit",
                    ),
                ),
                (
                    "width",
                    models.PositiveIntegerField(default=0, editable=False, verbose_name="width"),
                ),
                (
                    "height",
                    models.PositiveIntegerField(default=0, editable=False, verbose_name="height"),
                ),
                ("uploaded_at", models.DateTimeField(auto_now_add=True, verbose_name="uploaded")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="uploaded by",
                    ),
                ),
            ],
            options={
                "verbose_name": "image",
                "verbose_name_plural": "images",
                "ordering": ["-uploaded_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="BodyImage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="articles.article",
                    ),
                ),
                (
                    "image",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="body_uses",
                        to="articles.image",
                    ),
                ),
            ],
            options={
                "verbose_name": "picture in the body of an article",
                "verbose_name_plural": "pictures in the bodies of articles",
            },
        ),
        migrations.AddField(
            model_name="article",
            name="body_images",
            field=models.ManyToManyField(
                blank=True,
                editable=False,
                related_name="shown_in_body_of",
                through="articles.BodyImage",
                to="articles.image",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="featured_image",
            field=models.ForeignKey(
                blank=True,
                help_text="Shown above the story, beside it in the lists of articles, and when it is shared.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="featured_in",
                to="articles.image",
                verbose_name="featured image",
            ),
        ),
        migrations.AddConstraint(
            model_name="bodyimage",
            constraint=models.UniqueConstraint(fields=("article", "image"), name="body_image_once"),
        ),
        migrations.RunPython(let_editors_manage_images, forbid_editors_images),
    ]

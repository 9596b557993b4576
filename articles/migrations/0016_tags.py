"""Tags: a subject across sections, with its own page and feed. Editors may manage them;
contributors choose them for their drafts."""

from django.contrib.auth.management import create_permissions
import django.db.models.functions.text
from django.db import migrations, models

CODENAMES = ["add_tag", "change_tag", "delete_tag", "view_tag"]
CONTRIBUTORS_MAY = ["view_tag"]


def permission_ids(apps, codenames):
    # Ids: taken whichever rendering of the models asks, when other apps migrate back too.
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label="articles", codename__in=codenames
    ).values_list("pk", flat=True)


def grant(apps, schema_editor):
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    for editors in Group.objects.filter(name="Editors"):
        editors.permissions.add(*permission_ids(apps, CODENAMES))
    for contributors in Group.objects.filter(name="Contributors"):
        contributors.permissions.add(*permission_ids(apps, CONTRIBUTORS_MAY))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=["Editors", "Contributors"]):
        group.permissions.remove(*permission_ids(apps, CODENAMES))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0015_contributors_use_images"),
        # The Editors group, which gets the tags' permissions.
        ("comments", "0002_editors_group"),
    ]

    operations = [
        migrations.CreateModel(
            name="Tag",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=80, unique=True, verbose_name="name")),
                ("slug", models.SlugField(max_length=80, unique=True, verbose_name="slug")),
            ],
            options={
                "verbose_name": "tag",
                "verbose_name_plural": "tags",
                "ordering": ["name"],
                "constraints": [
                    models.UniqueConstraint(
                        django.db.models.functions.text.Lower("name"),
                        name="tag_name_unique_in_any_case",
                        violation_error_message="A tag with this name already exists.",
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="article",
            name="tags",
            field=models.ManyToManyField(
                blank=True,
                help_text="What the story is about, across sections; each tag has its own page.",
                related_name="articles",
                to="articles.tag",
                verbose_name="tags",
            ),
        ),
        migrations.RunPython(grant, revoke),
    ]

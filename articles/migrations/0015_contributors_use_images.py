"""Contributors upload pictures and choose them for their drafts (featured image, body,
author photo); changing or deleting a library picture others use stays with editors."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTRIBUTORS = "Contributors"
CONTRIBUTORS_GAIN = ["add_image", "view_image"]


def permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    # Their ids: a group's permissions take them whichever rendering of the models asks.
    return Permission.objects.filter(
        content_type__app_label="articles", codename__in=CONTRIBUTORS_GAIN
    ).values_list("pk", flat=True)


def let_contributors_use_images(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so the group gets them.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    for contributors in Group.objects.filter(name=CONTRIBUTORS):
        contributors.permissions.add(*permissions(apps))


def take_images_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for contributors in Group.objects.filter(name=CONTRIBUTORS):
        contributors.permissions.remove(*permissions(apps))


class Migration(migrations.Migration):
    dependencies = [("articles", "0014_author_photo")]

    operations = [migrations.RunPython(let_contributors_use_images, take_images_back)]

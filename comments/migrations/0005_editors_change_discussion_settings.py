"""Editors may change the discussion settings."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["change_discussionsettings", "view_discussionsettings"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("comments")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for editors in Group.objects.filter(name="Editors"):
        editors.permissions.add(
            *Permission.objects.filter(content_type__app_label="comments", codename__in=CODENAMES)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for editors in Group.objects.filter(name="Editors"):
        # Ids: taken whichever rendering of the models asks, when other apps migrate back too.
        editors.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="comments", codename__in=CODENAMES
            ).values_list("pk", flat=True)
        )


class Migration(migrations.Migration):
    dependencies = [("comments", "0004_discussion_settings")]

    operations = [migrations.RunPython(grant, revoke)]

"""Editors write the site's pages (About, Corrections, Contact…)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["add_flatpage", "change_flatpage", "delete_flatpage", "view_flatpage"]


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so the group gets them.
    app_config = apps.get_app_config("flatpages")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for editors in Group.objects.filter(name="Editors"):
        editors.permissions.add(
            *Permission.objects.filter(content_type__app_label="flatpages", codename__in=CODENAMES)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for editors in Group.objects.filter(name="Editors"):
        # Ids: taken whichever rendering of the models asks, when other apps migrate back too.
        editors.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="flatpages", codename__in=CODENAMES
            ).values_list("pk", flat=True)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_footer_links"),
        ("comments", "0002_editors_group"),
        ("flatpages", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

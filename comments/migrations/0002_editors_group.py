"""Create the "Editors" group: they write articles and moderate comments in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
PERMISSIONS = {
    "articles": {
        "article": ["add", "change", "delete", "view"],
        "section": ["add", "change", "delete", "view"],
    },
    # Comments come only from readers: editors moderate, edit and delete them.
    "comments": {"comment": ["change", "delete", "view"]},
}


def create_editors(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so the group gets them.
    for app_label in PERMISSIONS:
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    for app_label, models in PERMISSIONS.items():
        for model, actions in models.items():
            codenames = [f"{action}_{model}" for action in actions]
            editors.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("comments", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors, remove_editors)]

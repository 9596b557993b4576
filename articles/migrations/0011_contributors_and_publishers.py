"""Two roles. Editors publish, schedule and unpublish, and keep their authors' profiles;
Contributors write articles and submit them for review, and change only their own drafts
(ArticleAdmin narrows the permissions below to their own articles)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
CONTRIBUTORS = "Contributors"
EDITORS_GAIN = [
    "publish_article",
    "add_author",
    "change_author",
    "delete_author",
    "view_author",
]
# No view_article: that would show them every article and every preview.
CONTRIBUTORS_MAY = ["add_article", "change_article", "view_author", "view_section"]


def permissions(apps, codenames):
    Permission = apps.get_model("auth", "Permission")
    # Their ids: a group's permissions take them whichever rendering of the models asks.
    return Permission.objects.filter(
        content_type__app_label="articles", codename__in=codenames
    ).values_list("pk", flat=True)


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so the groups get them.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.add(*permissions(apps, EDITORS_GAIN))
    contributors, _ = Group.objects.get_or_create(name=CONTRIBUTORS)
    contributors.permissions.set(permissions(apps, CONTRIBUTORS_MAY))


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=CONTRIBUTORS).delete()
    for editors in Group.objects.filter(name=EDITORS):
        editors.permissions.remove(*permissions(apps, EDITORS_GAIN))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_comment_mode"),
        # The Editors group and its other permissions.
        ("comments", "0005_editors_change_discussion_settings"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]

"""Create the one row of discussion settings, so that reading them never writes."""

from django.db import migrations


def create(apps, schema_editor):
    apps.get_model("comments", "DiscussionSettings").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("comments", "0005_editors_change_discussion_settings")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

"""Create the one row of the sign-in policy, so that reading it never writes."""

from django.db import migrations


def create(apps, schema_editor):
    apps.get_model("newsroom", "SignInPolicy").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0001_sign_in_policy")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

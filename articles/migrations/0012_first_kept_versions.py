"""Keep a first version of every article and section already written, so that the first edit
after this upgrade can be compared and undone like any later one.

Written with the migration's own (historical) models, as django-reversion's
``createinitialrevisions`` would write them: one revision each, its object serialised as
JSON. (The command itself uses today's models, which a later migration may have changed.)
"""

from django.core import serializers
from django.db import migrations
from django.utils import timezone

COMMENT = "As it was when versions began to be kept."


def keep_first_versions(apps, schema_editor):
    db = schema_editor.connection.alias
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("reversion", "Revision")
    Version = apps.get_model("reversion", "Version")
    now = timezone.now()
    for model_name, label in (("section", "name"), ("article", "headline")):
        model = apps.get_model("articles", model_name)
        content_type, _ = ContentType.objects.db_manager(db).get_or_create(
            app_label="articles", model=model_name
        )
        kept = set(
            Version.objects.using(db)
            .filter(content_type=content_type)
            .values_list("object_id", flat=True)
        )
        for obj in model.objects.using(db).order_by("pk").iterator():
            if str(obj.pk) in kept:
                continue
            revision = Revision.objects.using(db).create(date_created=now, comment=COMMENT)
            Version.objects.using(db).create(
                revision=revision,
                object_id=str(obj.pk),
                content_type=content_type,
                db=db,
                format="json",
                serialized_data=serializers.serialize("json", [obj]),
                object_repr=getattr(obj, label),
            )


def forget_first_versions(apps, schema_editor):
    # In SQL: the ORM's cascade from Revision to Version can meet two renderings of the
    # historical models when other apps migrate back at the same time.
    version = apps.get_model("reversion", "Version")._meta.db_table
    revision = apps.get_model("reversion", "Revision")._meta.db_table
    quote = schema_editor.quote_name
    schema_editor.execute(
        f"DELETE FROM {quote(version)} WHERE revision_id IN "
        f"(SELECT id FROM {quote(revision)} WHERE comment = %s)",
        [COMMENT],
    )
    schema_editor.execute(f"DELETE FROM {quote(revision)} WHERE comment = %s", [COMMENT])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_contributors_and_publishers"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(keep_first_versions, forget_first_versions)]

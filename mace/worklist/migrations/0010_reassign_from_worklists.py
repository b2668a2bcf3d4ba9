"""Issue 19: reassigning due items from the worklists, by an opaque id."""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill_public_ids(apps, schema_editor):
    """A fresh id for each existing item: in one statement where the database makes them."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "UPDATE worklist_dueitem SET public_id = gen_random_uuid() WHERE public_id IS NULL"
        )
        return
    if vendor == "sqlite":
        # 32 random hex digits: Django stores a UUID on SQLite as char(32) without dashes.
        schema_editor.execute(
            "UPDATE worklist_dueitem SET public_id = lower(hex(randomblob(16))) "
            "WHERE public_id IS NULL"
        )
        return
    DueItem = apps.get_model("worklist", "DueItem")
    for pk in DueItem.objects.filter(public_id__isnull=True).values_list("pk", flat=True):
        DueItem.objects.filter(pk=pk).update(public_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("worklist", "0009_go_live_is_a_setting"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="dueitem",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="dueitem",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AddField(
            model_name="dueitem",
            name="reassigned_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="dueitem",
            name="reassigned_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="dueitem",
            name="reassigned_to",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reassigned_items",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="dueitem",
            index=models.Index(
                condition=models.Q(("status", "open")),
                fields=["reassigned_to", "due_at"],
                name="due_open_reassigned_idx",
            ),
        ),
    ]

"""Issue 18: the go-live is one fact, the setting (configuration's PartnershipSetting): the
day an import recorded is copied there first (configuration 0002_go_live_from_import), then
its table goes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("worklist", "0008_choices"),
        ("configuration", "0002_go_live_from_import"),
    ]

    operations = [
        migrations.DeleteModel(
            name="RecordedGoLive",
        ),
    ]

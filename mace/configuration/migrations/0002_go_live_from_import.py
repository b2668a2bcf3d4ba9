"""Issue 18: the go-live is one fact, the setting. A go-live an import recorded before
(worklist's RecordedGoLive, removed by worklist migration 0009_go_live_is_a_setting) becomes
the go-live setting, so history stays history and the settings page shows it.

A setting already made in MACE wins, as it did over the recorded day; so does GO_LIVE_DATE
in the environment (the setting's default). The import's audit event ("Go-live recorded")
stays the record of who set it.
"""

from django.conf import settings
from django.db import migrations


def go_live_from_import(apps, schema_editor):
    RecordedGoLive = apps.get_model("worklist", "RecordedGoLive")
    PartnershipSetting = apps.get_model("configuration", "PartnershipSetting")
    recorded = RecordedGoLive.objects.order_by("pk").first()
    if recorded is None or settings.GO_LIVE_DATE:
        return
    if PartnershipSetting.objects.filter(key="go_live_date").exists():
        return
    PartnershipSetting.objects.create(
        key="go_live_date",
        value=recorded.day.isoformat(),
        changed_by_id=recorded.recorded_by_id,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("configuration", "0001_partnership_settings"),
        ("worklist", "0006_history_before_go_live"),
    ]

    operations = [
        migrations.RunPython(go_live_from_import, migrations.RunPython.noop),
    ]

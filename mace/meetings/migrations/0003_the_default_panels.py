"""The default panels: the weekly monitoring meeting of 003 A5 (Tuesdays at 2pm; missing
children every week, sexual exploitation on the 2nd and 4th Tuesday, missing education on
the 3rd, gangs and prevent on the 1st) and the quarterly MASE of 003 A6. Administrators
and managers change them, or add a partnership's own, on the panels settings page."""

import datetime

from django.db import migrations

A5_SECTIONS = {
    "missing": [],
    "cse": [2, 4],
    "education": [3],
    "gangs_prevent": [1],
    "transition": [],
    "supervision": [],
}


def load(apps, schema_editor):
    PanelSeries = apps.get_model("meetings", "PanelSeries")
    PanelSeries.objects.get_or_create(
        name="Missing and exploitation monitoring meeting",
        defaults={
            "kind": "monitoring",
            "frequency": "weekly",
            "interval": 1,
            "weekday": 1,
            "time": datetime.time(14, 0),
            "first_date": datetime.date(2026, 1, 6),
            "sections": A5_SECTIONS,
        },
    )
    PanelSeries.objects.get_or_create(
        name="Multi-agency sexual exploitation meeting (MASE)",
        defaults={
            "kind": "mase",
            "frequency": "monthly",
            "interval": 3,
            "weekday": 3,
            "week_of_month": 2,
            "time": datetime.time(10, 0),
            "first_date": datetime.date(2026, 1, 1),
            "sections": {},
        },
    )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0002_panels")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

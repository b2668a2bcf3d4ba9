"""Shared test set-up for panels."""

import datetime

from django.utils import timezone

from mace.meetings import cadence
from mace.meetings.models import PanelSeries

EVERY_SECTION: dict[str, list[int]] = {
    "missing": [],
    "cse": [],
    "gangs_prevent": [],
    "transition": [],
    "supervision": [],
}


def weekly_series(**fields: object) -> PanelSeries:
    """A weekly Tuesday 2pm panel with every section at every meeting."""
    values: dict[str, object] = {
        "name": "Test monitoring meeting",
        "frequency": "weekly",
        "weekday": 1,
        "time": datetime.time(14),
        "first_date": datetime.date(2025, 1, 7),
        "sections": dict(EVERY_SECTION),
    }
    values.update(fields)
    return PanelSeries.objects.create(**values)


def next_day(series: PanelSeries) -> datetime.date:
    """The series' next meeting after today (so records made now fall before it)."""
    day = cadence.next_meeting(series, timezone.localdate() + datetime.timedelta(days=1))
    assert day is not None
    return day

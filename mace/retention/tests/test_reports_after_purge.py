"""Reports of past periods keep their shape after a purge (docs/retention.md): the same keys,
headings, rows of figures and columns; the purged child's episodes are no longer counted."""

import datetime
from typing import Any

import pytest
from django.utils import timezone

from mace.episodes.models import Episode
from mace.lib.days import add_months
from mace.lib.quarters import Quarter
from mace.people.models import LegalStatusKind
from mace.reports import annual, dataset
from mace.retention import services
from mace.retention.models import RetentionReview
from mace.returns import inspection, ssda903

pytestmark = pytest.mark.django_db


def shape(value: Any) -> Any:
    """The structure of a report: keys, list lengths and kinds, without the figures."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [shape(item) for item in value]
    if value is None or isinstance(value, int | float):
        return "figure"
    return type(value).__name__


def _past_period() -> annual.Period:
    today = timezone.localdate()
    end = today.replace(day=1) - datetime.timedelta(days=1)
    return annual.Period(add_months(end.replace(day=1), -11), end)


def _quarter_of(day: datetime.date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def _everything(period: annual.Period, quarter: Quarter, year: ssda903.CollectionYear):
    return {
        "annual": annual.build(period),
        "exploitation": annual.exploitation(period),
        "dataset": dataset.build(quarter, cleared=True),
        "ssda903": ssda903.tables(year),
        "annex_a": inspection.annex_a_rows(period.end),
        "ssd": inspection.ssd_rows(period.start, period.end),
    }


def test_a_past_periods_reports_and_returns_keep_their_shape_after_a_purge(demonstration):
    manager = demonstration
    period = _past_period()
    start, after = period.bounds
    # A looked-after child with the most episodes in the period, so every report counts them.
    episode = (
        Episode.objects.filter(
            last_seen_at__gte=start,
            last_seen_at__lt=after,
            legal_status=LegalStatusKind.CLA,
            returned_at__isnull=False,
        )
        .order_by("child_id")
        .first()
    )
    child = episode.child
    day = timezone.localtime(episode.last_seen_at).date()
    quarter = _quarter_of(day)
    year = ssda903.CollectionYear(day.year + 1 if day.month >= 4 else day.year)
    before = _everything(period, quarter, year)
    review = RetentionReview.objects.create(
        child=child, rule="child", due_on=timezone.localdate(), listed_on=timezone.localdate()
    )
    services.retention_purge(actor=manager, review=review, reason="End of the period")
    after_purge = _everything(period, quarter, year)

    assert shape(after_purge["annual"]) == shape(before["annual"])
    assert shape(after_purge["exploitation"]) == shape(before["exploitation"])
    assert shape(after_purge["dataset"]) == shape(before["dataset"])
    # The child's episodes are no longer counted.
    assert after_purge["annual"]["episodes"] < before["annual"]["episodes"]
    # The returns: the same tables and columns, as the files are written; the child's rows
    # (by MACE reference, the CHILD column) were in them and are gone.
    assert after_purge["ssda903"].keys() == before["ssda903"].keys()
    for name, rows in after_purge["ssda903"].items():
        header = ssda903.as_csv(name, rows).splitlines()[0]
        assert header == ssda903.as_csv(name, before["ssda903"][name]).splitlines()[0]
        assert {len(row) for row in rows} <= {len(ssda903.COLUMNS[name])}, name
    for name, columns in (
        ("annex_a", inspection.ANNEX_A_COLUMNS),
        ("ssd", inspection.SSD_COLUMNS),
    ):
        assert {len(row) for row in after_purge[name]} <= {len(columns)}, name

    def cells(report: dict[str, Any]) -> set[str]:
        tables = [*report["ssda903"].values(), report["annex_a"], report["ssd"]]
        return {cell for rows in tables for row in rows for cell in row}

    assert child.reference in cells(before)
    assert child.reference not in cells(after_purge)

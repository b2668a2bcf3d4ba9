"""When a panel meets and which sections its agenda has (SPEC C7, 003 A5 and A6).

Pure date arithmetic over a PanelSeries' settings, so each cadence of the seeds can be
tested for any date: weekly (003 A5), every three weeks (004), monthly (002), and
quarterly (003 A6, a monthly cadence with an interval of three).
"""

import datetime
from typing import Protocol

from django.utils import timezone

from mace.lib.days import month_end, month_starts, months_between

DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(weeks=1)


class Cadence(Protocol):
    frequency: str
    interval: int
    weekday: int
    week_of_month: int
    first_date: datetime.date
    sections: dict[str, list[int]]


def week_of_month(day: datetime.date) -> int:
    """1 for the first such weekday of its month (days 1-7), 2 for the second, and so on."""
    return (day.day - 1) // 7 + 1


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> datetime.date:
    """The nth (1-4) weekday of a month, or the last when n is 5."""
    if n == 5:
        last = month_end(datetime.date(year, month, 1))
        return last - datetime.timedelta(days=(last.weekday() - weekday) % 7)
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def meeting_dates(series: Cadence, start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """Every meeting date from start to end inclusive, none before the series' first."""
    start = max(start, series.first_date)
    if end < start:
        return []
    dates: list[datetime.date] = []
    if series.frequency in ("weekly", "weeks"):
        step = WEEK * (1 if series.frequency == "weekly" else series.interval)
        first = series.first_date + datetime.timedelta(
            days=(series.weekday - series.first_date.weekday()) % 7
        )
        if first < start:
            first += step * -(-(start - first).days // step.days)
        day = first
        while day <= end:
            dates.append(day)
            day += step
        return dates
    origin = series.first_date.replace(day=1)
    for month in month_starts(start, end):
        if months_between(origin, month) % series.interval:
            continue
        day = _nth_weekday(month.year, month.month, series.weekday, series.week_of_month)
        if start <= day <= end:
            dates.append(day)
    return dates


def next_meeting(series: Cadence, on_or_after: datetime.date) -> datetime.date | None:
    found = meeting_dates(series, on_or_after, on_or_after + datetime.timedelta(days=400))
    return found[0] if found else None


def previous_meeting(series: Cadence, before: datetime.date) -> datetime.date | None:
    found = meeting_dates(series, before - datetime.timedelta(days=400), before - DAY)
    return found[-1] if found else None


def sections_on(series: Cadence, day: datetime.date) -> list[str]:
    """The agenda sections of the meeting on that day, in the series' order."""
    week = week_of_month(day)
    return [code for code, weeks in series.sections.items() if not weeks or week in weeks]


def starts_at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))

"""Each cadence of the seeds produces the right meetings and agenda sections (SPEC C7)."""

import datetime
import itertools
from dataclasses import dataclass, field

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mace.meetings.cadence import (
    meeting_dates,
    next_meeting,
    previous_meeting,
    sections_on,
    week_of_month,
)
from mace.meetings.models import A5_SECTIONS, PanelSeries

D = datetime.date


@dataclass
class Series:
    frequency: str
    weekday: int = 1
    interval: int = 1
    week_of_month: int = 1
    first_date: datetime.date = datetime.date(2026, 1, 6)
    sections: dict[str, list[int]] = field(default_factory=lambda: dict(A5_SECTIONS))


WEEKLY_A5 = Series("weekly")
EVERY_THREE_WEEKS_004 = Series("weeks", interval=3, weekday=2, first_date=D(2026, 1, 7))
MONTHLY_002 = Series("monthly", weekday=3, week_of_month=1, sections={"missing": [], "cse": []})
QUARTERLY_MASE = Series("monthly", weekday=3, week_of_month=2, interval=3, first_date=D(2026, 1, 1))


def test_003_A5_meets_every_tuesday():
    dates = meeting_dates(WEEKLY_A5, D(2026, 12, 1), D(2026, 12, 31))
    assert dates == [
        D(2026, 12, 1),
        D(2026, 12, 8),
        D(2026, 12, 15),
        D(2026, 12, 22),
        D(2026, 12, 29),
    ]
    assert all(day.weekday() == 1 for day in dates)


@pytest.mark.parametrize(
    ("day", "sections"),
    [
        (D(2026, 12, 1), ["missing", "gangs_prevent", "transition", "supervision"]),
        (D(2026, 12, 8), ["missing", "cse", "transition", "supervision"]),
        (D(2026, 12, 15), ["missing", "education", "transition", "supervision"]),
        (D(2026, 12, 22), ["missing", "cse", "transition", "supervision"]),
        (D(2026, 12, 29), ["missing", "transition", "supervision"]),  # a 5th Tuesday
        (D(2027, 2, 9), ["missing", "cse", "transition", "supervision"]),
    ],
)
def test_003_A5_sections_by_tuesday_of_the_month(day, sections):
    assert sections_on(WEEKLY_A5, day) == sections


def test_004_every_three_weeks_from_the_first_meeting():
    dates = meeting_dates(EVERY_THREE_WEEKS_004, D(2026, 11, 1), D(2027, 1, 31))
    assert dates == [D(2026, 11, 18), D(2026, 12, 9), D(2026, 12, 30), D(2027, 1, 20)]
    assert {(b - a).days for a, b in itertools.pairwise(dates)} == {21}


def test_002_monthly_on_the_first_thursday():
    dates = meeting_dates(MONTHLY_002, D(2026, 10, 1), D(2027, 1, 31))
    assert dates == [D(2026, 10, 1), D(2026, 11, 5), D(2026, 12, 3), D(2027, 1, 7)]
    assert sections_on(MONTHLY_002, D(2026, 11, 5)) == ["missing", "cse"]


def test_003_A6_mase_quarterly_on_the_second_thursday():
    dates = meeting_dates(QUARTERLY_MASE, D(2026, 1, 1), D(2026, 12, 31))
    assert dates == [D(2026, 1, 8), D(2026, 4, 9), D(2026, 7, 9), D(2026, 10, 8)]


def test_the_last_weekday_of_the_month():
    last = Series("monthly", weekday=1, week_of_month=5, first_date=D(2026, 1, 1))
    assert meeting_dates(last, D(2026, 9, 1), D(2026, 10, 31)) == [D(2026, 9, 29), D(2026, 10, 27)]


def test_no_meetings_before_the_first():
    assert meeting_dates(WEEKLY_A5, D(2025, 12, 1), D(2026, 1, 5)) == []


def test_next_and_previous_meetings():
    assert next_meeting(WEEKLY_A5, D(2026, 11, 22)) == D(2026, 11, 24)
    assert next_meeting(WEEKLY_A5, D(2026, 11, 24)) == D(2026, 11, 24)
    assert previous_meeting(WEEKLY_A5, D(2026, 11, 24)) == D(2026, 11, 17)
    assert previous_meeting(EVERY_THREE_WEEKS_004, D(2026, 12, 16)) == D(2026, 12, 9)


@given(st.dates(min_value=D(2026, 1, 6), max_value=D(2040, 12, 31)), st.integers(1, 6))
def test_every_few_weeks_keeps_its_step_whatever_the_window(start, interval):
    series = Series("weeks", interval=interval)
    dates = meeting_dates(series, start, start + datetime.timedelta(days=120))
    assert dates
    assert all((day - series.first_date).days % (7 * interval) == 0 for day in dates)
    assert dates[0] - start < datetime.timedelta(weeks=interval)


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31)))
def test_week_of_month_counts_sevens(day):
    assert 1 <= week_of_month(day) <= 5
    assert week_of_month(day) == (day.day + 6) // 7


@pytest.mark.django_db
def test_the_default_panels_are_003_A5_and_A6():
    weekly = PanelSeries.objects.get(kind="monitoring")
    mase = PanelSeries.objects.get(kind="mase")

    assert (weekly.frequency, weekly.weekday, weekly.time) == ("weekly", 1, datetime.time(14))
    assert weekly.sections == A5_SECTIONS
    assert meeting_dates(mase, D(2027, 1, 1), D(2027, 12, 31))[0] == D(2027, 1, 14)

"""The one way to say "on that day": ages, months and periods in force (mace.lib.days)."""

import datetime

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from mace.lib.days import (
    add_months,
    age_on,
    birthday,
    day_of,
    in_force_on,
    month_starts,
    months_between,
)

D = datetime.date
UTC = datetime.UTC


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        # 23:30 UTC in British Summer Time is 00:30 the next day in the UK
        (datetime.datetime(2024, 6, 1, 23, 30, tzinfo=UTC), D(2024, 6, 2)),
        # in winter UK time is UTC
        (datetime.datetime(2024, 12, 1, 23, 30, tzinfo=UTC), D(2024, 12, 1)),
        # the clocks go back at 01:00 UTC on 27 October 2024
        (datetime.datetime(2024, 10, 26, 23, 0, tzinfo=UTC), D(2024, 10, 27)),
        (datetime.datetime(2024, 10, 27, 23, 0, tzinfo=UTC), D(2024, 10, 27)),
    ],
)
def test_a_moment_falls_on_its_day_of_uk_time(moment, day):
    assert day_of(moment) == day == timezone.localdate(moment)


@given(st.datetimes(timezones=st.just(UTC)))
def test_day_of_is_the_day_djangos_localdate_gives(moment):
    assert day_of(moment) == timezone.localdate(moment)


def test_day_of_refuses_a_moment_with_no_time_zone():
    with pytest.raises(ValueError, match="naive"):
        day_of(datetime.datetime(2024, 6, 1, 12, 0))


@pytest.mark.parametrize(
    ("day", "age"),
    [
        (D(2020, 2, 28), 11),  # the day before the birthday
        (D(2020, 2, 29), 12),  # the birthday itself, in a leap year
        (D(2021, 2, 28), 12),  # not yet 13: in other years the birthday falls on 1 March
        (D(2021, 3, 1), 13),
    ],
)
def test_someone_born_on_29_february_is_a_year_older_on_1_march_in_other_years(day, age):
    assert age_on(D(2008, 2, 29), day) == age


@given(st.dates(D(1900, 1, 1), D(2080, 1, 1)), st.integers(1, 20))
def test_a_birthday_is_the_first_day_of_that_age(born, years):
    day = birthday(born, years)
    assert age_on(born, day) == years
    assert age_on(born, day - datetime.timedelta(days=1)) == years - 1


def test_age_goes_up_on_the_birthday_not_the_day_before():
    born = D(2010, 6, 15)
    assert age_on(born, D(2026, 6, 14)) == 15
    assert age_on(born, D(2026, 6, 15)) == 16
    assert age_on(born, born) == 0


@pytest.mark.parametrize(
    ("day", "months", "result"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),  # February is shorter: its last day
        (D(2028, 1, 31), 1, D(2028, 2, 29)),  # a leap year's February
        (D(2026, 1, 31), 2, D(2026, 3, 31)),  # the day comes back when the month has it
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2025, 12, 15), 1, D(2026, 1, 15)),  # across a year
        (D(2026, 1, 15), -1, D(2025, 12, 15)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),  # a year on from 29 February
        (D(2024, 2, 29), -12, D(2023, 2, 28)),  # and a year before it (annex A's year)
        (D(2008, 8, 31), 210, D(2026, 2, 28)),  # seventeen and a half (T20)
    ],
)
def test_a_month_on_is_the_same_day_or_the_months_last(day, months, result):
    assert add_months(day, months) == result


def test_months_between_counts_whole_months():
    assert months_between(D(2026, 1, 31), D(2026, 2, 27)) == 0
    assert months_between(D(2026, 1, 31), D(2026, 2, 28)) == 1  # 31 January + 1 month
    assert months_between(D(2026, 1, 15), D(2026, 3, 14)) == 1
    assert months_between(D(2026, 1, 15), D(2026, 3, 15)) == 2
    assert months_between(D(2026, 3, 15), D(2026, 1, 15)) == -2
    assert months_between(D(2026, 1, 1), D(2027, 1, 1)) == 12


@given(st.dates(D(1900, 1, 1), D(2100, 1, 1)), st.integers(-2400, 2400))
def test_adding_the_months_between_never_passes_the_later_day(day, months):
    later = add_months(day, months)
    if later >= day:
        assert add_months(day, months_between(day, later)) <= later
        assert add_months(day, months_between(day, later) + 1) > later


@given(st.dates(D(1900, 1, 1), D(2100, 1, 1)), st.dates(D(1900, 1, 1), D(2100, 1, 1)))
def test_age_is_the_whole_years_between(born, day):
    if day >= born:
        assert age_on(born, day) == months_between(born, day) // 12 or (
            # 29 February: a year on is 28 February by the months, 1 March by the birthday
            (born.month, born.day) == (2, 29) and (day.month, day.day) == (2, 28)
        )


def test_month_starts_lists_each_month_that_the_days_touch():
    assert list(month_starts(D(2025, 11, 30), D(2026, 2, 1))) == [
        D(2025, 11, 1),
        D(2025, 12, 1),
        D(2026, 1, 1),
        D(2026, 2, 1),
    ]
    assert list(month_starts(D(2026, 3, 5), D(2026, 3, 1))) == [D(2026, 3, 1)]
    assert list(month_starts(D(2026, 3, 5), D(2026, 2, 28))) == []


def test_a_period_is_in_force_from_its_first_to_its_last_day_both_included():
    start, end = D(2026, 1, 10), D(2026, 1, 20)
    assert not in_force_on(D(2026, 1, 9), start, end)
    assert in_force_on(start, start, end)
    assert in_force_on(end, start, end)  # ending on the day: still in force that day
    assert not in_force_on(D(2026, 1, 21), start, end)
    assert in_force_on(D(2099, 1, 1), start, None)  # open: still in force

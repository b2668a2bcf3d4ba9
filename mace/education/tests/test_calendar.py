"""School days across the calendar's edges: weekends, half-terms, Christmas, Easter and bank
holidays, the England default and an authority's own dates (SPEC C6)."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mace.education.calendar import (
    SchoolCalendar,
    TermDates,
    compulsory_school_age,
    default_terms,
    parse_term_label,
    previous_term,
    term_label,
)
from mace.lib.days import add_months

D = datetime.date
CAL = SchoolCalendar()


def test_the_default_terms_for_2025_26():
    autumn, spring, summer = default_terms(2025)
    assert (autumn.start, autumn.end) == (D(2025, 9, 3), D(2025, 12, 19))
    assert (autumn.half_term_start, autumn.half_term_end) == (D(2025, 10, 27), D(2025, 10, 31))
    assert (spring.start, spring.end) == (D(2026, 1, 5), D(2026, 3, 27))
    assert (spring.half_term_start, spring.half_term_end) == (D(2026, 2, 16), D(2026, 2, 20))
    assert (summer.start, summer.end) == (D(2026, 4, 13), D(2026, 7, 17))
    assert (summer.half_term_start, summer.half_term_end) == (D(2026, 5, 25), D(2026, 5, 29))


@pytest.mark.parametrize("year", range(2020, 2036))
def test_easter_always_falls_in_the_easter_break(year):
    _, spring, summer = default_terms(year)
    good_friday = [d for d in _days(spring.end, summer.start) if d.weekday() == 4]
    assert spring.end < summer.start
    assert any(not CAL.is_school_day(d) for d in good_friday)
    assert not CAL.is_school_day(summer.start - datetime.timedelta(days=7))  # Easter Monday
    assert spring.start.weekday() < 5
    assert summer.start.weekday() == 0


@pytest.mark.parametrize(
    ("day", "open_"),
    [
        (D(2025, 9, 2), False),  # before term: a training day
        (D(2025, 9, 3), True),  # the first day of the school year
        (D(2025, 10, 24), True),  # the Friday before half-term
        (D(2025, 10, 29), False),  # half-term
        (D(2025, 11, 3), True),
        (D(2025, 12, 19), True),  # the last day before Christmas
        (D(2025, 12, 22), False),
        (D(2026, 1, 1), False),  # New Year's Day
        (D(2026, 1, 5), True),
        (D(2026, 4, 3), False),  # Good Friday
        (D(2026, 4, 6), False),  # Easter Monday
        (D(2026, 5, 4), False),  # the early May bank holiday, in term
        (D(2026, 5, 5), True),
        (D(2026, 5, 25), False),  # the spring bank holiday, in half-term
        (D(2026, 7, 17), True),
        (D(2026, 7, 20), False),  # summer holidays
        (D(2026, 8, 31), False),  # the summer bank holiday
        (D(2026, 11, 21), False),  # a Saturday
    ],
)
def test_is_school_day(day, open_):
    assert CAL.is_school_day(day) is open_


def test_counting_school_days_over_half_term_christmas_and_a_bank_holiday():
    assert CAL.add_school_days(D(2025, 10, 20), 10) == D(2025, 11, 10)  # over half-term
    assert CAL.add_school_days(D(2025, 12, 15), 10) == D(2026, 1, 12)  # over Christmas
    assert CAL.add_school_days(D(2026, 4, 27), 10) == D(2026, 5, 12)  # over May Day
    assert CAL.add_school_days(D(2026, 3, 20), 10) == D(2026, 4, 17)  # over Easter
    assert CAL.add_school_days(D(2026, 7, 10), 10) == D(2026, 9, 8)  # over the summer


def test_a_day_out_of_term_counts_from_the_next_school_day():
    # Notified in the holidays: the first school day counted is the first day of term.
    assert CAL.add_school_days(D(2025, 12, 27), 1) == D(2026, 1, 5)
    assert CAL.next_school_day(D(2025, 12, 27)) == D(2026, 1, 5)
    assert CAL.next_school_day(D(2026, 1, 5)) == D(2026, 1, 5)


def test_an_authoritys_own_dates_replace_the_default_for_that_term():
    own = TermDates(
        2025, "autumn", D(2025, 9, 1), D(2025, 12, 17), D(2025, 10, 20), D(2025, 10, 24)
    )
    calendar = SchoolCalendar([own])
    assert calendar.is_school_day(D(2025, 9, 1))  # earlier start
    assert not calendar.is_school_day(D(2025, 10, 22))  # its own half-term
    assert calendar.is_school_day(D(2025, 10, 29))  # the default's half-term is a school day
    assert not calendar.is_school_day(D(2025, 12, 18))  # earlier end
    assert calendar.is_school_day(D(2026, 1, 5))  # spring stays the default
    assert not calendar.uses_default(2025)
    assert calendar.uses_default(2026)


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(D(2025, 10, 20), 2) == D(2025, 12, 20)
    assert add_months(D(2025, 12, 31), 2) == D(2026, 2, 28)
    assert add_months(D(2025, 11, 30), 3) == D(2026, 2, 28)


def test_term_labels_and_the_term_before():
    assert term_label(2026, "autumn") == "2026-27 autumn"
    assert parse_term_label(" 2026-27 Autumn ") == (2026, "autumn")
    assert previous_term(2026, "autumn") == (2025, "summer")
    assert previous_term(2026, "summer") == (2026, "spring")
    for bad in ("2026 autumn", "2026-28 autumn", "2026-27 winter", ""):
        with pytest.raises(ValueError, match="for example"):
            parse_term_label(bad)


@given(
    start=st.dates(min_value=D(2021, 1, 1), max_value=D(2032, 12, 31)),
    count=st.integers(min_value=1, max_value=60),
)
def test_the_nth_school_day_after_is_a_school_day_with_n_school_days_up_to_it(start, count):
    day = CAL.add_school_days(start, count)
    assert CAL.is_school_day(day)
    assert day > start
    assert CAL.count_between(start + datetime.timedelta(days=1), day) == count


def _days(first, last):
    day = first
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("born", "start", "end"),
    [
        (D(2015, 10, 10), D(2021, 1, 1), D(2032, 6, 25)),  # autumn birthday: the spring term
        (D(2016, 2, 29), D(2021, 4, 1), D(2032, 6, 25)),  # leap day, spring birthday
        (D(2016, 6, 1), D(2021, 9, 1), D(2032, 6, 25)),  # summer birthday: the autumn term
        (D(2016, 8, 31), D(2021, 9, 1), D(2032, 6, 25)),  # the youngest in the year
        (D(2016, 9, 1), D(2022, 1, 1), D(2033, 6, 24)),  # the oldest in the next year
    ],
)
def test_compulsory_school_age(born, start, end):
    assert compulsory_school_age(born) == (start, end)
    assert end.weekday() == 4

"""School days (SPEC C6, T17-T19): the days a school is open, from the authority's term
dates, less weekends, half-terms and bank holidays in England and Wales.

Term dates are a setting (education.Term, per authority). Where an authority has set none for
a school year, MACE uses a default for England, built from rules that match most English
authorities' published dates closely enough for deadlines counted in school days:

- Autumn: from the first Wednesday of September to the Friday on or before 20 December
  (the Monday and Tuesday before are usually training days); half-term is the week (Monday
  to Friday) that holds the last Monday of October.
- Spring: from 4 January (or the Monday after, if it falls at a weekend) to the Friday before
  Holy Week; half-term is the week that holds the third Monday of February.
- Summer: from the Monday a week after Easter Monday to the Friday on or before 22 July; half-
  term is the week that holds the Spring Bank Holiday (the last Monday of May).
The Easter break is the fortnight of Holy Week and Easter week, so Good Friday and Easter
Monday always fall in it.

Bank holidays come from the `holidays` package (England; Wales has the same ones).
"""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import holidays

from mace.lib.days import birthday, month_end

AUTUMN, SPRING, SUMMER = "autumn", "spring", "summer"
TERM_NAMES = (AUTUMN, SPRING, SUMMER)
ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class TermDates:
    """One term: open from `start` to `end`, closed for half-term (inclusive dates)."""

    school_year: int  # the year the school year starts: 2026 for 2026-27
    name: str
    start: datetime.date
    end: datetime.date
    half_term_start: datetime.date | None = None
    half_term_end: datetime.date | None = None

    @property
    def label(self) -> str:
        return term_label(self.school_year, self.name)

    def is_open(self, day: datetime.date) -> bool:
        if not self.start <= day <= self.end:
            return False
        if self.half_term_start and self.half_term_end:
            return not self.half_term_start <= day <= self.half_term_end
        return True


def term_label(school_year: int, name: str) -> str:
    return f"{school_year}-{(school_year + 1) % 100:02d} {name}"


def parse_term_label(label: str) -> tuple[int, str]:
    """'2026-27 autumn' -> (2026, 'autumn'); ValueError with what to write otherwise."""
    try:
        years, name = label.strip().lower().split()
        first, second = years.split("-")
        year = int(first)
        if int(second) != (year + 1) % 100 or name not in TERM_NAMES:
            raise ValueError
    except ValueError:
        raise ValueError(
            f'"{label}" is not a term: write the school year and the term, for example '
            '"2026-27 autumn" (autumn, spring or summer)'
        ) from None
    return year, name


def previous_term(school_year: int, name: str) -> tuple[int, str]:
    index = TERM_NAMES.index(name)
    if index == 0:
        return school_year - 1, SUMMER
    return school_year, TERM_NAMES[index - 1]


def _weekday_on_or_after(day: datetime.date, weekday: int) -> datetime.date:
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def _weekday_from(day: datetime.date) -> datetime.date:
    """`day`, or the Monday after it if it falls at a weekend."""
    return day if day.weekday() < 5 else _weekday_on_or_after(day, 0)


def _weekday_on_or_before(day: datetime.date, weekday: int) -> datetime.date:
    return day - datetime.timedelta(days=(day.weekday() - weekday) % 7)


def _week_of(monday: datetime.date) -> tuple[datetime.date, datetime.date]:
    return monday, monday + datetime.timedelta(days=4)


def _last_monday(year: int, month: int) -> datetime.date:
    return _weekday_on_or_before(month_end(datetime.date(year, month, 1)), 0)


@lru_cache(maxsize=64)
def easter_monday(year: int) -> datetime.date:
    for day, name in holidays.country_holidays("GB", subdiv="ENG", years=year).items():
        if name == "Easter Monday":
            return day
    raise LookupError(f"No Easter Monday known for {year}")


@lru_cache(maxsize=64)
def default_terms(school_year: int) -> tuple[TermDates, ...]:
    """The default English terms of the school year that starts in September `school_year`."""
    y, n = school_year, school_year + 1
    autumn_half = _week_of(_last_monday(y, 10))
    autumn = TermDates(
        y,
        AUTUMN,
        _weekday_on_or_after(datetime.date(y, 9, 1), 2),
        _weekday_on_or_before(datetime.date(y, 12, 20), 4),
        *autumn_half,
    )
    holy_week_monday = easter_monday(n) - datetime.timedelta(days=7)
    spring_half = _week_of(_weekday_on_or_after(datetime.date(n, 2, 15), 0))
    spring = TermDates(
        y,
        SPRING,
        _weekday_from(datetime.date(n, 1, 4)),
        holy_week_monday - datetime.timedelta(days=3),
        *spring_half,
    )
    summer_half = _week_of(_last_monday(n, 5))
    summer = TermDates(
        y,
        SUMMER,
        easter_monday(n) + datetime.timedelta(days=7),
        _weekday_on_or_before(datetime.date(n, 7, 22), 4),
        *summer_half,
    )
    return (autumn, spring, summer)


@lru_cache(maxsize=64)
def bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def school_year_of(day: datetime.date) -> int:
    return day.year if day.month >= 8 else day.year - 1


class SchoolCalendar:
    """School days for one authority: its own terms where set, the default elsewhere."""

    def __init__(self, terms: Iterable[TermDates] = ()) -> None:
        self._own: dict[int, list[TermDates]] = {}
        for term in terms:
            self._own.setdefault(term.school_year, []).append(term)

    def terms_of(self, school_year: int) -> tuple[TermDates, ...]:
        """The authority's own dates for each term it has set, the default for the rest."""
        own = {term.name: term for term in self._own.get(school_year, [])}
        terms = [own.get(term.name, term) for term in default_terms(school_year)]
        return tuple(sorted(terms, key=lambda t: t.start))

    def uses_default(self, school_year: int) -> bool:
        return school_year not in self._own

    def term_on(self, day: datetime.date) -> TermDates | None:
        for year in (school_year_of(day), school_year_of(day) - 1):
            for term in self.terms_of(year):
                if term.start <= day <= term.end:
                    return term
        return None

    def is_school_day(self, day: datetime.date) -> bool:
        if day.weekday() >= 5 or day in bank_holidays(day.year):
            return False
        term = self.term_on(day)
        return term is not None and term.is_open(day)

    def school_days(self, start: datetime.date) -> Iterator[datetime.date]:
        """The school days from `start` (included, if it is one) onwards."""
        day = start
        limit = start + datetime.timedelta(days=3 * 366)  # a calendar with no terms ends
        while day <= limit:
            if self.is_school_day(day):
                yield day
            day += ONE_DAY

    def next_school_day(self, day: datetime.date) -> datetime.date:
        """`day` if the school is open then, else the next day it is."""
        return next(self.school_days(day))

    def add_school_days(self, day: datetime.date, count: int) -> datetime.date:
        """The `count`th school day after `day` (not counting `day` itself)."""
        if count <= 0:
            return self.next_school_day(day)
        for n, school_day in enumerate(self.school_days(day + ONE_DAY), start=1):
            if n == count:
                return school_day
        raise AssertionError("unreachable: school_days never ends")

    def count_between(self, first: datetime.date, last: datetime.date) -> int:
        """School days from `first` to `last`, both included."""
        return sum(1 for d in _days(first, last) if self.is_school_day(d))


def _days(first: datetime.date, last: datetime.date) -> Iterator[datetime.date]:
    day = first
    while day <= last:
        yield day
        day += ONE_DAY


def compulsory_school_age(date_of_birth: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last days of compulsory school age (SPEC C6, 003 §28).

    A child reaches it on the prescribed day after their fifth birthday (31 August,
    31 December or 31 March), so it starts with the next term: 1 September, 1 January or
    1 April. It ends on the last Friday of June of the school year in which they turn 16.
    """
    fifth = birthday(date_of_birth, 5)
    if fifth.month >= 9:
        start = datetime.date(fifth.year + 1, 1, 1)
    elif fifth.month <= 3:
        start = datetime.date(fifth.year, 4, 1)
    else:
        start = datetime.date(fifth.year, 9, 1)
    sixteenth = birthday(date_of_birth, 16)
    # The school year runs from 1 September: a birthday on 31 August is in the year before.
    june_year = sixteenth.year + 1 if sixteenth.month >= 9 else sixteenth.year
    end = _weekday_on_or_before(datetime.date(june_year, 6, 30), 4)
    return start, end

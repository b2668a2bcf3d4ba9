"""Days, months and ages: "on that day" said one way, in Python and in the database.

- A period with a start and an optional end (a legal status, a placement) is in force on
  every day from its start to its end, both days included; with no end it is still in force.
- Age is in whole years: one more on the birthday. Someone born on 29 February is a year
  older on 1 March in other years (so 28 February is still the day before the birthday),
  as the compulsory school age rule counts it (`mace.education.calendar`).
- A moment falls on a day of UK time (the service's time zone, TIME_ZONE): `day_of`.
- A month on from a day is the same day of the next month, or that month's last day when it
  is shorter: 31 January plus one month is 28 (or 29) February.
"""

import datetime
from collections.abc import Iterator

from django.db.models import Case, F, Q, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.utils import timezone

ONE_DAY = datetime.timedelta(days=1)


def day_of(moment: datetime.datetime) -> datetime.date:
    """The day of UK time (the service's time zone) on which `moment` falls: what
    `django.utils.timezone.localdate(moment)` gives, as MACE never makes another time zone
    current, without looking the current one up each time (the rules and the import ask
    this hundreds of thousands of times a run, and that look-up was most of its cost)."""
    if moment.utcoffset() is None:
        raise ValueError("day_of() cannot be applied to a naive datetime")
    return moment.astimezone(timezone.get_default_timezone()).date()


def in_force_on(day: datetime.date, start: datetime.date, end: datetime.date | None) -> bool:
    """Is a period from `start` to `end` (both included; None: still open) in force on `day`?"""
    return start <= day and (end is None or end >= day)


def in_force_during(
    first: datetime.date, last: datetime.date, *, start: str = "start_date", end: str = "end_date"
) -> Q:
    """The rows whose period (fields `start` to `end`, as `in_force_on`) is in force on any
    day from `first` to `last`; `first == last` is "in force on that day"."""
    return Q(**{f"{start}__lte": last}) & (
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": first})
    )


def age_on(date_of_birth: datetime.date, day: datetime.date) -> int:
    """Whole years from `date_of_birth` to `day`."""
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - before_birthday


def birthday(date_of_birth: datetime.date, years: int) -> datetime.date:
    """The day someone reaches `years` of age (`age_on`): 1 March for a 29 February birthday
    in other years."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + years)
    except ValueError:  # 29 February
        return datetime.date(date_of_birth.year + years, 3, 1)


def age_on_in_database(date_of_birth: str, *, year: str, month: str, day: str) -> Combinable:
    """`age_on` as an expression the database works out: the field `date_of_birth` against a
    day given as three annotations (year, month and day of the month), as a report reads a
    moment's local day."""
    born_month, born_day = ExtractMonth(date_of_birth), ExtractDay(date_of_birth)
    before_birthday = Q(**{f"{month}__lt": born_month}) | Q(
        **{month: born_month, f"{day}__lt": born_day}
    )
    return (
        F(year)
        - ExtractYear(date_of_birth)
        - Case(When(before_birthday, then=Value(1)), default=Value(0))
    )


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day of the month `months` later (earlier if negative), or that month's last
    day when it is shorter."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    first = datetime.date(year, month_index + 1, 1)
    return first.replace(day=min(day.day, month_end(first).day))


def month_end(day: datetime.date) -> datetime.date:
    """The last day of the month of `day`."""
    following = datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - ONE_DAY


def months_between(earlier: datetime.date, later: datetime.date) -> int:
    """Whole months from `earlier` to `later`: the most `n` with `add_months(earlier, n)` on or
    before `later`; negated when `later` comes first."""
    if later < earlier:
        return -months_between(later, earlier)
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months if add_months(earlier, months) <= later else months - 1


def month_starts(
    first: datetime.date, last: datetime.date | None = None
) -> Iterator[datetime.date]:
    """The first day of each month from the month of `first` to the month of `last` (both
    included), or on without end when there is no `last`."""
    month = first.replace(day=1)
    while last is None or month <= last:
        yield month
        month = add_months(month, 1)

"""The school calendar MACE counts T17-T19 in: the home authority's term dates where it has
set them (education.Term), the England default otherwise (education.calendar)."""

from mace.configuration.models import SettingKey
from mace.configuration.store import value as setting
from mace.education.calendar import SchoolCalendar, TermDates
from mace.education.models import Term


def to_dates(term: Term) -> TermDates:
    return TermDates(
        school_year=term.school_year,
        name=term.name,
        start=term.start,
        end=term.end,
        half_term_start=term.half_term_start,
        half_term_end=term.half_term_end,
    )


def home_calendar() -> SchoolCalendar:
    code = setting(SettingKey.HOME_AUTHORITY_ONS_CODE)
    return SchoolCalendar(to_dates(term) for term in Term.objects.filter(authority_code=code))

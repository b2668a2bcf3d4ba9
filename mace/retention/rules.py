"""The retention rules (issue 20 point 1, SPEC C11; sources and defaults in docs/retention.md).

Each rule says when a record falls due for a manager's review for deletion. A child's record
is one record for this purpose (the purge removes the child and everything about them), so a
child is due on the latest date of the rules that apply to them:

- `Rule.CHILD`: every child, on their 25th birthday (`RETENTION_CHILD_YEARS`), as commonly
  applied to children's social care records.
- `Rule.LOOKED_AFTER`: a child with a looked-after (CLA) legal status at any time, 75 years
  from birth (`RETENTION_LOOKED_AFTER_YEARS`; the Care Planning, Placement and Case Review
  (England) Regulations 2010, regulation 50: the case record is kept until the 75th
  anniversary of the child's birth).
- `Rule.CME`: a child with a child-missing-education case, on their 25th birthday
  (`RETENTION_CME_YEARS`), as commonly applied to education welfare records.

An intelligence note is reviewed `RETENTION_INTELLIGENCE_REVIEW_MONTHS` (12) after it was
recorded (`Rule.INTELLIGENCE`), and again that long after each decision to keep it.
"""

import datetime
from dataclasses import dataclass

from mace.configuration import store
from mace.configuration.models import SettingKey
from mace.lib.days import add_months, birthday
from mace.retention.models import Rule


@dataclass(frozen=True)
class Periods:
    child_years: int
    looked_after_years: int
    cme_years: int
    intelligence_months: int


def periods() -> Periods:
    """The periods in force: the partnership's settings, read in one place."""
    return Periods(
        child_years=int(store.value(SettingKey.RETENTION_CHILD_YEARS)),
        looked_after_years=int(store.value(SettingKey.RETENTION_LOOKED_AFTER_YEARS)),
        cme_years=int(store.value(SettingKey.RETENTION_CME_YEARS)),
        intelligence_months=int(store.value(SettingKey.RETENTION_INTELLIGENCE_REVIEW_MONTHS)),
    )


@dataclass(frozen=True)
class Due:
    rule: str
    due_on: datetime.date


def child_due(
    *, date_of_birth: datetime.date, looked_after: bool, missing_education: bool, p: Periods
) -> Due:
    """When a child's records fall due for review for deletion, and under which rule: the
    latest of the rules that apply (a looked-after child's 75 years outlast the 25th
    birthday). On a tie the more specific rule is named."""
    candidates = [Due(Rule.CHILD, birthday(date_of_birth, p.child_years))]
    if missing_education:
        candidates.append(Due(Rule.CME, birthday(date_of_birth, p.cme_years)))
    if looked_after:
        candidates.append(Due(Rule.LOOKED_AFTER, birthday(date_of_birth, p.looked_after_years)))
    latest = max(due.due_on for due in candidates)
    return [due for due in candidates if due.due_on == latest][-1]


def intelligence_due(*, recorded_on: datetime.date, p: Periods) -> Due:
    """An intelligence note is reviewed a period after it was recorded."""
    return Due(Rule.INTELLIGENCE, add_months(recorded_on, p.intelligence_months))


def earliest_birth_due_by(day: datetime.date, p: Periods) -> datetime.date:
    """The latest date of birth a child may have and still be due by `day` under any rule:
    the shortest period (a first cut in SQL; `child_due` decides)."""
    years = min(p.child_years, p.cme_years, p.looked_after_years)
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return datetime.date(day.year - years, 2, 28)

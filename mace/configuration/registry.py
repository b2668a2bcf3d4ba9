"""What each setting is: its group (the change page it is on), its kind (how it is typed,
checked and shown), its default (the Django setting, read from the environment in
mace/settings.py) and its hint. One entry per `SettingKey`; a new setting is a new key here.
"""

import datetime
import enum
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models

from mace.configuration.models import SettingKey
from mace.episodes.models import RiskGrade


class Group(models.TextChoices):
    TIMESCALES = "timescales", "Timescales"
    PROVIDERS = "providers", "Return home interview providers"
    HOME_AUTHORITY = "home-authority", "Home authority"
    LETTERHEAD = "letterhead", "Letterhead and protective marking"
    SUPPRESSION = "suppression", "Suppression of small numbers"
    GO_LIVE = "go-live", "Go-live date"
    ESCALATION = "escalation", "Escalation"
    WEEKLY_MEETING = "weekly-meeting", "Weekly meeting"
    ANALYSTS = "analysts", "Analysts' reports"
    RETENTION = "retention", "Retention of records"


class Kind(enum.Enum):
    HOURS = "hours"
    DAYS = "days"
    SCHOOL_DAYS = "school days"
    MONTHS = "months"
    YEARS = "years"
    COUNT = "count"
    GRADE = "grade"
    AGENCY = "agency"
    ONS_CODE = "ons code"
    TEXT = "text"
    LINES = "lines"
    DATE = "date"
    USERNAME = "username"  # of an active user
    WEEKDAY = "weekday"  # Monday 0 to Sunday 6, as datetime.date.weekday()
    TIME = "time"  # HH:MM, 24-hour


WHOLE_NUMBERS = {Kind.HOURS, Kind.DAYS, Kind.SCHOOL_DAYS, Kind.MONTHS, Kind.YEARS, Kind.COUNT}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Definition:
    key: SettingKey
    group: Group
    kind: Kind
    hint: str = ""
    fallback: Any = ""  # when mace/settings.py does not define the setting (letterhead)
    minimum: int = 1
    maximum: int = 10_000
    optional: bool = False

    @property
    def label(self) -> str:
        return str(self.key.label)

    @property
    def setting_name(self) -> str:
        return self.key.value.upper()

    def default(self) -> Any:
        """The value when no administrator has changed it: the environment's, through
        mace/settings.py, in the form the store keeps (a date as YYYY-MM-DD or "")."""
        value = getattr(settings, self.setting_name, self.fallback)
        if self.kind is Kind.LINES:
            if isinstance(value, str):
                value = value.splitlines()
            return [str(line).strip() for line in value if str(line).strip()]
        if self.kind is Kind.DATE and isinstance(value, datetime.date):
            return value.isoformat()
        return value


K = SettingKey
T = Group.TIMESCALES
DEFINITIONS: dict[str, Definition] = {
    d.key.value: d
    for d in (
        Definition(
            K.MINIMUM_POLICE_RISK_GRADE,
            T,
            Kind.GRADE,
            "Missing episodes are graded at least this (T1, 003 §2)",
        ),
        Definition(K.STRATEGY_MEETING_HOURS, T, Kind.HOURS, "After a high-risk grading"),
        Definition(K.SAFE_AND_WELL_HIGH_RISK_HOURS, T, Kind.HOURS, "After a high-risk return"),
        Definition(K.SAFE_AND_WELL_HOURS, T, Kind.HOURS, "After the child is found or returns"),
        Definition(K.RETURN_INTERVIEW_HOURS, T, Kind.HOURS, "After the child returns"),
        Definition(K.RETURN_INTERVIEW_REFERRAL_HOURS, T, Kind.HOURS, "After the child returns"),
        Definition(K.DIRECTOR_LETTER_EPISODES, T, Kind.COUNT, "Of a child placed here by others"),
        Definition(K.SUPERVISION_DAYS, T, Kind.DAYS),
        Definition(K.SUPERVISION_ACTIVE_DAYS, T, Kind.DAYS),
        Definition(K.RISK_ASSESSMENT_REVIEW_DAYS, T, Kind.DAYS),
        Definition(
            K.TRANSITION_AGE_MONTHS,
            T,
            Kind.MONTHS,
            "210 months is 17 and a half",
            minimum=120,
            maximum=300,
        ),
        Definition(K.MINUTES_DAYS, T, Kind.DAYS, "After the meeting"),
        Definition(K.SCHOOL_NOTIFY_DAYS, T, Kind.SCHOOL_DAYS, "After the first day of absence"),
        Definition(K.ENQUIRY_DAYS, T, Kind.SCHOOL_DAYS, "After the notification"),
        Definition(K.FAIR_ACCESS_MONTHS, T, Kind.MONTHS, maximum=24),
        Definition(K.FAIR_ACCESS_REJECTIONS, T, Kind.COUNT, maximum=20),
        Definition(K.DUE_SOON_HOURS, T, Kind.HOURS, "Owners are told this long before"),
        Definition(
            K.RHI_PROVIDER_UNDER_13_FROM_HOME,
            Group.PROVIDERS,
            Kind.AGENCY,
            "The family wellbeing service (003 §21)",
        ),
        Definition(
            K.RHI_PROVIDER_13_AND_OVER_FROM_HOME,
            Group.PROVIDERS,
            Kind.AGENCY,
            "The targeted youth service (003 §22)",
        ),
        Definition(
            K.RHI_PROVIDER_LOOKED_AFTER,
            Group.PROVIDERS,
            Kind.AGENCY,
            "The independent advocacy provider (003 §24)",
        ),
        Definition(
            K.HOME_AUTHORITY_ONS_CODE,
            Group.HOME_AUTHORITY,
            Kind.ONS_CODE,
            "The authority MACE serves; children placed by any other are placed here by "
            "others (003 §15). A letter and 8 numbers, for example E09000002",
        ),
        Definition(
            K.LETTERHEAD_AUTHORITY_NAME,
            Group.LETTERHEAD,
            Kind.TEXT,
            "Leave empty to print the home authority's name",
            optional=True,
        ),
        Definition(
            K.LETTERHEAD_SERVICE_NAME, Group.LETTERHEAD, Kind.TEXT, fallback="Children's Services"
        ),
        Definition(
            K.LETTERHEAD_ADDRESS,
            Group.LETTERHEAD,
            Kind.LINES,
            "One line of the address on each line",
            fallback=(),
            optional=True,
        ),
        Definition(K.LETTERHEAD_WEBSITE, Group.LETTERHEAD, Kind.TEXT, optional=True),
        Definition(
            K.LETTERHEAD_CONTACT_TEAM,
            Group.LETTERHEAD,
            Kind.TEXT,
            "The team a placing authority may call for more information",
            fallback="Multi-Agency Safeguarding Hub (MASH)",
        ),
        Definition(K.LETTERHEAD_CONTACT_PHONE, Group.LETTERHEAD, Kind.TEXT, optional=True),
        Definition(
            K.LETTERHEAD_DIRECTOR_TITLE,
            Group.LETTERHEAD,
            Kind.TEXT,
            fallback="Director of Children's Services",
        ),
        Definition(
            K.LETTERHEAD_POLICE_TITLE, Group.LETTERHEAD, Kind.TEXT, fallback="Police Superintendent"
        ),
        Definition(K.LETTERHEAD_POLICE_AREA, Group.LETTERHEAD, Kind.TEXT, optional=True),
        Definition(
            K.DOCUMENTS_PROTECTIVE_MARKING,
            Group.LETTERHEAD,
            Kind.TEXT,
            "At the top and foot of the police missing-person profile",
            fallback="OFFICIAL-SENSITIVE",
        ),
        Definition(
            K.REPORT_SUPPRESS_BELOW,
            Group.SUPPRESSION,
            Kind.COUNT,
            "Published reports show counts from 1 to one less than this as hidden (SPEC C9)",
            minimum=2,
            maximum=100,
        ),
        Definition(
            K.GO_LIVE_DATE,
            Group.GO_LIVE,
            Kind.DATE,
            "The day MACE took over from the partnership's trackers: episodes that ended "
            "before it are history",
            optional=True,
        ),
        Definition(
            K.ESCALATION_FALLBACK_USERNAME,
            Group.ESCALATION,
            Kind.USERNAME,
            "The person an overdue item escalates to when there is no active manager: the "
            "username of an active account (issue 18 point 6)",
        ),
        Definition(
            K.WEEKLY_MEETING_WEEKDAY,
            Group.WEEKLY_MEETING,
            Kind.WEEKDAY,
            "The weekly missing meeting (003 A5): the day its agenda is due by",
        ),
        Definition(
            K.WEEKLY_MEETING_TIME,
            Group.WEEKLY_MEETING,
            Kind.TIME,
            "In 24-hour time, for example 14:00",
        ),
        Definition(
            K.ANALYST_MINIMUM_REPORT_DAYS,
            Group.ANALYSTS,
            Kind.DAYS,
            "Analysts' figures cover whole quarters of at least this many days, so that two "
            "periods a day apart cannot give one day's figures (SPEC C9)",
            minimum=1,
            maximum=3660,
        ),
        Definition(
            K.RETENTION_CHILD_YEARS,
            Group.RETENTION,
            Kind.YEARS,
            "A child's records are due for review for deletion on this birthday: 25 as "
            "commonly applied to children's social care records (docs/retention.md)",
            minimum=18,
            maximum=120,
        ),
        Definition(
            K.RETENTION_LOOKED_AFTER_YEARS,
            Group.RETENTION,
            Kind.YEARS,
            "For a child ever looked after: 75 years from birth (Care Planning, Placement "
            "and Case Review (England) Regulations 2010, regulation 50)",
            minimum=18,
            maximum=120,
        ),
        Definition(
            K.RETENTION_CME_YEARS,
            Group.RETENTION,
            Kind.YEARS,
            "For a child with a missing-education case: the birthday its records are due for "
            "review for deletion",
            minimum=18,
            maximum=120,
        ),
        Definition(
            K.RETENTION_INTELLIGENCE_REVIEW_MONTHS,
            Group.RETENTION,
            Kind.MONTHS,
            "An intelligence note is reviewed this long after it was recorded, and again "
            "after each decision to keep it",
            maximum=120,
        ),
    )
}
assert set(DEFINITIONS) == set(SettingKey.values), "every SettingKey needs a Definition"

GRADES = RiskGrade


def in_group(group: str) -> list[Definition]:
    return [d for d in DEFINITIONS.values() if d.group == group]


def unit(definition: Definition) -> str:
    return {
        Kind.HOURS: "hours",
        Kind.DAYS: "days",
        Kind.SCHOOL_DAYS: "school days",
        Kind.MONTHS: "months",
        Kind.YEARS: "years",
    }.get(definition.kind, "")

"""The one place the timescale rules read their local settings (SPEC section 4).

Each is the partnership's setting (`mace.configuration.store`): as an administrator set it
in MACE, else from the environment (mace/settings.py). The store reads its table at most
once a request or run, so calling `thresholds()` often costs dictionary look-ups.
"""

import datetime
from dataclasses import dataclass

from mace.configuration.models import SettingKey as K
from mace.configuration.store import derived, value


@dataclass(frozen=True)
class Thresholds:
    minimum_police_risk_grade: str
    strategy_meeting: datetime.timedelta
    safe_and_well_high_risk: datetime.timedelta
    safe_and_well: datetime.timedelta
    return_interview: datetime.timedelta
    return_interview_referral: datetime.timedelta
    director_letter_episodes: int
    supervision_every: datetime.timedelta
    supervision_active_for: datetime.timedelta
    weekly_meeting_weekday: int
    weekly_meeting_time: datetime.time
    due_soon: datetime.timedelta
    home_authority_ons_code: str
    risk_assessment_review: datetime.timedelta
    front_door_referral: datetime.timedelta
    transition_age_months: int
    transition_notice: datetime.timedelta
    minutes: datetime.timedelta
    school_notify_days: int = 10
    enquiry_days: int = 10
    fair_access_months: int = 2
    fair_access_rejections: int = 3
    # Issue 18: the day MACE took over from the trackers (None: no go-live set).
    go_live: datetime.date | None = None


def thresholds() -> Thresholds:
    """Built once each time the settings are read (`store.derived`): the scheduled checks
    ask for it for every child."""
    return derived("thresholds", _build)


def _build() -> Thresholds:
    hours = datetime.timedelta(hours=1)
    days = datetime.timedelta(days=1)
    hour, minute = (int(part) for part in str(value(K.WEEKLY_MEETING_TIME)).split(":"))
    go_live = value(K.GO_LIVE_DATE)
    return Thresholds(
        minimum_police_risk_grade=value(K.MINIMUM_POLICE_RISK_GRADE),
        strategy_meeting=value(K.STRATEGY_MEETING_HOURS) * hours,
        safe_and_well_high_risk=value(K.SAFE_AND_WELL_HIGH_RISK_HOURS) * hours,
        safe_and_well=value(K.SAFE_AND_WELL_HOURS) * hours,
        return_interview=value(K.RETURN_INTERVIEW_HOURS) * hours,
        return_interview_referral=value(K.RETURN_INTERVIEW_REFERRAL_HOURS) * hours,
        director_letter_episodes=value(K.DIRECTOR_LETTER_EPISODES),
        supervision_every=value(K.SUPERVISION_DAYS) * days,
        supervision_active_for=value(K.SUPERVISION_ACTIVE_DAYS) * days,
        weekly_meeting_weekday=int(value(K.WEEKLY_MEETING_WEEKDAY)),
        weekly_meeting_time=datetime.time(hour, minute),
        due_soon=value(K.DUE_SOON_HOURS) * hours,
        home_authority_ons_code=value(K.HOME_AUTHORITY_ONS_CODE),
        risk_assessment_review=value(K.RISK_ASSESSMENT_REVIEW_DAYS) * days,
        # T14: 003 §51 gives the front door 24 hours; not a local setting (yet).
        front_door_referral=24 * hours,
        transition_age_months=value(K.TRANSITION_AGE_MONTHS),
        # T20 items appear this long before they fall due, so the worker can plan.
        transition_notice=28 * days,
        minutes=value(K.MINUTES_DAYS) * days,
        school_notify_days=value(K.SCHOOL_NOTIFY_DAYS),
        enquiry_days=value(K.ENQUIRY_DAYS),
        fair_access_months=value(K.FAIR_ACCESS_MONTHS),
        fair_access_rejections=value(K.FAIR_ACCESS_REJECTIONS),
        go_live=datetime.date.fromisoformat(go_live) if go_live else None,
    )

"""The one place the timescale rules read their local settings (SPEC section 4)."""

import datetime
from dataclasses import dataclass

from django.conf import settings


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
    hours = datetime.timedelta(hours=1)
    days = datetime.timedelta(days=1)
    hour, minute = (int(part) for part in settings.WEEKLY_MEETING_TIME.split(":"))
    return Thresholds(
        minimum_police_risk_grade=settings.MINIMUM_POLICE_RISK_GRADE,
        strategy_meeting=settings.STRATEGY_MEETING_HOURS * hours,
        safe_and_well_high_risk=settings.SAFE_AND_WELL_HIGH_RISK_HOURS * hours,
        safe_and_well=settings.SAFE_AND_WELL_HOURS * hours,
        return_interview=settings.RETURN_INTERVIEW_HOURS * hours,
        return_interview_referral=settings.RETURN_INTERVIEW_REFERRAL_HOURS * hours,
        director_letter_episodes=settings.DIRECTOR_LETTER_EPISODES,
        supervision_every=settings.SUPERVISION_DAYS * days,
        supervision_active_for=settings.SUPERVISION_ACTIVE_DAYS * days,
        weekly_meeting_weekday=settings.WEEKLY_MEETING_WEEKDAY,
        weekly_meeting_time=datetime.time(hour, minute),
        due_soon=settings.DUE_SOON_HOURS * hours,
        home_authority_ons_code=settings.HOME_AUTHORITY_ONS_CODE,
        risk_assessment_review=settings.RISK_ASSESSMENT_REVIEW_DAYS * days,
        # T14: 003 §51 gives the front door 24 hours; not a local setting (yet).
        front_door_referral=24 * hours,
        transition_age_months=settings.TRANSITION_AGE_MONTHS,
        # T20 items appear this long before they fall due, so the worker can plan.
        transition_notice=28 * days,
        minutes=settings.MINUTES_DAYS * days,
        school_notify_days=settings.SCHOOL_NOTIFY_DAYS,
        enquiry_days=settings.ENQUIRY_DAYS,
        fair_access_months=settings.FAIR_ACCESS_MONTHS,
        fair_access_rejections=settings.FAIR_ACCESS_REJECTIONS,
        go_live=datetime.date.fromisoformat(settings.GO_LIVE_DATE)
        if settings.GO_LIVE_DATE
        else None,
    )

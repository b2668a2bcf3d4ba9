"""The partnership's own settings, changed by administrators in MACE (issue 18 point 5).

One row per setting that has been changed from its default, keyed by the setting's name,
the value as JSON. Why a row a setting rather than one row of typed fields: a setting that
has never been changed has no row, so "is it the default?" is "is there a row?", and reset to
default is deleting it; the environment variable (mace/settings.py) stays the default for
every setting without a row; and a new setting is one entry in `registry.py`, not a new
column. The type and the checks of each value live in `registry.py` and `domain.py`, where
the services and the pages read them.
"""

from django.conf import settings
from django.db import models


class SettingKey(models.TextChoices):
    """Every setting an administrator may change; each value is the Django setting's name in
    lower case (`safe_and_well_hours` is SAFE_AND_WELL_HOURS, its default)."""

    MINIMUM_POLICE_RISK_GRADE = "minimum_police_risk_grade", "Lowest police risk grade recorded"
    STRATEGY_MEETING_HOURS = "strategy_meeting_hours", "Strategy meeting (T3, T6)"
    SAFE_AND_WELL_HIGH_RISK_HOURS = (
        "safe_and_well_high_risk_hours",
        "Safe-and-well check, high risk (T4)",
    )
    SAFE_AND_WELL_HOURS = "safe_and_well_hours", "Safe-and-well check (T5)"
    RETURN_INTERVIEW_HOURS = "return_interview_hours", "Return home interview (T7, T12)"
    RETURN_INTERVIEW_REFERRAL_HOURS = (
        "return_interview_referral_hours",
        "Referral for a return home interview (T8)",
    )
    DIRECTOR_LETTER_EPISODES = (
        "director_letter_episodes",
        "Episodes before a director's letter (T11)",
    )
    SUPERVISION_DAYS = "supervision_days", "Supervision discussion every (T16)"
    SUPERVISION_ACTIVE_DAYS = (
        "supervision_active_days",
        "Supervision continues after an episode for (T16)",
    )
    RISK_ASSESSMENT_REVIEW_DAYS = "risk_assessment_review_days", "Risk assessment review (T15)"
    TRANSITION_AGE_MONTHS = "transition_age_months", "Transition to adult services at age (T20)"
    MINUTES_DAYS = "minutes_days", "Minutes agreed and circulated (T21)"
    SCHOOL_NOTIFY_DAYS = "school_notify_days", "School notifies absence (T17)"
    ENQUIRY_DAYS = "enquiry_days", "Enquiries complete (T18)"
    FAIR_ACCESS_MONTHS = "fair_access_months", "Fair Access Panel after missing education for (T19)"
    FAIR_ACCESS_REJECTIONS = (
        "fair_access_rejections",
        "Fair Access Panel after rejected applications (T19)",
    )
    DUE_SOON_HOURS = "due_soon_hours", "Warn before a deadline"
    RHI_PROVIDER_UNDER_13_FROM_HOME = (
        "rhi_provider_under_13_from_home",
        "12 and under, missing from home",
    )
    RHI_PROVIDER_13_AND_OVER_FROM_HOME = (
        "rhi_provider_13_and_over_from_home",
        "13 and over, missing from home",
    )
    RHI_PROVIDER_LOOKED_AFTER = "rhi_provider_looked_after", "Looked after children"
    HOME_AUTHORITY_ONS_CODE = "home_authority_ons_code", "Home authority's ONS code"
    LETTERHEAD_AUTHORITY_NAME = "letterhead_authority_name", "Authority's name as printed"
    LETTERHEAD_SERVICE_NAME = "letterhead_service_name", "Service the letter comes from"
    LETTERHEAD_ADDRESS = "letterhead_address", "Postal address"
    LETTERHEAD_WEBSITE = "letterhead_website", "Website"
    LETTERHEAD_CONTACT_TEAM = "letterhead_contact_team", "Team to contact"
    LETTERHEAD_CONTACT_PHONE = "letterhead_contact_phone", "That team's phone number"
    LETTERHEAD_DIRECTOR_TITLE = "letterhead_director_title", "First signatory's title"
    LETTERHEAD_POLICE_TITLE = "letterhead_police_title", "Second signatory's title"
    LETTERHEAD_POLICE_AREA = "letterhead_police_area", "Police force and area"
    DOCUMENTS_PROTECTIVE_MARKING = "documents_protective_marking", "Protective marking"
    REPORT_SUPPRESS_BELOW = "report_suppress_below", "Suppress published counts below"
    GO_LIVE_DATE = "go_live_date", "Go-live date"
    ESCALATION_FALLBACK_USERNAME = (
        "escalation_fallback_username",
        "Escalation fallback's username",
    )
    WEEKLY_MEETING_WEEKDAY = "weekly_meeting_weekday", "Day of the weekly meeting"
    WEEKLY_MEETING_TIME = "weekly_meeting_time", "Time of the weekly meeting"
    ANALYST_MINIMUM_REPORT_DAYS = (
        "analyst_minimum_report_days",
        "Shortest period of an analyst's report",
    )
    RETENTION_CHILD_YEARS = "retention_child_years", "Children's records kept until age"
    RETENTION_LOOKED_AFTER_YEARS = (
        "retention_looked_after_years",
        "Records of looked-after children kept until age",
    )
    RETENTION_CME_YEARS = (
        "retention_cme_years",
        "Records of children missing education kept until age",
    )
    RETENTION_INTELLIGENCE_REVIEW_MONTHS = (
        "retention_intelligence_review_months",
        "Intelligence reviewed every",
    )


class PartnershipSetting(models.Model):
    key = models.CharField(max_length=64, choices=SettingKey.choices, unique=True)
    value = models.JSONField()
    changed_at = models.DateTimeField(auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key

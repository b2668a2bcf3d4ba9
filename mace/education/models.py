"""Children missing education and pupils missing out on education (SPEC C6, 003 §27-48).

One record per child: a case on the register and an entry on a termly return both belong to
the child's `people.Child` record, so a child who is also missing from home or at risk of
exploitation is one child, seen from each side.
"""

import uuid

from django.conf import settings
from django.db import models

from mace.education.calendar import TERM_NAMES


class Term(models.Model):
    """An authority's term dates (a setting); the England default applies where none is set
    for a school year."""

    authority_code = models.CharField(
        max_length=9, help_text="The authority's ONS code, for example E09000004"
    )
    school_year = models.PositiveSmallIntegerField(help_text="2026 for the school year 2026-27")
    name = models.CharField(max_length=6, choices=[(n, n.title()) for n in TERM_NAMES])
    start = models.DateField()
    end = models.DateField()
    half_term_start = models.DateField(null=True, blank=True)
    half_term_end = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["authority_code", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority_code", "school_year", "name"], name="one_term_of_each_name"
            ),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="term_ends_after_it_starts"
            ),
        ]


class CMEReason(models.TextChoices):
    """Why a child is thought to be missing education (003 §32)."""

    PLACE_NOT_TAKEN_UP = "place_not_taken_up", "Has not taken up an allocated school place"
    ABSENT_10_DAYS = "absent_10_days", "10 or more school days of continuous unexplained absence"
    LEFT_SUDDENLY = "left_suddenly", "Left school suddenly"
    TWENTY_DAY_RULE = "twenty_day_rule", "Due to be deleted from the roll under the 20-day rule"
    NOT_ON_ROLL = "not_on_roll", "Not on any school roll and not receiving suitable education"


class DeletionGround(models.TextChoices):
    """The grounds on which a school plans to delete a pupil from its register (003 §33)."""

    ELECTIVE_HOME_EDUCATION = "ehe", "Taken out of school to be educated otherwise (EHE)"
    MOVED_AWAY = "moved_away", "Ceased to attend and no longer lives within reasonable distance"
    MEDICAL = "medical", "Certified unlikely to be fit to attend before leaving school age"
    PLACE_NOT_TAKEN_UP = "place_not_taken_up", "Has not taken up an allocated school place"
    LEFT_SUDDENLY = "left_suddenly", "Left suddenly, destination known or unknown"
    CUSTODY = "custody", "In custody for more than four months, not expected to return"
    PERMANENTLY_EXCLUDED = "excluded", "Permanently excluded"


class CMEOutcome(models.TextChoices):
    ON_ROLL = "on_roll", "On roll at a school or alternative provision"
    HOME_EDUCATED = "ehe", "Receiving suitable education at home (EHE)"
    MOVED_IN_UK = "moved_uk", "Moved to another UK authority, which has been told"
    MOVED_ABROAD = "moved_abroad", "Moved abroad, new school confirmed where possible"
    LEFT_SCHOOL_AGE = "over_age", "Reached the end of compulsory school age"
    NOT_TRACED = "not_traced", "Not traced: recorded on the school-to-school database"


class CMECase(models.Model):
    """A child on the register of children missing education."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Destination(models.TextChoices):
        KNOWN = "known", "Known"
        UNKNOWN = "unknown", "Unknown"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="cme_cases")
    school = models.CharField("School or provision", max_length=200, blank=True)
    reason = models.CharField(max_length=20, choices=CMEReason.choices)
    deletion_ground = models.CharField(
        "Ground for deletion from the roll",
        max_length=20,
        choices=DeletionGround.choices,
        blank=True,
    )
    absent_since = models.DateField(
        "First day of absence or of missing education",
        help_text="The first school day the child was absent, or missing education",
    )
    notified_on = models.DateField(
        "Date the school notified", null=True, blank=True, help_text="Empty until it has"
    )
    destination = models.CharField(max_length=7, choices=Destination.choices)
    destination_detail = models.TextField("What is known of the destination", blank=True)
    enquiries_completed_on = models.DateField(
        "Reasonable enquiries completed", null=True, blank=True
    )
    rejected_applications = models.PositiveSmallIntegerField(
        "School applications rejected", default=0
    )
    third_rejection_on = models.DateField(
        "Date of the third rejected application", null=True, blank=True
    )
    fap_referred_on = models.DateField("Referred to the Fair Access Panel", null=True, blank=True)
    s2s_recorded_on = models.DateField(
        "Recorded on the school-to-school database", null=True, blank=True
    )
    csc_referred_on = models.DateField(
        "Inter-agency referral to children's social care", null=True, blank=True
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cme_cases",
        help_text="The inclusion officer who holds the case",
    )
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(max_length=12, choices=CMEOutcome.choices, blank=True)
    outcome_detail = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-absent_since", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="open") | models.Q(closed_on__isnull=False),
                name="closed_cme_case_has_a_date",
            )
        ]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class CMECheck(models.Model):
    """A check made to trace a child (003 §41-42)."""

    class Kind(models.TextChoices):
        HEALTH = "health", "Health (NHS, GP registration)"
        COUNCIL_TAX = "council_tax", "Council tax"
        BENEFITS = "benefits", "Benefits agency"
        PARENTS = "parents", "Contact with the parents"
        SCHOOL_TO_SCHOOL = "s2s", "School-to-school database"
        ADMISSIONS = "admissions", "Admissions and other authorities"
        OTHER = "other", "Other"

    class Result(models.TextChoices):
        FOUND = "found", "Child or family found"
        NOT_FOUND = "not_found", "Not found"
        NO_INFORMATION = "no_information", "No information held"

    case = models.ForeignKey(CMECase, on_delete=models.CASCADE, related_name="checks")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    checked_on = models.DateField()
    result = models.CharField(max_length=14, choices=Result.choices)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["checked_on", "id"]


class MissingOutReason(models.TextChoices):
    """Why a pupil on roll is not in full-time education (003 §46)."""

    ALTERNATIVE_PROVISION = "alternative_provision", "Alternative provision part time"
    MEDICAL = "medical", "Regular absence for medical needs"
    REINTEGRATION = "reintegration", "Reintegration plan"
    BAIL = "bail", "Police bail conditions"
    PREGNANCY = "pregnancy", "Pregnancy"
    MISSING = "missing", "Missing from home or care"
    HIGH_MOBILITY = "high_mobility", "High-mobility family (for example GRT)"
    ARMED_FORCES = "armed_forces", "Family in the armed forces"
    YOUNG_CARER = "young_carer", "Young carer"
    LOW_ATTENDANCE = "low_attendance", "Attendance below 85%"
    OTHER = "other", "Other"


class Criterion(models.TextChoices):
    """The criteria of concern of 003 §47, applied to every entry of a termly return."""

    TWO_TERMS = "two_terms", "On the register two consecutive terms"
    MISSING = "missing", "Known to have gone missing from home or care"
    CSE = "cse", "Referred as at risk of child sexual exploitation"
    EHCP = "ehcp", "Has a statement or an EHC plan"
    UNDER_10_HOURS = "under_10_hours", "Attends less than 10 hours a week"


class TermlyReturn(models.Model):
    """A school's termly return of pupils missing out on education (003 §46)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.CharField(max_length=200)
    school_year = models.PositiveSmallIntegerField()
    term = models.CharField(max_length=6, choices=[(n, n.title()) for n in TERM_NAMES])
    received_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-school_year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "term"], name="one_return_a_school_a_term"
            )
        ]


class MissingOutEntry(models.Model):
    """A pupil on a termly return; on the education tracker while of concern and unresolved."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    termly_return = models.ForeignKey(
        TermlyReturn, on_delete=models.CASCADE, related_name="entries"
    )
    child = models.ForeignKey(
        "people.Child", on_delete=models.PROTECT, related_name="missing_out_entries"
    )
    reason = models.CharField(max_length=24, choices=MissingOutReason.choices)
    hours_per_week = models.DecimalField(max_digits=4, decimal_places=1)
    has_ehcp = models.BooleanField("Statement or EHC plan", default=False)
    concerns = models.JSONField(
        default=list, blank=True, help_text="Criteria of concern met (003 §47)"
    )
    resolved_on = models.DateField(null=True, blank=True)
    resolution = models.TextField(blank=True)

    class Meta:
        ordering = ["termly_return", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["termly_return", "child"], name="a_child_once_on_a_return"
            )
        ]

    @property
    def of_concern(self) -> bool:
        return bool(self.concerns)

    def concern_labels(self) -> list[str]:
        return [Criterion(code).label for code in self.concerns]

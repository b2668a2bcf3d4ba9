"""Strategy meetings (003 §12, §55) and supervision discussions (003 quality assurance)."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class StrategyMeeting(models.Model):
    class Reason(models.TextChoices):
        LOOKED_AFTER_MISSING = "cla_missing", "Looked-after child missing (003 §12)"
        UNSAFE_TO_RETURN = "unsafe_return", "May be unsafe to return home (003 §5)"
        SIGNIFICANT_HARM = "significant_harm", "At risk of significant harm (003 §54)"
        OTHER = "other", "Other"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child = models.ForeignKey(
        "people.Child", on_delete=models.PROTECT, related_name="strategy_meetings"
    )
    episode = models.ForeignKey(
        "episodes.Episode",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="strategy_meetings",
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    held_at = models.DateTimeField()
    attendees = models.TextField(help_text="Name, role and agency of each, one on each line")
    information_shared = models.TextField(blank=True)
    s47_enquiry = models.BooleanField("Threshold for a section 47 enquiry met")
    decision_notes = models.TextField(blank=True)
    safety_plan = models.TextField(blank=True)
    follow_up_date = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_at"]


class MeetingAction(models.Model):
    class Heading(models.TextChoices):
        PREVENT = "prevent", "Prevent"
        IDENTIFY = "identify", "Identify"
        SUPPORT = "support", "Support"
        DISRUPT = "disrupt", "Disrupt"
        PROSECUTE = "prosecute", "Prosecute"

    meeting = models.ForeignKey(StrategyMeeting, on_delete=models.CASCADE, related_name="actions")
    heading = models.CharField(max_length=10, choices=Heading.choices)
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_actions",
    )
    owner_name = models.CharField(max_length=200, blank=True)
    due_date = models.DateField()
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "id"]


class SupervisionDiscussion(models.Model):
    """A child discussed in supervision between worker and manager (T16)."""

    child = models.ForeignKey(
        "people.Child", on_delete=models.PROTECT, related_name="supervision_discussions"
    )
    held_on = models.DateField()
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on"]


class Section(models.TextChoices):
    """The sections of a panel's agenda (003 A5 responsibilities (a) to (d); SPEC C7)."""

    MISSING = "missing", "Missing children"
    SEXUAL_EXPLOITATION = "cse", "Sexual exploitation"
    EDUCATION = "education", "Missing education"
    GANGS_PREVENT = "gangs_prevent", "Gangs and prevent"
    TRANSITION = "transition", "Approaching adulthood"
    SUPERVISION = "supervision", "Supervision overdue"


# 003 A5: missing children every week; sexual exploitation on the 2nd and 4th Tuesday;
# missing education on the 3rd; gangs and prevent on the 1st. An empty list: every meeting.
A5_SECTIONS: dict[str, list[int]] = {
    Section.MISSING: [],
    Section.SEXUAL_EXPLOITATION: [2, 4],
    Section.EDUCATION: [3],
    Section.GANGS_PREVENT: [1],
    Section.TRANSITION: [],
    Section.SUPERVISION: [],
}


class PanelSeries(models.Model):
    """A standing meeting and its cadence (SPEC C7): a setting that administrators and
    managers keep. The default is the weekly monitoring meeting of 003 A5 and the
    quarterly MASE of 003 A6; other partnerships meet every three weeks (004) or monthly
    (002)."""

    class Kind(models.TextChoices):
        MONITORING = "monitoring", "Missing and exploitation monitoring meeting"
        MASE = "mase", "Multi-agency sexual exploitation meeting (MASE)"

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", "Every week"
        EVERY_N_WEEKS = "weeks", "Every few weeks"
        MONTHLY = "monthly", "Every month, or every few months"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.MONITORING)
    frequency = models.CharField(max_length=8, choices=Frequency.choices)
    interval = models.PositiveSmallIntegerField(
        default=1, help_text="Weeks between meetings, or months between meetings"
    )
    weekday = models.PositiveSmallIntegerField(
        default=1, help_text="Monday is 0, Tuesday 1 ... Sunday 6"
    )
    week_of_month = models.PositiveSmallIntegerField(
        default=1, help_text="For monthly meetings: the 1st to 4th such weekday, or 5 for the last"
    )
    time = models.TimeField(default="14:00")
    length_minutes = models.PositiveSmallIntegerField(
        default=120,
        validators=[MinValueValidator(15), MaxValueValidator(480)],
        help_text="How long the meeting lasts: the agenda's time plan is set against it",
    )
    first_date = models.DateField(
        help_text="The first meeting: every-few-weeks and every-few-months meetings count from it"
    )
    venue = models.CharField(max_length=300, blank=True)
    sections = models.JSONField(
        default=dict,
        help_text="Each agenda section and the weeks of the month it is on; [] for every meeting",
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="panel_series"
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "panel series"
        constraints = [
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="panel_weekday"),
            models.CheckConstraint(
                condition=models.Q(week_of_month__gte=1, week_of_month__lte=5),
                name="panel_week_of_month",
            ),
            models.CheckConstraint(condition=models.Q(interval__gte=1), name="panel_interval"),
        ]

    def __str__(self) -> str:
        return self.name


class PanelMeeting(models.Model):
    """One meeting of a series, on a date; its agenda, attendance, discussions, actions
    and minutes."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    series = models.ForeignKey(PanelSeries, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    starts_at = models.DateTimeField()
    agenda_built_at = models.DateTimeField(null=True, blank=True)
    held = models.BooleanField(default=False)
    minutes = models.TextField(blank=True)
    minutes_agreed_at = models.DateTimeField(null=True, blank=True)
    minutes_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    minutes_circulated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["series", "date"], name="one_meeting_a_day"),
            models.CheckConstraint(
                condition=models.Q(minutes_circulated_at__isnull=True)
                | models.Q(minutes_agreed_at__isnull=False),
                name="minutes_agreed_before_circulated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series.name}, {self.date:%d %B %Y}"


class AgendaItem(models.Model):
    """A child on a meeting's agenda, under a section, with why they are there."""

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="items")
    section = models.CharField(max_length=16, choices=Section.choices)
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="agenda_items")
    reasons = models.JSONField(default=list)
    discussion = models.TextField(blank=True)
    decisions = models.TextField(blank=True)
    discussed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meeting", "section", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "section", "child"], name="child_once_a_section"
            )
        ]


class RiskView(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class AgencyRiskView(models.Model):
    """An agency's view of the child's risk, stated at the meeting (003 A5 (f))."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="risk_views")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=8, choices=RiskView.choices)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["item", "agency"], name="one_view_an_agency")
        ]


class PanelAction(models.Model):
    """An action agreed at a meeting, with its owner and due date; it lands on the owner's
    worklist and on the child's record (003 A5: "Any actions arising from the meeting will
    be sent to the allocated social worker ... & added to the child's case record")."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="actions")
    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, null=True, blank=True, related_name="actions"
    )
    child = models.ForeignKey(
        "people.Child", on_delete=models.PROTECT, related_name="panel_actions"
    )
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_actions"
    )
    due_date = models.DateField()
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "id"]


class Attendance(models.Model):
    """Who came, who sent apologies, for which agency."""

    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200, blank=True)
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PRESENT)

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(name=""),
                name="attendee_named",
            )
        ]

    @property
    def label(self) -> str:
        return self.user.display_name if self.user_id else self.name  # type: ignore[union-attr]


class TransitionReferral(models.Model):
    """A young person at risk, approaching 18, referred to adult services (T20; 000, 004)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child = models.ForeignKey(
        "people.Child", on_delete=models.PROTECT, related_name="transition_referrals"
    )
    referred_on = models.DateField()
    service = models.CharField(max_length=200, help_text="The adult service referred to")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-referred_on"]

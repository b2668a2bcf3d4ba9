"""Missing episodes (SPEC C2): a child missing, or away from placement without authorisation."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from mace.people.models import LegalStatusKind


class EpisodeKind(models.TextChoices):
    """003 §7-9: missing (whereabouts unknown) or away without authorisation (known)."""

    MISSING = "missing", "Missing"
    AWAY = "away", "Away from placement without authorisation"


class MissingFrom(models.TextChoices):
    HOME = "home", "Home"
    CARE = "care", "Care placement"
    OTHER = "other", "Another setting"


class RiskGrade(models.TextChoices):
    """Police risk grades (003 §2), in order from lowest to highest."""

    VERY_LOW = "very_low", "Very low"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


RISK_ORDER = {grade.value: rank for rank, grade in enumerate(RiskGrade)}


class ReturnMethod(models.TextChoices):
    RETURNED_THEMSELVES = "self", "Returned of their own accord"
    FOUND_BY_POLICE = "police", "Found by police"
    FOUND_BY_FAMILY = "family", "Found or brought back by family or carers"
    FOUND_BY_PROFESSIONAL = "professional", "Found by another professional"
    OTHER = "other", "Other"


class Episode(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="episodes")
    kind = models.CharField(max_length=10, choices=EpisodeKind.choices)
    missing_from = models.CharField(max_length=10, choices=MissingFrom.choices)
    absconded = models.BooleanField(
        default=False, help_text="Left on purpose without notice or agreement (003 §9)"
    )
    legal_status = models.CharField(
        "Legal status at the start",
        max_length=12,
        choices=LegalStatusKind.choices,
        help_text="Reports count the child by their status at the time (002 §4.6.5)",
    )
    placement = models.ForeignKey(
        "people.Placement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="episodes",
        help_text="The placement the child went missing from",
    )
    last_seen_at = models.DateTimeField()
    last_seen_location = models.CharField(max_length=300, blank=True)
    reported_at = models.DateTimeField()
    reported_by = models.CharField(max_length=200, blank=True)
    police_reference = models.CharField(max_length=50, null=True, blank=True, unique=True)
    circumstances = models.TextField(blank=True)
    with_children = models.ManyToManyField(
        "people.Child", blank=True, related_name="episodes_in_association"
    )
    with_others = models.TextField("With adults or others", blank=True)

    returned_at = models.DateTimeField("Found or returned", null=True, blank=True)
    return_method = models.CharField(max_length=20, choices=ReturnMethod.choices, blank=True)
    found_by = models.CharField(max_length=200, blank=True)
    found_location = models.CharField("Where found", max_length=300, blank=True)
    where_been = models.TextField("Where they had been", blank=True)
    who_with_while_missing = models.TextField("Who they had been with", blank=True)
    unsafe_to_return_home = models.BooleanField(
        default=False, help_text="It may be unsafe for the child to return home (003 §5)"
    )
    push_pull_factors = models.JSONField(default=list, blank=True)
    # T12 (003 §16): a child placed here by another authority is offered a health assessment
    # when they return, whoever arranges the return interview. Recorded on the episode so
    # that it can be whatever the interview's provider (issue 18). "No" needs a reason.
    health_assessment_offered = models.BooleanField(
        "Health assessment offered", null=True, blank=True
    )
    health_assessment_not_offered_reason = models.TextField(
        "Why the health assessment has not been offered", blank=True
    )
    health_assessment_recorded_at = models.DateTimeField(null=True, blank=True)
    health_assessment_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    source_reference = models.CharField(
        max_length=100, blank=True, help_text="Reference in the system it was imported from"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-last_seen_at"]
        indexes = [
            models.Index(fields=["child", "-last_seen_at"], name="episode_child_idx"),
            models.Index(fields=["last_seen_at"], name="episode_last_seen_idx"),
            models.Index(
                fields=["returned_at"],
                name="episode_open_idx",
                condition=Q(returned_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True) | Q(returned_at__gte=F("last_seen_at")),
                name="episode_returns_after_last_seen",
            ),
            models.CheckConstraint(
                condition=Q(reported_at__gte=F("last_seen_at")),
                name="episode_reported_after_last_seen",
            ),
            # Issue 18 point 7: a child is missing once at a time. The services, the API and
            # the import refuse a second open episode with a clear message first; this
            # partial unique index holds the rule whatever writes (migration 0003).
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(returned_at__isnull=True),
                name="one_open_episode_per_child",
            ),
        ]

    def __str__(self) -> str:
        return self.police_reference or f"Episode {self.public_id}"

    @property
    def is_open(self) -> bool:
        return self.returned_at is None

    @property
    def current_risk(self) -> "RiskGrading | None":
        """The latest grading. Read through `.all()`, so a list that prefetches the gradings
        (the coordinator view) asks nothing more an episode."""
        return max(self.risk_gradings.all(), key=lambda g: (g.graded_at, g.pk), default=None)


class RiskGrading(models.Model):
    """One police risk grading of an episode; the history is kept (C2)."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="risk_gradings")
    grade = models.CharField(max_length=10, choices=RiskGrade.choices)
    graded_at = models.DateTimeField()
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-graded_at", "-id"]


class EpisodeNotification(models.Model):
    """Someone told about the episode: parents, the placing authority, the Home Office (C8)."""

    class Recipient(models.TextChoices):
        ALLOCATED_WORKER = "allocated_worker", "Allocated social worker"
        PARENTS = "parents", "Parents or others with parental responsibility"
        PLACING_AUTHORITY = "placing_authority", "Placing authority"
        HOST_AUTHORITY = "host_authority", "Host authority"
        HOME_OFFICE = "home_office", "Home Office"

    class Stage(models.TextChoices):
        MISSING = "missing", "Reported missing"
        FOUND = "found", "Found or returned"

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="notifications")
    recipient = models.CharField(max_length=20, choices=Recipient.choices)
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.MISSING)
    notified_at = models.DateTimeField(null=True, blank=True)
    method = models.CharField(max_length=100, blank=True)
    not_notified_reason = models.TextField(
        blank=True, help_text="Why it was not appropriate to tell them (003 §18)"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(notified_at__isnull=False) | ~Q(not_notified_reason=""),
                name="notification_done_or_reason",
            )
        ]

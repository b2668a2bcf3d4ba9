"""What must happen, for whom, by when, and by which rule (SPEC C8, section 4)."""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from mace.accounts.models import Role


class DueItem(models.Model):
    """One thing a rule of section 4 says must happen, kept in step with the facts.

    `key` names the rule and the facts it is about (for example "T7:episode:<id>"), so
    that re-running the rules moves or closes the same item rather than adding another.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        NOT_NEEDED = "not_needed", "No longer needed"
        # Issue 18: due before go-live, or about an episode that ended before it: recorded
        # as history, created closed, never chased (worklist.golive).
        HISTORICAL = "historical", "Historical (before go-live)"

    key = models.CharField(max_length=200, unique=True)
    # Opaque in URLs (reassigning from the worklist, issue 19).
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    rule = models.CharField(
        max_length=4, help_text="T1 to T21 of SPEC section 4, A3 and ACT for actions"
    )
    title = models.CharField(max_length=300)
    # Null for an item about a meeting rather than a child (T21: the minutes).
    child = models.ForeignKey(
        "people.Child", on_delete=models.CASCADE, null=True, blank=True, related_name="due_items"
    )
    meeting = models.ForeignKey(
        "meetings.PanelMeeting",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="due_items",
    )
    episode = models.ForeignKey(
        "episodes.Episode",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="due_items",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="due_items",
    )
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="due_items"
    )
    role = models.CharField(
        max_length=32,
        blank=True,
        choices=Role.choices,
        help_text="A role's shared queue, when no one person owns it",
    )
    due_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # Reassigned from a worklist by a manager or coordinator (issue 19): owns the item in place
    # of the rule's owner (assignee, team or role) until it closes. The engine never sets it,
    # so re-running the rules keeps the reassignment.
    reassigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reassigned_items",
    )
    reassigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reassigned_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(
                fields=["assignee", "due_at"],
                name="due_open_assignee_idx",
                condition=Q(status="open"),
            ),
            models.Index(
                fields=["team", "due_at"], name="due_open_team_idx", condition=Q(status="open")
            ),
            models.Index(
                fields=["role", "due_at"], name="due_open_role_idx", condition=Q(status="open")
            ),
            models.Index(fields=["child", "status"], name="due_child_idx"),
            # The missing coordinator's interviews due and overdue (T7), in due order.
            models.Index(
                fields=["rule", "due_at"], name="due_open_rule_idx", condition=Q(status="open")
            ),
            # "My work" includes what was reassigned to me (issue 19).
            models.Index(
                fields=["reassigned_to", "due_at"],
                name="due_open_reassigned_idx",
                condition=Q(status="open"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(child__isnull=False) | Q(meeting__isnull=False),
                name="due_item_about_a_child_or_a_meeting",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule}: {self.title}"

    @property
    def owner(self) -> "Any":
        """Who owns the item now: the person it was reassigned to, else the rule's owner (a
        person, a team or a role's queue)."""
        if self.reassigned_to_id:
            return self.reassigned_to
        if self.assignee_id:
            return self.assignee
        if self.team_id:
            return self.team
        return self.get_role_display() or self.role


class EmailDelivery(models.Model):
    """One email to one user: a single notification's copy or a day's digest, and what became
    of it (issue 18). A failed email is tried again by the scheduled checks, a few times with
    longer waits between, and never counted as sent. `error` holds only the exception's
    class: its message may carry an address."""

    class Kind(models.TextChoices):
        SINGLE = "single", "One notification"
        DIGEST = "digest", "Daily digest"

    class Status(models.TextChoices):
        PENDING = "pending", "Not sent yet"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed, to be tried again"
        GAVE_UP = "gave_up", "Failed, no more attempts"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_deliveries"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    # The local day a digest covers: one digest a user a day.
    day = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=100, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # The emails the scheduled checks try (again): failed, or never tried.
            models.Index(
                fields=["next_attempt_at"],
                name="email_to_try_idx",
                condition=Q(status__in=["pending", "failed"]),
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "day"],
                condition=Q(kind="digest"),
                name="one_digest_per_user_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} email {self.pk}: {self.get_status_display()}"


class Notification(models.Model):
    """A message in MACE for one user, copied by email where an address is held (C8)."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "Due soon"
        OVERDUE = "overdue", "Overdue"
        ESCALATION = "escalation", "Escalated, overdue"
        CHILD_MISSING = "child_missing", "A child is missing"
        HIGH_RISK = "high_risk", "Graded high risk"
        PANEL_ACTION = "panel_action", "Panel action"
        MINUTES = "minutes", "Panel minutes"
        INTELLIGENCE_LINK = "intelligence_link", "Intelligence link"
        DISRUPTION_ACTION = "disruption_action", "Disruption plan action"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    child = models.ForeignKey(
        "people.Child", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    due_item = models.ForeignKey(
        DueItem, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # When the email carrying it was sent; `email` is that email (None: not yet emailed, or
    # waiting for the user's daily digest, or the user has no address).
    emailed_at = models.DateTimeField(null=True, blank=True)
    email = models.ForeignKey(
        EmailDelivery,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "due_item", "kind"],
                condition=Q(due_item__isnull=False),
                name="one_notification_per_item_kind",
            )
        ]


class Recheck(models.Model):
    """When the scheduled checks next need to look at a child (issue 17 point 6).

    `due_at` is the next instant at which time alone can change what the rules want for the
    child (only T16 and T20 read the clock: `rules.next_change`); None when it never can.
    `basis` is a hash of what else the rules read besides the child's records (the
    thresholds in force and the home authority's term dates, `engine.recheck_basis`), so a
    change of settings makes every row stale. The engine writes the row whenever it brings
    the child in step; a child with no row, or a stale one, is checked at the next run.
    """

    child = models.OneToOneField("people.Child", on_delete=models.CASCADE, related_name="recheck")
    due_at = models.DateTimeField(null=True, blank=True)
    basis = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["due_at"], name="recheck_due_idx")]

    def __str__(self) -> str:
        return f"Recheck of child {self.child_id} at {self.due_at}"

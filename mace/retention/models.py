"""Retention reviews (issue 20 point 1, SPEC C11): a record due for deletion under a
retention rule, listed for a manager's decision.

One row a review. A subject (a child, or an intelligence note) has at most one open review
(a partial unique constraint), so listing is idempotent; a decision closes it: deleted
(the purge), kept with a reason until a next review date, or to be reviewed later on a
date. The monthly listing lists a subject again only once that date has come.

The review belongs to its subject (a foreign key that cascades): purging a child removes its
reviews with every other row about it, and what stays is the audit tombstone.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from mace.intelligence.models import IntelligenceNote
from mace.people.models import Child


class Rule(models.TextChoices):
    """The retention rules (docs/retention.md), each a setting for its period."""

    CHILD = "child", "Children's records"
    LOOKED_AFTER = "looked_after", "Looked after at any time"
    CME = "cme", "Child missing education"
    INTELLIGENCE = "intelligence", "Intelligence"


class RetentionReview(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Awaiting a decision"
        DELETED = "deleted", "Deleted"
        KEPT = "kept", "Kept"
        LATER = "later", "To be reviewed later"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, null=True, blank=True, related_name="retention_reviews"
    )
    note = models.ForeignKey(
        IntelligenceNote,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="retention_reviews",
    )
    rule = models.CharField(max_length=20, choices=Rule.choices)
    due_on = models.DateField(help_text="The day the rule makes the record due for deletion")
    listed_on = models.DateField(help_text="The day the monthly listing put it on the list")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    reason = models.TextField(blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(child__isnull=False) & Q(note__isnull=True))
                | (Q(child__isnull=True) & Q(note__isnull=False)),
                name="retention_review_of_a_child_or_a_note",
            ),
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(status="open", child__isnull=False),
                name="one_open_retention_review_per_child",
            ),
            models.UniqueConstraint(
                fields=["note"],
                condition=Q(status="open", note__isnull=False),
                name="one_open_retention_review_per_note",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["kept", "later"]) | Q(next_review_on__isnull=False),
                name="retention_kept_or_later_has_next_review",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="retention_status_due_idx")]

    def __str__(self) -> str:
        return f"Retention review {self.public_id}"

    @property
    def subject_label(self) -> str:
        return "Child's records" if self.child_id else "Intelligence note"

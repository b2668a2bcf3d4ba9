"""Strategy meetings (003 §12, §55) and supervision discussions (003 quality assurance)."""

import uuid

from django.conf import settings
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

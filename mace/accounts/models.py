"""Agencies, teams and the people who use MACE, each with one role of SPEC section 1."""

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models


class Agency(models.Model):
    """An organisation in the partnership: the council, the police, a provider, a school."""

    class Kind(models.TextChoices):
        CHILDRENS_SOCIAL_CARE = "csc", "Children's social care"
        POLICE = "police", "Police"
        HEALTH = "health", "Health"
        EDUCATION = "education", "Education"
        YOUTH_SERVICE = "youth", "Youth and inclusion"
        RETURN_INTERVIEW_PROVIDER = "rhi_provider", "Return interview provider"
        COMMUNITY_SAFETY = "community_safety", "Community safety"
        OTHER = "other", "Other"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A team within an agency; children allocated to a team are visible to its members."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="team_name_unique_in_agency")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency.name})"


class Role(models.TextChoices):
    """The users of SPEC section 1. Each account has exactly one."""

    POLICE_OFFICER = "police_officer", "MASH / police public-protection officer"
    SOCIAL_WORKER = "social_worker", "Social worker or family key worker"
    MISSING_COORDINATOR = "missing_coordinator", "Missing coordinator"
    RHI_WORKER = "rhi_worker", "Return interview worker"
    INCLUSION_OFFICER = "inclusion_officer", "Inclusion officer"
    MANAGER = "manager", "Team or service manager"
    PANEL_MEMBER = "panel_member", "Panel chair or member"
    ANALYST = "analyst", "Performance analyst"
    AUDITOR = "auditor", "Auditor (information governance)"
    ADMINISTRATOR = "administrator", "System administrator"


# Each role as a short noun, in a sentence about who did something ("Sam Jones, social
# worker, Northshire Council"); Role's labels say what the role covers and are for choosing.
ROLE_IN_WORDS = {
    Role.POLICE_OFFICER: "police officer",
    Role.SOCIAL_WORKER: "social worker",
    Role.MISSING_COORDINATOR: "missing coordinator",
    Role.RHI_WORKER: "return interview worker",
    Role.INCLUSION_OFFICER: "inclusion officer",
    Role.MANAGER: "manager",
    Role.PANEL_MEMBER: "panel member",
    Role.ANALYST: "performance analyst",
    Role.AUDITOR: "auditor",
    Role.ADMINISTRATOR: "system administrator",
}


class NotificationEmails(models.TextChoices):
    """How a user's notifications are copied to them by email (issue 18)."""

    IMMEDIATE = "immediate", "An email for each notification, when it happens"
    DAILY_DIGEST = "daily_digest", "One email a day, a digest of the day's notifications"


class User(AbstractUser):
    """A MACE account. Created only by administrators; there is no self sign-up."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    role = models.CharField(max_length=32, choices=Role.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="users")
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="members", null=True, blank=True
    )
    job_title = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=50, blank=True)
    intelligence_cleared = models.BooleanField(
        default=False,
        help_text="Cleared to see persons of concern and intelligence notes (C5).",
    )
    must_change_password = models.BooleanField(default=True)
    notification_emails = models.CharField(
        "How you are emailed about notifications",
        max_length=12,
        choices=NotificationEmails.choices,
        default=NotificationEmails.IMMEDIATE,
    )
    updated_at = models.DateTimeField(auto_now=True)

    REQUIRED_FIELDS = ["email"]

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=[choice.value for choice in Role]),
                name="user_role_valid",
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def name_role_and_agency(self) -> str:
        """Who someone is, in words, for a record's history: "Sam Jones, social worker,
        Northshire Council". Never the username: one with no name is told by role alone."""
        role = ROLE_IN_WORDS.get(Role(self.role), "") if self.role in Role.values else ""
        parts = [p for p in (self.get_full_name(), role, self.agency.name) if p]
        text = ", ".join(parts)
        return text[:1].upper() + text[1:]

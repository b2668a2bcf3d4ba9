"""Disruption (SPEC C5, 003 A3 and A7): the library of strategic aims and intervention
options, each child's disruption plan of chosen actions, and the disruption outcomes that
the quarterly dataset counts.

The library is data, loaded from 003 A3 by a migration; administrators and managers add
to it and retire entries. Retired entries stay on the plans that chose them.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from mace.accounts.models import Agency
from mace.intelligence.models import Location, PersonOfConcern
from mace.meetings.models import MeetingAction
from mace.people.models import Child

# PREVENT, IDENTIFY, SUPPORT, DISRUPT, PROSECUTE: the headings of strategy meeting actions
# and of disruption plans alike (SPEC C5, 003 §55, §58).
Heading = MeetingAction.Heading


class StrategicAim(models.Model):
    """A strategic aim of 003 A3, such as "Maintain contact whilst absent"."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    text = models.TextField(unique=True)
    order = models.PositiveIntegerField(default=0)
    retired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class InterventionOption(models.Model):
    """An intervention option under a strategic aim (003 A3)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    aim = models.ForeignKey(StrategicAim, on_delete=models.PROTECT, related_name="options")
    text = models.TextField()
    order = models.PositiveIntegerField(default=0)
    retired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["aim__order", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["aim", "text"], name="option_text_unique_in_aim")
        ]

    def __str__(self) -> str:
        return self.text


class DisruptionAction(models.Model):
    """One action of a child's disruption plan: who does it, for which agency, by when,
    who monitors it, and what came of it (003 A3: "which disruption tactics may be used
    ... who is responsible; and who will monitor the progress")."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="disruption_actions")
    heading = models.CharField(max_length=10, choices=Heading.choices)
    aim = models.ForeignKey(StrategicAim, on_delete=models.PROTECT, related_name="actions")
    option = models.ForeignKey(
        InterventionOption,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
    )
    description = models.TextField("What will be done")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disruption_actions_owned",
    )
    owner_name = models.CharField(
        "Owner outside MACE",
        max_length=200,
        blank=True,
        help_text="A person who has no MACE account",
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField()
    monitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="disruption_actions_monitored",
    )
    outcome = models.TextField(blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | ~Q(owner_name=""),
                name="disruption_action_has_an_owner",
            ),
            models.CheckConstraint(
                condition=Q(outcome="", outcome_recorded_at__isnull=True)
                | (~Q(outcome="") & Q(outcome_recorded_at__isnull=False)),
                name="disruption_outcome_has_its_time",
            ),
        ]

    @property
    def owner_label(self) -> str:
        if self.owner_id:
            return self.owner.display_name  # type: ignore[union-attr]
        return self.owner_name

    @property
    def is_done(self) -> bool:
        return self.outcome_recorded_at is not None


class DisruptionOutcome(models.Model):
    """A disruption outcome the dataset counts (003 A7, "Intervention, disruption and
    prosecution"). It may concern a child, a person of concern and a place; one that names
    a person or a place is intelligence, restricted like them."""

    class Kind(models.TextChoices):
        ABDUCTION_WARNING = "cawn", "Child abduction warning notice"
        SEXUAL_RISK_ORDER = "sro", "Sexual risk order"
        LICENSING = "licensing", "Licence suspended or revoked"
        CONVICTION = "conviction", "Conviction for a related offence"
        REGULATORY = "regulatory", "Other disruption using regulatory powers"
        PROTECTIVE = "protective", "Protective action by children's social care"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    occurred_on = models.DateField("Date")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(
        Child,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disruption_outcomes",
    )
    person = models.ForeignKey(
        PersonOfConcern,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disruption_outcomes",
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disruption_outcomes",
    )
    details = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["occurred_on", "kind"], name="disruption_outcome_when")]
        constraints = [
            models.CheckConstraint(
                condition=Q(child__isnull=False)
                | Q(person__isnull=False)
                | Q(location__isnull=False),
                name="disruption_outcome_is_about_someone",
            )
        ]

    @property
    def is_intelligence(self) -> bool:
        return self.person_id is not None or self.location_id is not None

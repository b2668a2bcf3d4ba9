"""The reporting table (issue 9): one narrow row per episode, so that the annual report for a
national year (about 200,000 episodes) reads one table instead of joining episodes, children,
interviews and offers.

Each row holds the inputs of the report's figures, worked out once: the local (UK) date parts
of `last_seen_at`, whether the episode has ended and lasted 18 hours or less, the child's age
on the day and the child's details, and what became of the return interview. The rows are
kept in step by `mace.reports.facts.refresh`, which `worklist.engine.sync_child` calls: every
service that changes an episode, an interview or a child already calls that in its
transaction. `python manage.py report facts` checks the table, or rebuilds it.
"""

import uuid

from django.conf import settings
from django.db import models

from mace.episodes.models import Episode
from mace.people.models import Child


class EpisodeFact(models.Model):
    episode = models.OneToOneField(
        Episode, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    last_seen_at = models.DateTimeField()
    local_year = models.PositiveSmallIntegerField()
    local_month = models.PositiveSmallIntegerField()
    local_day = models.PositiveSmallIntegerField()
    local_hour = models.PositiveSmallIntegerField()
    local_weekday = models.PositiveSmallIntegerField(help_text="ISO: 1 is Monday")
    kind = models.CharField(max_length=10)
    missing_from = models.CharField(max_length=10)
    legal_status = models.CharField(max_length=12)
    placement_kind = models.CharField(max_length=20, blank=True)
    # The ONS codes of the placement's placing and host authority (blank when the episode was
    # not from a placement): compared with the home authority when the report is counted, so
    # that changing that setting needs no rebuild.
    placing_authority = models.CharField(max_length=9, blank=True, default="")
    host_authority = models.CharField(max_length=9, blank=True, default="")
    with_other_children = models.BooleanField(
        default=False, help_text="Missing in association: another child went missing with them"
    )
    push_pull_factors = models.JSONField(default=list)
    ended = models.BooleanField()
    short = models.BooleanField(help_text="Ended within 18 hours of last seen, inclusive")
    gender = models.CharField(max_length=10)
    age = models.SmallIntegerField(help_text="The child's age in years on the local day")
    ethnicity = models.CharField(max_length=4)
    area = models.CharField(max_length=100)
    known_to_camhs = models.BooleanField()
    rhi_offered = models.BooleanField()
    rhi_offered_within_72h = models.BooleanField()
    rhi_accepted = models.BooleanField()
    rhi_completed = models.BooleanField()
    rhi_completed_within_72h = models.BooleanField(
        default=False, help_text="Completed no later than 72 hours after the return"
    )
    rhi_declined = models.BooleanField()

    class Meta:
        indexes = [models.Index(fields=["last_seen_at"], name="fact_last_seen_idx")]

    def __str__(self) -> str:
        return f"Figures of episode {self.episode_id}"


class ReportNarrative(models.Model):
    """The words a partnership writes into its annual report for one period (issue 19 point
    7): an introduction, a commentary under each section of figures, and conclusions, as
    the seeds' board reports carry them. One row a section a period; printed with the
    figures on the page, in the PDF and in the xlsx (`mace.reports.narrative`)."""

    class Report(models.TextChoices):
        ANNUAL = "annual", "Annual report"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.CharField(max_length=20, choices=Report.choices, default=Report.ANNUAL)
    period_start = models.DateField()
    period_end = models.DateField()
    section = models.CharField(max_length=30)
    text = models.TextField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report", "period_start", "period_end", "section"],
                name="report_narrative_one_a_section",
            )
        ]

    def __str__(self) -> str:
        return f"Narrative of the {self.report} report, {self.section}"

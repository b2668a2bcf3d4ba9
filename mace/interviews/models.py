"""Safe-and-well checks and return home interviews (SPEC C3, 003 §4, §20-26, A4)."""

import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower


class SafeAndWellCheck(models.Model):
    """The police prevention interview after a child is found (003 §4)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.OneToOneField(
        "episodes.Episode", on_delete=models.PROTECT, related_name="safe_and_well"
    )
    conducted_at = models.DateTimeField()
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    officer_name = models.CharField(max_length=200, blank=True)
    harm_suffered = models.BooleanField("The child has suffered harm", default=False)
    offences_disclosed = models.BooleanField("Offending by or against the child", default=False)
    where_been = models.TextField("Where and with whom they have been", blank=True)
    findings = models.TextField(blank=True)
    further_police_action = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


# The start of `provider_rule` of an interview the tracker import recorded when no provider
# agency could be chosen (none set up yet): see `ReturnInterview.provider_not_known`.
PROVIDER_NOT_KNOWN = "As recorded in the tracker: provider not known"
PLACING_AUTHORITY_ARRANGES = "Arranged by the placing authority"


def _scale() -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(10)]
    )


class ReturnInterview(models.Model):
    """A return home interview: who offers it, the offers, and the record of 003 A4.

    `provider` is empty in two cases, told apart by `provider_rule`:

    - the child was placed here by another authority, which arranges the interview (002
      §4.6.3): the rule starts "Placed here by";
    - the tracker import recorded an interview the tracker holds (its offer, outcome and
      completion are facts, issue 18) when no provider agency could be chosen, as on a fresh
      install with no provider agencies set up: the rule starts `PROVIDER_NOT_KNOWN` and
      says which rule of 003 §21-25 applied. The provider is not known rather than made
      up: creating an agency from a setting's name would give a made-up organisation access
      to the child (C11) without an administrator having set it up.
    """

    class Status(models.TextChoices):
        REFERRED = "referred", "Referred"
        OFFERED = "offered", "Offered"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        NO_CONTACT = "no_contact", "No contact"
        COMPLETED = "completed", "Completed"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.OneToOneField(
        "episodes.Episode", on_delete=models.PROTECT, related_name="return_interview"
    )
    provider = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="return_interviews",
        null=True,
        blank=True,
        help_text="Empty when the placing authority arranges it (002 §4.6.3)",
    )
    provider_rule = models.CharField(
        max_length=200, help_text="The rule of 003 §21-25 that chose the provider"
    )
    nominated_reason = models.TextField(
        blank=True, help_text="Why a manager nominated another professional (003 §25)"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="return_interviews",
    )
    referred_at = models.DateTimeField()
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REFERRED)
    consent_given_by = models.CharField(max_length=200, blank=True)
    refusal_safeguarding_considered = models.TextField(
        blank=True, help_text="After a refusal: is it a safeguarding concern? (003 §20)"
    )

    completed_at = models.DateTimeField(null=True, blank=True)
    childs_account = models.TextField(blank=True)
    parents_views = models.TextField(blank=True)
    interviewer_analysis = models.TextField(blank=True)
    safe_before = _scale()
    safe_while_missing = _scale()
    safe_since = _scale()
    happy_before = _scale()
    happy_while_missing = _scale()
    happy_since = _scale()
    harmed = models.BooleanField(null=True, blank=True)
    victim_of_crime = models.BooleanField(null=True, blank=True)
    perpetrator_of_crime = models.BooleanField(null=True, blank=True)
    harboured_where_by_whom = models.TextField(blank=True)
    information_to_find_next_time = models.TextField(blank=True)
    health_assessment_offered = models.BooleanField(null=True, blank=True)
    sexual_health_referral = models.BooleanField(null=True, blank=True)
    referrals_made = models.TextField(blank=True)
    themes: "models.ManyToManyField[InterviewTheme, InterviewThemeCoding]" = models.ManyToManyField(
        "InterviewTheme", through="InterviewThemeCoding", blank=True, related_name="interviews"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # By status, then referral: the coordinator's refusals of the last 90 days (C8).
        indexes = [
            models.Index(fields=["status", "referred_at"], name="interview_status_referred_idx")
        ]

    @property
    def provider_not_known(self) -> bool:
        """Recorded from the tracker with no provider agency set up (see the class)."""
        return self.provider_id is None and self.provider_rule.startswith(PROVIDER_NOT_KNOWN)

    @property
    def provider_label(self) -> str:
        """Who offers the interview, for pages, the API and documents: the provider's
        name, else why there is none."""
        if self.provider is not None:
            return self.provider.name
        if self.provider_not_known:
            return "Not known (recorded from the tracker)"
        return PLACING_AUTHORITY_ARRANGES

    @property
    def first_offered_at(self) -> "datetime.datetime | None":
        first = self.offers.order_by("offered_at").first()
        return first.offered_at if first else None


class InterviewOffer(models.Model):
    """One offer of the interview; a refusal is followed by repeat offers (003 §20, §22)."""

    class Response(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        NO_RESPONSE = "no_response", "No response yet"

    interview = models.ForeignKey(ReturnInterview, on_delete=models.CASCADE, related_name="offers")
    offered_at = models.DateTimeField()
    method = models.CharField(max_length=100, blank=True, help_text="Visit, phone, text...")
    response = models.CharField(max_length=12, choices=Response.choices)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["offered_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(response__in=["accepted", "declined", "no_response"]),
                name="offer_response_valid",
            )
        ]


class InterviewTheme(models.Model):
    """A theme a return interview is coded with: what the child told us, in the partnership's
    own list (issue 20 point 4; SPEC C3: "themes from interviews, anonymised, collated
    quarterly for the monitoring meeting"; 003 A7 "feedback from RHIs").

    The episode already codes why the child went (the push and pull factors of seed 001,
    `episodes.factors`); a theme codes what the child said in the interview (003 A4: the
    child's account, before, while missing and since), so the default list (migration 0004)
    repeats none of those factors. Administrators add, rename and retire themes; a theme
    an interview is coded with is never deleted (`InterviewThemeCoding.theme` protects it),
    only retired: no longer offered on the form, still counted where it was used. `code`
    is set once and never changes, so a renamed theme keeps its figures in the reports.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(max_length=80, unique=True, editable=False)
    name = models.CharField(max_length=120)
    position = models.PositiveIntegerField(default=0)
    retired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="interview_theme_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class InterviewThemeCoding(models.Model):
    """One theme an interview is coded with. The theme is protected: a used theme cannot be
    deleted, only retired."""

    interview = models.ForeignKey(
        ReturnInterview, on_delete=models.CASCADE, related_name="theme_codings"
    )
    theme = models.ForeignKey(InterviewTheme, on_delete=models.PROTECT, related_name="codings")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["interview", "theme"], name="interview_theme_once"),
        ]

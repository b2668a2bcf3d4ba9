"""Intelligence (SPEC C5): persons of concern, locations and hotspots, and the links
between them and children. Restricted: only cleared people in cleared roles see persons
of concern, locations' intelligence and intelligence notes (access.policy)."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from mace.lib.days import age_on
from mace.people.models import Gender


class AgeGroup(models.TextChoices):
    """The age bands of the annual report's persons-of-concern figures (001)."""

    UNKNOWN = "", "Not known"
    UNDER_18 = "under_18", "Under 18"
    AGE_18_24 = "18_24", "18 to 24"
    AGE_25_34 = "25_34", "25 to 34"
    AGE_35_44 = "35_44", "35 to 44"
    AGE_45_PLUS = "45_plus", "45 and over"


class PersonOfConcern(models.Model):
    """An adult or peer believed to pose a risk to children (C5)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    nicknames = models.CharField(
        max_length=300, blank=True, help_text="Street names and nicknames, separated by commas"
    )
    date_of_birth = models.DateField(null=True, blank=True)
    age_group = models.CharField(
        max_length=10,
        choices=AgeGroup.choices,
        blank=True,
        help_text="When the date of birth is not known",
    )
    gender = models.CharField(max_length=10, choices=Gender.choices, default=Gender.UNKNOWN)
    addresses = models.TextField(blank=True, help_text="Known addresses, one a line")
    organised_crime_groups = models.TextField(
        "Links to organised crime groups", blank=True, help_text="Group names, one a line"
    )
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "persons of concern"
        indexes = [
            models.Index(Lower("last_name"), Lower("first_name"), name="poc_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(first_name="") | ~Q(last_name="") | ~Q(nicknames=""),
                name="poc_has_a_name_or_nickname",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        name = " ".join(p for p in (self.first_name, self.last_name) if p)
        if self.nicknames:
            return f"{name} ({self.nicknames})" if name else self.nicknames
        return name

    @property
    def is_adult(self) -> bool | None:
        """From the date of birth where known, else the age group; None when neither is."""
        if self.date_of_birth is not None:
            return age_on(self.date_of_birth, datetime.date.today()) >= 18
        if self.age_group == AgeGroup.UNKNOWN:
            return None
        return self.age_group != AgeGroup.UNDER_18


class Phone(models.Model):
    person = models.ForeignKey(PersonOfConcern, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(max_length=30, help_text="Digits only, as stored")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        indexes = [models.Index(fields=["number"], name="poc_phone_idx")]
        constraints = [
            models.UniqueConstraint(fields=["person", "number"], name="phone_unique_per_person")
        ]

    def __str__(self) -> str:
        return self.number


class Vehicle(models.Model):
    person = models.ForeignKey(PersonOfConcern, on_delete=models.CASCADE, related_name="vehicles")
    registration = models.CharField(max_length=15, help_text="Upper case, without spaces")
    description = models.CharField(max_length=200, blank=True, help_text="Make, model, colour")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["registration"]
        indexes = [models.Index(fields=["registration"], name="poc_vehicle_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "registration"], name="vehicle_unique_per_person"
            )
        ]

    def __str__(self) -> str:
        return self.registration


class OnlineIdentity(models.Model):
    person = models.ForeignKey(
        PersonOfConcern, on_delete=models.CASCADE, related_name="online_identities"
    )
    platform = models.CharField(max_length=50, help_text="Snapchat, Instagram, WhatsApp...")
    handle = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["platform", "handle"]
        verbose_name_plural = "online identities"
        constraints = [
            models.UniqueConstraint(
                fields=["person", "platform", "handle"], name="online_identity_unique_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.platform}: {self.handle}"


class Location(models.Model):
    """An address, venue, area or online space; a hotspot where children are at risk (003 §55)."""

    class Kind(models.TextChoices):
        ADDRESS = "address", "Address"
        VENUE = "venue", "Venue"
        AREA = "area", "Area"
        ONLINE = "online", "Online"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    is_hotspot = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["postcode"], name="location_postcode_idx"),
            models.Index(
                fields=["is_hotspot"], name="location_hotspot_idx", condition=Q(is_hotspot=True)
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Confidence(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    PROBABLE = "probable", "Probable"
    POSSIBLE = "possible", "Possible"


# Exactly one of these pairs is set on a link; the other two ends are empty.
CHILD_CHILD = Q(child__isnull=False, other_child__isnull=False) & Q(
    person__isnull=True, location__isnull=True
)
CHILD_PERSON = Q(child__isnull=False, person__isnull=False) & Q(
    other_child__isnull=True, location__isnull=True
)
CHILD_LOCATION = Q(child__isnull=False, location__isnull=False) & Q(
    other_child__isnull=True, person__isnull=True
)
PERSON_LOCATION = Q(person__isnull=False, location__isnull=False) & Q(
    child__isnull=True, other_child__isnull=True
)


class Link(models.Model):
    """Child to child, child to person, child to location or person to location (C5)."""

    class Kind(models.TextChoices):
        MISSING_TOGETHER = "missing_together", "Missing together"
        PEER = "peer", "Peer"
        ASSOCIATE = "associate", "Associate"
        EXPLOITER = "exploiter", "Suspected exploiter"
        SEEN_AT = "seen_at", "Seen at"
        LIVES_AT = "lives_at", "Lives at"
        OTHER = "other", "Other"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child = models.ForeignKey(
        "people.Child",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intelligence_links",
    )
    other_child = models.ForeignKey(
        "people.Child",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intelligence_links_as_other",
    )
    person = models.ForeignKey(
        PersonOfConcern, on_delete=models.PROTECT, null=True, blank=True, related_name="links"
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, null=True, blank=True, related_name="links"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    source = models.CharField(max_length=300)
    observed_on = models.DateField()
    confidence = models.CharField(max_length=10, choices=Confidence.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for links MACE made itself from missing episodes",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-observed_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=CHILD_CHILD | CHILD_PERSON | CHILD_LOCATION | PERSON_LOCATION,
                name="link_exactly_one_pair",
            ),
            # A child-child link is stored once, lower id first, so duplicates can be refused.
            models.CheckConstraint(
                condition=Q(other_child__isnull=True) | Q(child__lt=F("other_child")),
                name="link_children_in_order",
            ),
            models.UniqueConstraint(
                fields=["child", "other_child", "kind"],
                condition=Q(other_child__isnull=False),
                name="link_child_child_unique",
            ),
            models.UniqueConstraint(
                fields=["child", "person", "kind"],
                condition=Q(child__isnull=False, person__isnull=False),
                name="link_child_person_unique",
            ),
            models.UniqueConstraint(
                fields=["child", "location", "kind"],
                condition=Q(child__isnull=False, location__isnull=False),
                name="link_child_location_unique",
            ),
            models.UniqueConstraint(
                fields=["person", "location", "kind"],
                condition=Q(child__isnull=True),
                name="link_person_location_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.public_id})"

    @property
    def is_intelligence(self) -> bool:
        """Links to persons of concern or locations are restricted; child-child links are not."""
        return self.person_id is not None or self.location_id is not None


class IntelligenceNote(models.Model):
    """A piece of intelligence about a child or a person of concern. Restricted (C5)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child = models.ForeignKey(
        "people.Child",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intelligence_notes",
    )
    person = models.ForeignKey(
        PersonOfConcern,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intelligence_notes",
    )
    text = models.TextField()
    source = models.CharField(max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(child__isnull=False, person__isnull=True)
                | Q(child__isnull=True, person__isnull=False),
                name="note_about_a_child_or_a_person",
            ),
        ]

    def __str__(self) -> str:
        return f"Intelligence note {self.public_id}"

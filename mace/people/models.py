"""The people register (SPEC C1): children, their histories, and the people around them."""

import datetime
import uuid
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest, Least, Lower
from django.utils import timezone

from mace.lib import days
from mace.lib.storage import PrivateStorage

_Period = TypeVar("_Period", bound=models.Model)


class PeriodQuerySet(models.QuerySet[_Period]):
    """Rows holding a period from `start_date` to `end_date`: a legal status, a placement.
    Both days are included and an open period (no end date) is still in force
    (`mace.lib.days`)."""

    def in_force_on(self, day: datetime.date) -> "PeriodQuerySet[_Period]":
        return self.filter(days.in_force_during(day, day))

    def in_force_during(
        self, first: datetime.date, last: datetime.date
    ) -> "PeriodQuerySet[_Period]":
        """In force on at least one day from `first` to `last`."""
        return self.filter(days.in_force_during(first, last))


class LegalStatusQuerySet(PeriodQuerySet["LegalStatus"]):
    pass


class PlacementQuerySet(PeriodQuerySet["Placement"]):
    pass


class LocalAuthority(models.Model):
    """An English or Welsh local authority, as a placing or host authority."""

    name = models.CharField(max_length=200, unique=True)
    ons_code = models.CharField(max_length=9, unique=True, help_text="For example E09000002")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    MALE = "male", "Male"
    FEMALE = "female", "Female"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Not known"


class Ethnicity(models.TextChoices):
    """The Department for Education's ethnicity codes, as used in the SSDA903 return."""

    WBRI = "WBRI", "White British"
    WIRI = "WIRI", "White Irish"
    WOTH = "WOTH", "Any other White background"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WROM = "WROM", "Gypsy/Roma"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Caribbean"
    BAFR = "BAFR", "African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class Sexuality(models.TextChoices):
    NOT_RECORDED = "", "Not recorded"
    HETEROSEXUAL = "heterosexual", "Heterosexual"
    GAY_OR_LESBIAN = "gay_or_lesbian", "Gay or lesbian"
    BISEXUAL = "bisexual", "Bisexual"
    QUESTIONING = "questioning", "Questioning or unsure"
    OTHER = "other", "Other"
    PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefers not to say"


class ImmigrationStatus(models.TextChoices):
    NOT_RECORDED = "", "Not recorded"
    BRITISH_CITIZEN = "british_citizen", "British citizen"
    SETTLED = "settled", "Settled or pre-settled status"
    LEAVE_TO_REMAIN = "leave_to_remain", "Limited leave to remain"
    ASYLUM_SEEKER = "asylum_seeker", "Asylum seeker"
    REFUGEE = "refugee", "Refugee status"
    NO_STATUS = "no_status", "No recourse or no status"
    UNKNOWN = "unknown", "Not known"


class LegalStatusKind(models.TextChoices):
    """The child's status with children's services (C1); reports count by status at the time."""

    NONE = "NONE", "Not open to children's services"
    EH = "EH", "Early help / family wellbeing"
    CIN = "CIN", "Child in need"
    CP = "CP", "Child protection"
    CLA = "CLA", "Looked after"
    CARE_LEAVER = "CARE_LEAVER", "Care leaver"


DATE_OF_BIRTH_IN_FUTURE = "Date of birth must be today or in the past"


def validate_date_of_birth(day: datetime.date | None) -> None:
    """A child is born today or before (issue 19): refused on the pages, in the services
    (`Child.clean`) and so through the API. The tracker import refuses any future date."""
    if day is not None and day > timezone.localdate():
        raise ValidationError(DATE_OF_BIRTH_IN_FUTURE, code="future")


class Child(models.Model):
    """A child or young person: the basic details of 003 A2 and the flags of C1."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(
        max_length=20, unique=True, editable=False, help_text="MACE's own reference, e.g. MC-000123"
    )
    first_name = models.CharField(max_length=100)
    middle_names = models.CharField(max_length=200, blank=True)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    date_of_birth_estimated = models.BooleanField(default=False)
    gender = models.CharField(max_length=10, choices=Gender.choices)
    sexuality = models.CharField(max_length=20, choices=Sexuality.choices, blank=True)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT)
    languages = models.CharField(max_length=200, blank=True)
    religion = models.CharField(max_length=100, blank=True)
    immigration_status = models.CharField(
        max_length=20, choices=ImmigrationStatus.choices, blank=True
    )
    is_uasc = models.BooleanField("Unaccompanied asylum-seeking child", default=False)
    area = models.CharField("Ward or locality", max_length=100, blank=True)
    school = models.CharField("School or college", max_length=200, blank=True)
    gp = models.CharField("GP", max_length=200, blank=True)
    identifying_information = models.TextField(
        blank=True, help_text="Phone numbers, social media, passport or travel card numbers"
    )
    additional_needs = models.TextField(
        blank=True, help_text="Communication, language, learning difficulties, disabilities"
    )
    other_professionals = models.TextField("Other significant professional involvement", blank=True)

    known_to_camhs = models.BooleanField("Known to CAMHS", default=False)
    self_harm = models.BooleanField("Self-harm", default=False)
    substance_misuse = models.BooleanField(default=False)
    neet = models.BooleanField("Not in education, employment or training (NEET)", default=False)
    lgbtq = models.BooleanField("LGBTQ+ or questioning", default=False)
    supported_accommodation = models.BooleanField(
        "In semi-independent or supported accommodation", default=False
    )

    allocated_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocated_children",
    )
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    is_restricted = models.BooleanField(
        default=False, help_text="Opening the record asks for a reason, which is logged."
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_records"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "children"
        indexes = [
            models.Index(Lower("last_name"), Lower("first_name"), name="child_name_idx"),
            models.Index(fields=["date_of_birth"], name="child_dob_idx"),
            models.Index(fields=["allocated_worker"], name="child_worker_idx"),
            models.Index(fields=["team"], name="child_team_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(merged_into=F("pk")), name="child_not_merged_into_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def clean(self) -> None:
        super().clean()
        try:
            validate_date_of_birth(self.date_of_birth)
        except ValidationError as error:
            raise ValidationError({"date_of_birth": error.messages}) from None

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.middle_names, self.last_name) if p)

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None

    def age_on(self, day: datetime.date) -> int:
        return days.age_on(self.date_of_birth, day)

    def legal_status_on(self, day: datetime.date) -> str:
        """The child's legal status on a day (reports count by the status at the time): of the
        periods in force that day, the latest to start, then the latest recorded; NONE when
        there is none."""
        period = self.legal_statuses.in_force_on(day).order_by("-start_date", "-id").first()
        return period.status if period else LegalStatusKind.NONE

    def placement_on(self, day: datetime.date) -> "Placement | None":
        """The placement in force on a day: of those in force, the latest to start, then the
        latest recorded (as `Placement`'s ordering, which lists in memory rely on)."""
        return self.placements.in_force_on(day).order_by("-start_date", "-id").first()


class ChildAlias(models.Model):
    """Another name the child is known by (nickname, previous name, street name)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["child", "name"], name="alias_unique_per_child")
        ]

    def __str__(self) -> str:
        return self.name


class ChildIdentifier(models.Model):
    """An identifier the child has in another system (case record, police, NHS, school)."""

    class Kind(models.TextChoices):
        CASE_RECORD = "case_record", "Case recording system ID"
        TRACKER = "tracker", "Missing tracker reference"
        POLICE = "police", "Police reference"
        NHS = "nhs", "NHS number"
        UPN = "upn", "Unique pupil number"
        OTHER = "other", "Other"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    value = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="identifier_unique_per_kind")
        ]
        indexes = [models.Index(fields=["value"], name="identifier_value_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class ChildAddress(models.Model):
    """A home or other significant address, with the dates it applied."""

    class Kind(models.TextChoices):
        HOME = "home", "Home address"
        OTHER = "other", "Other significant address"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="addresses")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.HOME)
    address = models.TextField()
    postcode = models.CharField(max_length=10, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="address_ends_after_start",
            )
        ]


class LegalStatus(models.Model):
    """One period of a legal status. The open period (no end date) is the current one."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="legal_statuses")
    status = models.CharField(max_length=12, choices=LegalStatusKind.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LegalStatusQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name_plural = "legal statuses"
        indexes = [models.Index(fields=["child", "start_date"], name="legal_status_child_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="legal_status_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.get_status_display()


class Placement(models.Model):
    """A placement of a looked-after child, with its placing and host authority."""

    class Kind(models.TextChoices):
        FOSTER_CARE = "foster", "Foster care"
        KINSHIP = "kinship", "Family and friends (kinship) care"
        CHILDRENS_HOME = "childrens_home", "Children's home"
        SUPPORTED = "supported", "Semi-independent or supported accommodation"
        SECURE = "secure", "Secure unit"
        PLACED_WITH_PARENTS = "with_parents", "Placed with parents"
        RESIDENTIAL_SCHOOL = "residential_school", "Residential school"
        OTHER = "other", "Other"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="placements")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    provider = models.CharField(max_length=200, blank=True)
    placing_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="placements_made"
    )
    host_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="placements_hosted"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["child", "start_date"], name="placement_child_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="placement_ends_after_start",
            )
        ]

    @property
    def out_of_area(self) -> bool:
        return self.placing_authority_id != self.host_authority_id


class RelatedPerson(models.Model):
    """A parent, carer or other significant person in the child's life."""

    class Relationship(models.TextChoices):
        MOTHER = "mother", "Mother"
        FATHER = "father", "Father"
        STEP_PARENT = "step_parent", "Step-parent"
        GRANDPARENT = "grandparent", "Grandparent"
        SIBLING = "sibling", "Sibling"
        OTHER_RELATIVE = "relative", "Other relative"
        FOSTER_CARER = "foster_carer", "Foster carer"
        KEY_WORKER = "residential_worker", "Residential key worker"
        FRIEND = "friend", "Family friend"
        OTHER = "other", "Other"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="related_people")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    parental_responsibility = models.BooleanField(default=False)
    is_carer = models.BooleanField("Current carer", default=False)
    phone = models.CharField(max_length=50, blank=True)
    address = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-parental_responsibility", "name"]


class Involvement(models.Model):
    """A professional or agency working with the child.

    An involvement with a MACE user or agency is also an access relationship: a return
    interview provider sees the children referred to it (C3, C11).
    """

    class Kind(models.TextChoices):
        SOCIAL_WORKER = "social_worker", "Social worker"
        FAMILY_KEY_WORKER = "family_key_worker", "Family key worker"
        RHI_PROVIDER = "rhi_provider", "Return interview provider"
        POLICE = "police", "Police"
        SCHOOL = "school", "School or college"
        HEALTH = "health", "Health"
        YOUTH_OFFENDING = "yot", "Youth offending team"
        INCLUSION = "inclusion", "Inclusion team"
        OTHER = "other", "Other"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="involvements")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="involvements",
    )
    agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="involvements",
    )
    name = models.CharField(
        max_length=200, blank=True, help_text="For a professional who does not use MACE"
    )
    contact = models.CharField(max_length=200, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["user", "end_date"], name="involvement_user_idx"),
            models.Index(fields=["agency", "end_date"], name="involvement_agency_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(agency__isnull=False) | ~Q(name=""),
                name="involvement_names_someone",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="involvement_ends_after_start",
            ),
        ]


class DuplicateReviewSource(models.TextChoices):
    """How a child who may be a duplicate arrived (issue 18)."""

    TRACKER_IMPORT = "tracker_import", "Tracker import"
    POLICE_NOTIFICATION = "police_notification", "Police notification import"
    EDUCATION_NOTIFICATION = "education_notification", "Education notification"
    TERMLY_RETURN = "termly_return", "Termly return"


class DuplicateReviewStatus(models.TextChoices):
    OPEN = "open", "To review"
    MERGED = "merged", "Merged"
    CONFIRMED_NEW = "confirmed_new", "Confirmed as different children"


class DuplicateReview(models.Model):
    """A child created by an import or an education notification who may be one already held
    (issue 18): the pair waits on the review list until someone merges them or confirms
    they are different children. Each pair is asked about once, whatever its order."""

    Source = DuplicateReviewSource
    Status = DuplicateReviewStatus

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    new_child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    matched_child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(help_text="The best name score, 0 to 100")
    same_date_of_birth = models.BooleanField()
    source = models.CharField(max_length=30, choices=DuplicateReviewSource.choices)
    found_at = models.CharField(
        max_length=200, blank=True, help_text="Where it was found, e.g. children.csv line 12"
    )
    status = models.CharField(
        max_length=20, choices=DuplicateReviewStatus.choices, default=DuplicateReviewStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="duplicate_review_status_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(new_child=F("matched_child")), name="duplicate_review_two_children"
            ),
            # Never asked again for the same two children, in either order.
            models.UniqueConstraint(
                Least("new_child", "matched_child"),
                Greatest("new_child", "matched_child"),
                name="duplicate_review_pair_once",
            ),
            models.CheckConstraint(
                condition=Q(status=DuplicateReviewStatus.OPEN, decided_at__isnull=True)
                | (~Q(status=DuplicateReviewStatus.OPEN) & Q(decided_at__isnull=False)),
                name="duplicate_review_decided_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.new_child_id} and {self.matched_child_id}"


def photograph_path(instance: "ChildPhotograph", filename: str) -> str:
    """An opaque random name: nothing about the child, the upload or its original name."""
    return f"photographs/{uuid.uuid4().hex}.jpg"


class ChildPhotograph(models.Model):
    """A photograph of the child (issue 20 point 3; SPEC C1, C10): the JPEG MACE made from the
    upload (checked, re-encoded without its metadata, bounded in size), when it was taken
    and by whom. The one taken most recently is the current one; the others are history."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="photographs")
    image = models.FileField(
        storage=PrivateStorage(), upload_to=photograph_path, max_length=100, editable=False
    )
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    taken_on = models.DateField()
    taken_by = models.CharField(max_length=200, help_text="Who took the photograph")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-taken_on", "-uploaded_at", "-id"]
        indexes = [
            models.Index(fields=["child", "-taken_on", "-uploaded_at"], name="photograph_child_idx")
        ]

    def __str__(self) -> str:
        return str(self.public_id)


class ChildDescription(models.Model):
    """How the child looks (issue 20 point 3; SPEC C10, the Philomena Protocol): what the
    police need to recognise them. One a child, changed through `description_update`, whose
    audit events keep the history (before and after). Clothing is dated: it is what the
    child wore when last seen, as far as anyone knew on that day."""

    child = models.OneToOneField(Child, on_delete=models.CASCADE, related_name="description")
    height = models.CharField(
        max_length=50, blank=True, help_text="For example, 1.60 m, or about 5 ft 3 in"
    )
    build = models.CharField(max_length=100, blank=True, help_text="For example, slim")
    hair = models.CharField(
        max_length=200, blank=True, help_text="Colour, length and style, for example long, dark"
    )
    eyes = models.CharField(max_length=100, blank=True, help_text="Colour, glasses or lenses")
    distinguishing_marks = models.TextField(
        max_length=1000, blank=True, help_text="Scars, tattoos, piercings, birthmarks"
    )
    clothing = models.TextField("Clothing when last seen", max_length=1000, blank=True)
    clothing_seen_on = models.DateField("Date of the clothing description", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Description of {self.child_id}"

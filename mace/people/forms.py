from typing import Any

from django import forms
from django.utils import timezone

from mace.access.policy import case_holders
from mace.accounts.models import Agency, Team, User
from mace.frontend.forms import GovDateField, GovForm, GovModelForm
from mace.people.models import (
    Child,
    ChildAddress,
    ChildDescription,
    ChildIdentifier,
    Gender,
    Involvement,
    LegalStatusKind,
    LocalAuthority,
    Placement,
    RelatedPerson,
    validate_date_of_birth,
)
from mace.people.photographs import ACCEPT
from mace.people.search import MAX_QUERY_LENGTH, BadQuery, parse_query
from mace.people.services import (
    CHILD_EDITABLE_FIELDS,
    DESCRIPTION_FIELDS,
    PHOTOGRAPH_REMOVAL_REASON_MAX,
)


class ChildSearchForm(GovForm):
    """Find a child (issue 19 point 4): sent by GET as `q`, so results survive Back and can be
    bookmarked. `people.search` reads it; what cannot be searched for is refused here."""

    q = forms.CharField(
        label="Name, date of birth or reference",
        help_text=(
            "For example, Jordan Smith, 4/12/2012, 4 December 2012 or MC-000123 (or part of "
            "it). Aliases are searched too, and small spelling mistakes are allowed."
        ),
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "required": "Enter a name, date of birth or reference to search for",
            "max_length": (
                f"Search for {MAX_QUERY_LENGTH} characters or fewer: a name, date of birth "
                "or reference"
            ),
        },
        widget=forms.TextInput(attrs={"autofocus": True, "type": "search", "spellcheck": "false"}),
    )

    def clean_q(self) -> str:
        text: str = self.cleaned_data["q"]
        try:
            parse_query(text, timezone.localdate())
        except BadQuery as error:
            raise forms.ValidationError(str(error)) from None
        return text


class ChildForm(GovModelForm):
    date_of_birth = GovDateField(label="Date of birth", validators=[validate_date_of_birth])

    class Meta:
        model = Child
        fields = list(CHILD_EDITABLE_FIELDS)
        widgets = {
            "gender": forms.RadioSelect,
            "identifying_information": forms.Textarea(attrs={"rows": 3}),
            "additional_needs": forms.Textarea(attrs={"rows": 3}),
            "other_professionals": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "date_of_birth_estimated": "The date of birth is estimated",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["gender"].choices = Gender.choices  # type: ignore[attr-defined]
        for name in ("first_name", "last_name"):
            field = self.fields[name]
            field.error_messages["required"] = f"Enter the child's {field.label.lower()}"  # type: ignore[union-attr]
        self.fields["gender"].error_messages["required"] = "Select the child's gender"
        self.fields["ethnicity"].error_messages["required"] = (
            "Select the child's ethnicity, or 'Information not yet obtained'"
        )


class ChildCreateForm(ChildForm):
    legal_status = forms.ChoiceField(
        label="Current legal status",
        choices=LegalStatusKind.choices,
        initial=LegalStatusKind.NONE,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the child's current legal status"},
    )
    aliases = forms.CharField(
        label="Other names (optional)",
        help_text="Nicknames, previous names or names used on social media, one on each line",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    not_a_duplicate = forms.BooleanField(
        label="I have checked: none of these is the same child",
        required=False,
    )

    field_order = ["first_name", "middle_names", "last_name", "aliases", "date_of_birth"]

    def alias_list(self) -> list[str]:
        text: str = self.cleaned_data.get("aliases", "")
        return [line.strip() for line in text.splitlines() if line.strip()]


class ChildEditForm(ChildForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.team.name})"


class AllocationForm(GovForm):
    """A child's team and allocated worker: their own page, for those who may allocate
    (policy.can_allocate_child). The service checks the worker belongs to the team."""

    team = forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.select_related("agency"),
        required=False,
        empty_label="No team",
    )
    allocated_worker = WorkerChoiceField(
        label="Allocated social worker or key worker",
        help_text="An active social worker in the team you chose",
        queryset=case_holders(),
        required=False,
        empty_label="Waiting for allocation",
    )


class RestrictionForm(GovForm):
    restricted = forms.ChoiceField(
        label="Should opening this record ask for a reason?",
        choices=[("yes", "Yes, restrict the record"), ("no", "No, lift the restriction")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the record should be restricted"},
    )
    reason = forms.CharField(
        label="Why?",
        help_text="Your reason is recorded with your name and the time in the audit trail.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={
            "required": "Enter why the record should be restricted, or why the restriction ends"
        },
    )

    def clean_restricted(self) -> bool:
        return bool(self.cleaned_data["restricted"] == "yes")


class LegalStatusForm(GovForm):
    status = forms.ChoiceField(
        label="New legal status",
        choices=LegalStatusKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the new legal status"},
    )
    start_date = GovDateField(label="Date the status started")


class PlacementForm(GovModelForm):
    start_date = GovDateField(label="Start date")

    class Meta:
        model = Placement
        fields = [
            "kind",
            "placing_authority",
            "host_authority",
            "start_date",
            "provider",
            "address",
            "postcode",
        ]
        labels = {"kind": "Placement type", "provider": "Provider or carer (optional)"}
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("placing_authority", "host_authority"):
            self.fields[name].queryset = LocalAuthority.objects.order_by("name")  # type: ignore[attr-defined]


class AddressForm(GovModelForm):
    start_date = GovDateField(label="Living there since (optional)", required=False)

    class Meta:
        model = ChildAddress
        fields = ["kind", "address", "postcode", "start_date"]
        labels = {"kind": "Type of address"}
        widgets = {"address": forms.Textarea(attrs={"rows": 3}), "kind": forms.RadioSelect}


class AliasForm(GovForm):
    name = forms.CharField(label="Other name", max_length=200)


class IdentifierForm(GovModelForm):
    class Meta:
        model = ChildIdentifier
        fields = ["kind", "value"]
        labels = {"kind": "Type of identifier", "value": "Identifier"}


class RelatedPersonForm(GovModelForm):
    class Meta:
        model = RelatedPerson
        fields = [
            "name",
            "relationship",
            "parental_responsibility",
            "is_carer",
            "phone",
            "address",
            "notes",
        ]
        labels = {"parental_responsibility": "Holds parental responsibility"}
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class InvolvementForm(GovModelForm):
    start_date = GovDateField(label="Involved since")

    class Meta:
        model = Involvement
        fields = ["kind", "agency", "user", "name", "contact", "start_date"]
        labels = {
            "kind": "Role",
            "agency": "Agency (optional)",
            "user": "MACE user (optional)",
            "name": "Name, if they do not use MACE",
            "contact": "Contact details (optional)",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["user"].queryset = User.objects.filter(is_active=True)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not (cleaned.get("agency") or cleaned.get("user") or cleaned.get("name")):
            self.add_error("name", "Choose an agency or a MACE user, or enter a name")
        return cleaned


class ReasonForm(GovForm):
    reason = forms.CharField(
        label="Why do you need to open this record?",
        help_text="Your reason is recorded with your name and the time, and managers can see it.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why you need to open this record"},
    )


class MergeChooseForm(GovForm):
    reference = forms.CharField(
        label="Reference of the duplicate record",
        help_text="The MACE reference of the record to merge into this one, for example MC-000123",
        max_length=20,
    )


class PhotographForm(GovForm):
    """A photograph of the child (issue 20 point 3): the GOV.UK file upload, and when and by
    whom it was taken. `people.photographs` checks the file; what else was typed is kept
    when it is refused."""

    image = forms.FileField(
        label="Photograph",
        help_text="A JPG, PNG or WebP image, smaller than 10 MB. MACE keeps a copy without "
        "the file's hidden details (such as where it was taken).",
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        error_messages={
            "required": "Select a photograph to upload",
            "empty": "The selected file is empty",
            "invalid": "Select a photograph to upload",
        },
    )
    taken_on = GovDateField(label="Date the photograph was taken")
    taken_by = forms.CharField(
        label="Who took the photograph",
        help_text="For example, foster carer Sam Jones, or the school",
        max_length=200,
        error_messages={"required": "Enter who took the photograph"},
    )

    def __init__(self, *args: Any, max_mb: int = 10, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["image"].help_text = (
            f"A JPG, PNG or WebP image, smaller than {max_mb} MB. MACE keeps a copy without "
            "the file's hidden details (such as where it was taken)."
        )


class DescriptionForm(GovModelForm):
    """How the child looks and what they wore when last seen (issue 20 point 3)."""

    clothing_seen_on = GovDateField(label="Date last seen in these clothes", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ChildDescription
        fields = list(DESCRIPTION_FIELDS)
        labels = {
            "height": "Height",
            "build": "Build",
            "hair": "Hair",
            "eyes": "Eyes",
            "distinguishing_marks": "Distinguishing marks",
            "clothing": "Clothing when last seen",
        }
        widgets = {
            "height": forms.TextInput(attrs={"class": "govuk-input--width-10"}),
            "distinguishing_marks": forms.Textarea(attrs={"rows": 3}),
            "clothing": forms.Textarea(attrs={"rows": 3}),
        }


class PhotographRemoveForm(GovForm):
    """Why a photograph comes off the record (issue 20 point 3): kept in the audit trail."""

    reason = forms.CharField(
        label="Why is the photograph being removed?",
        help_text="For example, it is of another child, or it was uploaded by mistake. The "
        "reason is kept in the record's history; the photograph is not.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=PHOTOGRAPH_REMOVAL_REASON_MAX,
        error_messages={
            "required": "Enter why the photograph is being removed",
            "max_length": "The reason must be "
            f"{PHOTOGRAPH_REMOVAL_REASON_MAX:,} characters or fewer",
        },
    )

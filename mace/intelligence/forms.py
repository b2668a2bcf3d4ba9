"""Forms for recording intelligence (SPEC C5). They check what is typed; the services in
intelligence.services hold the rules."""

from typing import Any

from django import forms

from mace.frontend.forms import GovDateField, GovForm
from mace.intelligence.models import AgeGroup, Confidence, Link, Location
from mace.people.models import Gender

Kind = Link.Kind

# The kinds of link that make sense for each pair the form can make.
KINDS_FOR_TARGET: dict[str, list[str]] = {
    "child": [Kind.PEER, Kind.ASSOCIATE, Kind.MISSING_TOGETHER, Kind.OTHER],
    "person": [Kind.EXPLOITER, Kind.ASSOCIATE, Kind.PEER, Kind.OTHER],
    "location": [Kind.SEEN_AT, Kind.LIVES_AT, Kind.OTHER],
}
TARGET_LABELS = {
    "child": "Another child",
    "person": "A person of concern",
    "location": "A location or hotspot",
}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class PersonForm(GovForm):
    first_name = forms.CharField(max_length=100, required=False)
    last_name = forms.CharField(max_length=100, required=False)
    nicknames = forms.CharField(
        label="Nicknames and street names",
        max_length=300,
        required=False,
        help_text="Separate them with commas. A person needs a name or a nickname.",
    )
    date_of_birth = GovDateField(label="Date of birth", required=False)
    age_group = forms.ChoiceField(
        label="Age group",
        choices=AgeGroup.choices,
        required=False,
        help_text="If the date of birth is not known",
    )
    gender = forms.ChoiceField(choices=Gender.choices, initial=Gender.UNKNOWN)
    phones = forms.CharField(
        label="Phone numbers",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="One on each line",
    )
    vehicles = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="One on each line: the registration, a comma, then make, model and colour. "
        "For example, AB12 CDE, silver Audi A3",
    )
    online_identities = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="One on each line: the platform, a colon, then the name used. "
        "For example, Snapchat: smokey_b",
    )
    addresses = forms.CharField(
        label="Known addresses",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="One on each line",
    )
    organised_crime_groups = forms.CharField(
        label="Links to organised crime groups",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Group names, one on each line",
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def clean_vehicles(self) -> list[tuple[str, str]]:
        vehicles = []
        for line in _lines(self.cleaned_data["vehicles"]):
            registration, _, description = line.partition(",")
            if not registration.strip():
                raise forms.ValidationError(
                    f"Start the line “{line}” with the registration, then a comma"
                )
            vehicles.append((registration.strip(), description.strip()))
        return vehicles

    def clean_online_identities(self) -> list[tuple[str, str]]:
        identities = []
        for line in _lines(self.cleaned_data["online_identities"]):
            platform, colon, handle = line.partition(":")
            if not colon or not platform.strip() or not handle.strip():
                raise forms.ValidationError(
                    f"Write the line “{line}” as the platform, a colon, then the name used"
                )
            identities.append((platform.strip(), handle.strip()))
        return identities

    def clean_phones(self) -> list[str]:
        phones = _lines(self.cleaned_data["phones"])
        for phone in phones:
            if sum(ch.isdigit() for ch in phone) < 6:
                raise forms.ValidationError(f"“{phone}” is not a phone number: check the digits")
        return phones

    def service_arguments(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class LocationForm(GovForm):
    name = forms.CharField(
        max_length=200, help_text="What practitioners call it, for example the name of a venue"
    )
    kind = forms.ChoiceField(
        label="What kind of place is it?", choices=Location.Kind.choices, widget=forms.RadioSelect
    )
    address = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    postcode = forms.CharField(max_length=10, required=False)
    is_hotspot = forms.BooleanField(
        label="This is a hotspot: a place where children are at risk of exploitation",
        required=False,
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)


class LinkFindForm(GovForm):
    """Step one of making a link: what to link to, and words to find it by."""

    target = forms.ChoiceField(label="Link to", widget=forms.RadioSelect, choices=[])
    query = forms.CharField(
        label="Find by",
        max_length=100,
        help_text="A name, nickname, MACE reference, phone number, vehicle registration "
        "or postcode",
    )

    def __init__(self, *args: Any, targets: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(t, TARGET_LABELS[t]) for t in targets]
        if len(targets) == 1:
            field.initial = targets[0]


class LinkDetailsForm(GovForm):
    """Step two: which of the matches, and the link's kind, source, date and confidence."""

    match = forms.ChoiceField(label="Which one?", widget=forms.RadioSelect, choices=[])
    kind = forms.ChoiceField(label="How are they linked?", widget=forms.RadioSelect, choices=[])
    source = forms.CharField(
        max_length=300,
        help_text="Where this comes from, for example a return interview or a police report",
    )
    observed_on = GovDateField(label="When was this seen or reported?")
    confidence = forms.ChoiceField(
        label="How sure is it?", choices=Confidence.choices, widget=forms.RadioSelect
    )

    def __init__(
        self, *args: Any, target: str, matches: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        match = self.fields["match"]
        kind = self.fields["kind"]
        assert isinstance(match, forms.ChoiceField)
        assert isinstance(kind, forms.ChoiceField)
        match.choices = matches
        labels = dict(Kind.choices)
        kind.choices = [(k, labels[k]) for k in KINDS_FOR_TARGET[target]]


class NoteForm(GovForm):
    text = forms.CharField(
        label="What is known", widget=forms.Textarea(attrs={"rows": 6}), max_length=10000
    )
    source = forms.CharField(
        max_length=300, help_text="Who or what it comes from, and how reliable it is"
    )


class SearchForm(GovForm):
    query = forms.CharField(
        label="Find a person of concern or a place",
        max_length=100,
        help_text="A name, nickname, phone number, vehicle registration, online name, "
        "place name or postcode",
    )

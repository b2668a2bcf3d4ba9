"""Forms of the education pages. They check what is typed; the services hold the rules."""

from typing import Any

from django import forms
from django.utils import timezone

from mace.education.calendar import TERM_NAMES, school_year_of, term_label
from mace.education.models import (
    CMECase,
    CMECheck,
    CMEOutcome,
    CMEReason,
    DeletionGround,
    MissingOutReason,
)
from mace.frontend.forms import GovDateField, GovForm
from mace.people.models import Gender, validate_date_of_birth

UPLOAD_HELP = "A CSV file saved as 'CSV UTF-8', at most 2 MB"


def term_choices() -> list[tuple[str, str]]:
    this = school_year_of(timezone.localdate())
    labels = [term_label(year, name) for year in (this - 1, this) for name in TERM_NAMES]
    return [(label, label) for label in labels]


class ChildDetailsForm(GovForm):
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    date_of_birth = GovDateField(label="Date of birth", validators=[validate_date_of_birth])
    gender = forms.ChoiceField(choices=Gender.choices, widget=forms.RadioSelect)


class NotifyForm(GovForm):
    school = forms.CharField(label="School or provision", max_length=200)
    reason = forms.ChoiceField(
        label="Why the child is thought to be missing education",
        choices=CMEReason.choices,
        widget=forms.RadioSelect,
    )
    deletion_ground = forms.ChoiceField(
        label="Ground on which the school plans to delete the pupil from its roll (optional)",
        choices=[("", "None given"), *DeletionGround.choices],
        required=False,
    )
    absent_since = GovDateField(
        label="First day of absence or of missing education",
        help_text="For example, 14 9 2026",
    )
    notified_on = GovDateField(
        label="Date the school notified (leave empty if it has not yet)", required=False
    )
    destination = forms.ChoiceField(
        label="Is the child's destination known?",
        choices=CMECase.Destination.choices,
        widget=forms.RadioSelect,
    )
    destination_detail = forms.CharField(
        label="What is known of where the child has gone",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )


class NotifyNewChildForm(ChildDetailsForm, NotifyForm):
    """A notification for a child not yet chosen: MACE finds the record, or makes one."""


class CaseUpdateForm(GovForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    notified_on = GovDateField(label="Date the school notified", required=False)
    destination = forms.ChoiceField(
        label="Is the child's destination known?",
        choices=CMECase.Destination.choices,
        widget=forms.RadioSelect,
    )
    destination_detail = forms.CharField(
        label="What is known of where the child has gone",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
    enquiries_completed_on = GovDateField(label="Reasonable enquiries completed", required=False)
    rejected_applications = forms.IntegerField(
        label="School applications rejected", min_value=0, max_value=50
    )
    third_rejection_on = GovDateField(label="Date of the third rejection", required=False)
    fap_referred_on = GovDateField(label="Referred to the Fair Access Panel", required=False)
    csc_referred_on = GovDateField(
        label="Inter-agency referral to children's social care", required=False
    )


class CheckForm(GovForm):
    kind = forms.ChoiceField(
        label="Check made", choices=CMECheck.Kind.choices, widget=forms.RadioSelect
    )
    checked_on = GovDateField(label="Date of the check")
    result = forms.ChoiceField(
        label="Result", choices=CMECheck.Result.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="Note", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )


class CloseForm(GovForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label="Outcome", choices=CMEOutcome.choices, widget=forms.RadioSelect
    )
    outcome_detail = forms.CharField(
        label="Details (school, authority or country)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
    closed_on = GovDateField(label="Date resolved")


class UploadForm(GovForm):
    file = forms.FileField(label="Notifications file", help_text=UPLOAD_HELP)


class ReturnUploadForm(GovForm):
    school = forms.CharField(max_length=200)
    term = forms.ChoiceField(choices=[])
    received_on = GovDateField(label="Date received")
    file = forms.FileField(label="Return file", help_text=UPLOAD_HELP)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].choices = term_choices()  # type: ignore[attr-defined]


class EntryForm(ChildDetailsForm):
    school = forms.CharField(max_length=200)
    term = forms.ChoiceField(choices=[])
    received_on = GovDateField(label="Date received")
    reason = forms.ChoiceField(
        label="Why the pupil is not in full-time education",
        choices=MissingOutReason.choices,
        widget=forms.RadioSelect,
    )
    hours_per_week = forms.DecimalField(
        label="Hours of education a week", min_value=0, max_value=40, decimal_places=1
    )
    has_ehcp = forms.BooleanField(label="Has a statement or an EHC plan", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].choices = term_choices()  # type: ignore[attr-defined]


class ResolveForm(GovForm):
    resolution = forms.CharField(
        label="How it was resolved", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    resolved_on = GovDateField(label="Date resolved")


class TermForm(GovForm):
    school_year = forms.IntegerField(
        label="School year starting in",
        min_value=2000,
        max_value=2100,
        help_text="2026 for 2026-27",
    )
    name = forms.ChoiceField(
        label="Term", choices=[(n, n.title()) for n in TERM_NAMES], widget=forms.RadioSelect
    )
    start = GovDateField(label="First day of term")
    end = GovDateField(label="Last day of term")
    half_term_start = GovDateField(label="First day of half-term", required=False)
    half_term_end = GovDateField(label="Last day of half-term", required=False)

"""Forms of the safe-and-well and return home interview pages (SPEC C3, 003 §21-26, A4)."""

from typing import Any

from django import forms
from django.db.models import Q

from mace.access import policy
from mace.accounts.models import Agency, User
from mace.frontend.forms import GovDateTimeField, GovForm, GovScaleField
from mace.interviews.models import InterviewOffer, InterviewTheme

YES_NO_UNKNOWN = [("", "Not known"), ("true", "Yes"), ("false", "No")]
NOT_OFFERED_REASON_NEEDED = "Enter why the health assessment has not been offered"


def _yes_no(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO_UNKNOWN,
        coerce=lambda v: v == "true",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class SafeAndWellForm(GovForm):
    conducted_at = GovDateTimeField(label="Safe-and-well interview held")
    harm_suffered = forms.BooleanField(label="The child has suffered harm", required=False)
    offences_disclosed = forms.BooleanField(
        label="Offending by or against the child was disclosed", required=False
    )
    where_been = forms.CharField(
        label="Where and with whom they have been",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    findings = forms.CharField(
        label="Findings to share with children's social care",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    further_police_action = forms.CharField(
        label="Further police action (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReferralForm(GovForm):
    worker = forms.ModelChoiceField(
        label="Interview worker (optional)",
        queryset=User.objects.none(),
        required=False,
        help_text="Leave empty for the provider to allocate",
    )
    provider = forms.ModelChoiceField(
        label="Nominate a different provider (managers only, optional)",
        queryset=Agency.objects.none(),
        required=False,
        help_text="Leave empty to use the provider the rules choose (003 §21-24)",
    )
    nominated_reason = forms.CharField(
        label="Why another professional should do the interview (003 §25)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = policy.interview_workers()  # type: ignore[attr-defined]
        self.fields["provider"].queryset = Agency.objects.filter(is_active=True)  # type: ignore[attr-defined]


class OfferForm(GovForm):
    offered_at = GovDateTimeField(label="Offered")
    method = forms.CharField(label="How (optional)", required=False, help_text="Visit, phone, text")
    response = forms.ChoiceField(
        label="Response",
        choices=InterviewOffer.Response.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the child's response"},
    )
    consent_given_by = forms.CharField(label="Consent given by (optional)", required=False)
    refusal_safeguarding_considered = forms.CharField(
        label="If refused: is this a safeguarding concern, and what will be done?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    notes = forms.CharField(
        label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def _scale(label: str, feeling: str) -> GovScaleField:
    return GovScaleField(
        label=f"{label} (optional)", low=f"Not {feeling} at all", high=f"Completely {feeling}"
    )


class InterviewRecordForm(GovForm):
    completed_at = GovDateTimeField(
        label="Interview held",
        help_text="On or after the time the child was found or returned. For example, "
        "27/3/2026 14:30 (24-hour clock)",
    )
    childs_account = forms.CharField(
        label="The child's account",
        help_text="Leading up to going missing, while missing and since returning, in their words",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter the child's account"},
    )
    parents_views = forms.CharField(
        label="Parents' or carers' views", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    interviewer_analysis = forms.CharField(
        label="Your analysis and next steps",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    safe_before = _scale("How safe they felt before going missing", "safe")
    safe_while_missing = _scale("How safe they felt while missing", "safe")
    safe_since = _scale("How safe they feel since returning", "safe")
    happy_before = _scale("How happy they felt before going missing", "happy")
    happy_while_missing = _scale("How happy they felt while missing", "happy")
    happy_since = _scale("How happy they feel since returning", "happy")
    harmed = _yes_no("Were they harmed?")
    victim_of_crime = _yes_no("Were they a victim of crime?")
    perpetrator_of_crime = _yes_no("Did they commit a crime while missing?")
    harboured_where_by_whom = forms.CharField(
        label="Where, and by whom, they were harboured",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    information_to_find_next_time = forms.CharField(
        label="Information to help find them next time",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    health_assessment_offered = _yes_no("Health assessment offered? (003 §16, §26)")
    health_assessment_not_offered_reason = forms.CharField(
        label="If not, why not",
        help_text="Needed when the answer is No. The health assessment item stays open until "
        "it is offered.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    sexual_health_referral = _yes_no("Referred to the sexual health advisor?")
    referrals_made = forms.CharField(
        label="Other referrals made", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    themes = forms.ModelMultipleChoiceField(
        label="What the child told us: themes (optional)",
        help_text="Tick each theme the child spoke about. Themes are counted each quarter, "
        "without names, for the monitoring meeting and the dataset",
        queryset=InterviewTheme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The themes in use, and any retired one this interview is already coded with (so
        # saving the form again keeps it).
        held = (self.initial or {}).get("themes") or []
        self.fields["themes"].queryset = InterviewTheme.objects.filter(  # type: ignore[attr-defined]
            Q(retired_at__isnull=True) | Q(pk__in=held)
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        reason = (data.get("health_assessment_not_offered_reason") or "").strip()
        if data.get("health_assessment_offered") is False and not reason:
            self.add_error("health_assessment_not_offered_reason", NOT_OFFERED_REASON_NEEDED)
        return data

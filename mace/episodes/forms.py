from typing import Any

from django import forms

from mace.access import policy
from mace.accounts.models import User
from mace.episodes.factors import PULL_FACTORS, PushPullFactor
from mace.episodes.models import (
    EpisodeKind,
    EpisodeNotification,
    MissingFrom,
    ReturnMethod,
    RiskGrade,
)
from mace.frontend.forms import GovDateField, GovDateTimeField, GovForm
from mace.meetings.models import MeetingAction, StrategyMeeting

FACTOR_CHOICES = [
    (f.value, f"{'Pull' if f in PULL_FACTORS else 'Push'}: {f.label}") for f in PushPullFactor
]


class EpisodeReportForm(GovForm):
    kind = forms.ChoiceField(
        label="Is the child missing, or away without authorisation?",
        choices=EpisodeKind.choices,
        widget=forms.RadioSelect,
        help_text="Away: a looked-after child whose whereabouts are known but not agreed",
        error_messages={"required": "Select missing or away without authorisation"},
    )
    missing_from = forms.ChoiceField(
        label="Missing from",
        choices=MissingFrom.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the child is missing from"},
    )
    absconded = forms.BooleanField(
        label="Left on purpose without notice (absconded)", required=False
    )
    last_seen_at = GovDateTimeField(label="Last seen")
    last_seen_location = forms.CharField(label="Where last seen (optional)", required=False)
    reported_at = GovDateTimeField(
        label="Reported to police (optional)",
        required=False,
        help_text="Leave empty for now. For example, 27/3/2026 14:30",
    )
    reported_by = forms.CharField(label="Reported by (optional)", required=False)
    police_reference = forms.CharField(label="Police reference (optional)", required=False)
    risk_grade = forms.ChoiceField(
        label="Police risk grade",
        choices=[("", "Not graded yet"), *RiskGrade.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    circumstances = forms.CharField(
        label="Circumstances", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    with_children = forms.CharField(
        label="Missing with other children (optional)",
        help_text="Their MACE references, one on each line",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    with_others = forms.CharField(
        label="With adults or others (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    push_pull_factors = forms.MultipleChoiceField(
        label="Push and pull factors known so far (optional)",
        choices=FACTOR_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, may_grade: bool = True, **kwargs: Any) -> None:
        """`may_grade`: whether the user may grade police risk
        (policy.can_grade_police_risk); if not, the form has no risk grade to fill."""
        super().__init__(*args, **kwargs)
        if not may_grade:
            del self.fields["risk_grade"]

    def references(self) -> list[str]:
        text: str = self.cleaned_data.get("with_children", "")
        return [line.strip() for line in text.splitlines() if line.strip()]


class EpisodeReturnForm(GovForm):
    returned_at = GovDateTimeField(label="Found or returned")
    return_method = forms.ChoiceField(
        label="How",
        choices=ReturnMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the child was found or returned"},
    )
    found_by = forms.CharField(label="Found by (optional)", required=False)
    found_location = forms.CharField(label="Where found (optional)", required=False)
    where_been = forms.CharField(
        label="Where they had been (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    who_with_while_missing = forms.CharField(
        label="Who they had been with (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    unsafe_to_return_home = forms.BooleanField(
        label="It may be unsafe for the child to return home (003 §5)", required=False
    )
    push_pull_factors = forms.MultipleChoiceField(
        label="Push and pull factors",
        choices=FACTOR_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class EpisodeEditForm(GovForm):
    kind = EpisodeReportForm.base_fields["kind"]
    missing_from = EpisodeReportForm.base_fields["missing_from"]
    absconded = EpisodeReportForm.base_fields["absconded"]
    last_seen_at = GovDateTimeField(label="Last seen")
    last_seen_location = forms.CharField(label="Where last seen (optional)", required=False)
    reported_at = GovDateTimeField(label="Reported to police")
    reported_by = forms.CharField(label="Reported by (optional)", required=False)
    police_reference = forms.CharField(label="Police reference (optional)", required=False)
    circumstances = forms.CharField(
        label="Circumstances", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    with_others = forms.CharField(
        label="With adults or others (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class RiskGradeForm(GovForm):
    grade = forms.ChoiceField(
        label="Police risk grade",
        choices=RiskGrade.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the police risk grade"},
    )
    reason = forms.CharField(
        label="Reason (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class NotificationForm(GovForm):
    recipient = forms.ChoiceField(
        label="Who was told",
        choices=[c for c in EpisodeNotification.Recipient.choices if c[0] != "allocated_worker"],
        widget=forms.RadioSelect,
        error_messages={"required": "Select who was told"},
    )
    stage = forms.ChoiceField(
        label="About", choices=EpisodeNotification.Stage.choices, widget=forms.RadioSelect
    )
    notified_at = GovDateTimeField(label="When they were told", required=False)
    method = forms.CharField(label="How (optional)", required=False)
    not_notified_reason = forms.CharField(
        label="Or: why it was not appropriate to tell them",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HealthAssessmentForm(GovForm):
    """T12 (003 §16): the offer of a health assessment, whoever arranges the interview."""

    offered = forms.TypedChoiceField(
        label="Has the child been offered a health assessment?",
        choices=[("true", "Yes"), ("false", "No")],
        coerce=lambda v: v == "true",
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if the health assessment has been offered"},
    )
    not_offered_reason = forms.CharField(
        label="If not, why not",
        help_text="Needed when it has not been offered. The item stays open until it is.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("offered") is False and not (data.get("not_offered_reason") or "").strip():
            self.add_error(
                "not_offered_reason", "Enter why the health assessment has not been offered"
            )
        return data


ACTION_ROWS = 3


class StrategyMeetingForm(GovForm):
    reason = forms.ChoiceField(
        label="Why the meeting was held",
        choices=StrategyMeeting.Reason.choices,
        widget=forms.RadioSelect,
    )
    held_at = GovDateTimeField(label="Held")
    attendees = forms.CharField(
        label="Attendees",
        help_text="Name, role and agency, one on each line",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    information_shared = forms.CharField(
        label="Information shared", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    s47_enquiry = forms.TypedChoiceField(
        label="Is the threshold for a section 47 enquiry met?",
        choices=[("true", "Yes"), ("false", "No")],
        coerce=lambda v: v == "true",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the section 47 threshold is met"},
    )
    decision_notes = forms.CharField(
        label="Decision and reasons", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    safety_plan = forms.CharField(
        label="Safety plan", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    follow_up_date = GovDateField(label="Follow-up meeting (optional)", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Actions are owned by those who work with children's records (SPEC section 1).
        owners = User.objects.filter(is_active=True).exclude(role__in=policy.NO_CHILD_RECORDS)
        for n in range(1, ACTION_ROWS + 1):
            self.fields[f"action_{n}_heading"] = forms.ChoiceField(
                label=f"Action {n}: heading",
                choices=[("", "No action"), *MeetingAction.Heading.choices],
                required=False,
            )
            self.fields[f"action_{n}_description"] = forms.CharField(
                label=f"Action {n}: what", required=False
            )
            self.fields[f"action_{n}_owner"] = forms.ModelChoiceField(
                label=f"Action {n}: owner", queryset=owners, required=False
            )
            self.fields[f"action_{n}_due_date"] = GovDateField(
                label=f"Action {n}: due", required=False
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for n in range(1, ACTION_ROWS + 1):
            if cleaned.get(f"action_{n}_heading"):
                for part, message in (
                    ("description", "Enter what action {n} is"),
                    ("owner", "Choose who owns action {n}"),
                    ("due_date", "Enter when action {n} is due"),
                ):
                    if not cleaned.get(f"action_{n}_{part}"):
                        self.add_error(f"action_{n}_{part}", message.format(n=n))
        return cleaned


class SupervisionForm(GovForm):
    held_on = GovDateField(label="Supervision held on")
    notes = forms.CharField(
        label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

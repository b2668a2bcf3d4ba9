from typing import Any

from django import forms

from mace.access import policy
from mace.accounts.models import Agency, User
from mace.episodes.factors import PULL_FACTORS, PushPullFactor
from mace.episodes.models import (
    EpisodeKind,
    EpisodeNotification,
    MissingFrom,
    ReturnMethod,
    RiskGrade,
)
from mace.frontend.forms import GovDateField, GovDateTimeField, GovForm
from mace.interviews.models import InterviewOffer
from mace.meetings.models import MeetingAction, StrategyMeeting

FACTOR_CHOICES = [
    (f.value, f"{'Pull' if f in PULL_FACTORS else 'Push'}: {f.label}") for f in PushPullFactor
]
YES_NO_UNKNOWN = [("", "Not known"), ("true", "Yes"), ("false", "No")]


def _yes_no(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO_UNKNOWN,
        coerce=lambda v: v == "true",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


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


def _scale(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=10,
        required=False,
        help_text="0 to 10",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-2"}),
    )


class InterviewRecordForm(GovForm):
    completed_at = GovDateTimeField(label="Interview held")
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
    safe_before = _scale("How safe they felt before going missing")
    safe_while_missing = _scale("How safe they felt while missing")
    safe_since = _scale("How safe they feel since returning")
    happy_before = _scale("How happy they felt before going missing")
    happy_while_missing = _scale("How happy they felt while missing")
    happy_since = _scale("How happy they feel since returning")
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
    sexual_health_referral = _yes_no("Referred to the sexual health advisor?")
    referrals_made = forms.CharField(
        label="Other referrals made", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


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

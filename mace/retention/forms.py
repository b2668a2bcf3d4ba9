from typing import Any

from django import forms

from mace.frontend.forms import GovDateField, GovForm


class DecisionForm(GovForm):
    DELETE = "delete"
    KEEP = "keep"
    LATER = "later"

    decision = forms.ChoiceField(
        label="Decision",
        choices=[
            (DELETE, "Delete the record"),
            (KEEP, "Keep it, for a reason, until a next review"),
            (LATER, "Review it later"),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason for keeping it",
        help_text="Needed to keep it",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    next_review_on = GovDateField(
        label="Date of the next review",
        required=False,
        help_text="Needed to keep it or review it later. For example, 27 3 2027",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decision = data.get("decision")
        if decision == self.KEEP and not (data.get("reason") or "").strip():
            self.add_error("reason", "Enter the reason for keeping the record")
        wants_date = decision in (self.KEEP, self.LATER) and not data.get("next_review_on")
        if wants_date and "next_review_on" not in self.errors:
            self.add_error("next_review_on", "Enter the date of the next review")
        return data


class PurgeForm(GovForm):
    reason = forms.CharField(
        label="Reason for deleting it",
        help_text="Kept in the audit trail after the record is gone: do not name the child or "
        "give their date of birth or reference",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    confirm = forms.BooleanField(
        label="I understand that this deletes everything listed above and cannot be undone",
        error_messages={"required": "Confirm that you understand the record cannot be restored"},
    )

from typing import Any

from django import forms

from mace.audit.models import AuditEvent
from mace.frontend.forms import GovForm


class AuditSearchForm(GovForm):
    child = forms.CharField(
        label="Child (optional)",
        help_text="MACE reference (for example MC-000123) or public id",
        required=False,
        max_length=200,
    )
    username = forms.CharField(label="Username (optional)", required=False, max_length=150)
    action = forms.ChoiceField(
        label="What they did (optional)",
        choices=[("", "Anything"), *AuditEvent.Action.choices],
        required=False,
    )
    date_from = forms.DateField(
        label="From (optional)",
        help_text="For example, 27/3/2026",
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
    )
    date_to = forms.DateField(
        label="To (optional)",
        help_text="For example, 31/3/2026",
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
    )

    def __init__(self, *args: Any, by_name: bool = False, **kwargs: Any) -> None:
        """`by_name`: whether this user may search by a child's name
        (`policy.can_search_audit_by_child_name`)."""
        super().__init__(*args, **kwargs)
        if by_name:
            self.fields["child"].help_text = "MACE reference, public id or name"

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if not (cleaned.get("child") or cleaned.get("username")):
            raise forms.ValidationError("Enter a child or a username to search the audit trail")
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must be on or after the start date")
        return cleaned

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from mace.frontend.forms import GovDateField, GovForm
from mace.reports import suppression
from mace.reports.annual import Period


class AnnualForm(GovForm):
    """The period of the annual report. `anonymised`: for those who get only suppressed
    figures (policy.sees_unsuppressed_report_figures), who may not choose any period and
    have nothing to choose about publication."""

    start = GovDateField(label="From (the first day counted)")
    end = GovDateField(label="To (the last day counted)")
    publish = forms.BooleanField(label="For publication: suppress numbers under 5", required=False)

    def __init__(self, *args: Any, anonymised: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.anonymised = anonymised
        if anonymised:
            del self.fields["publish"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, datetime.date) and isinstance(end, datetime.date):
            if end < start:
                raise ValidationError({"end": "The last day must be on or after the first day"})
            problem = suppression.period_problem(Period(start, end)) if self.anonymised else None
            if problem:
                raise ValidationError({"start": problem})
        return data

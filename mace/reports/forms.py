import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from mace.frontend.forms import GovDateField, GovForm


class AnnualForm(GovForm):
    start = GovDateField(label="From (the first day counted)")
    end = GovDateField(label="To (the last day counted)")
    publish = forms.BooleanField(label="For publication: suppress numbers under 5", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, datetime.date) and isinstance(end, datetime.date) and end < start:
            raise ValidationError({"end": "The last day must be on or after the first day"})
        return data

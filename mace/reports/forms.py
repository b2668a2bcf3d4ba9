import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from mace.frontend.forms import GovDateField, GovForm
from mace.reports import narrative, suppression
from mace.reports.annual import Period


class AnnualForm(GovForm):
    """The period of the annual report. `anonymised`: for those who get only suppressed
    figures (policy.sees_unsuppressed_report_figures), who may not choose any period and
    have nothing to choose about publication."""

    start = GovDateField(
        label="From (the first day counted)",
        error_messages={"required": "Enter the first day of the period"},
    )
    end = GovDateField(
        label="To (the last day counted)",
        error_messages={"required": "Enter the last day of the period"},
    )
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


def collection_years(today: datetime.date, count: int = 5) -> list[int]:
    """The SSDA903 collection years that have ended (each runs 1 April to 31 March), the
    latest first, and the one in progress before them."""
    current = today.year + 1 if today.month > 3 else today.year
    return [current - n for n in range(count + 1)]


class SSDA903Form(GovForm):
    """The collection year of the SSDA903 return, by the 31 March it ends on."""

    prefix = "ssda903"
    year = forms.TypedChoiceField(label="Collection year", coerce=int)

    def __init__(self, *args: Any, today: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [
            (year, f"1 April {year - 1} to 31 March {year}") for year in collection_years(today)
        ]
        field.error_messages["invalid_choice"] = "Choose a collection year from the list"
        field.error_messages["required"] = "Choose a collection year"


class AnnexAForm(GovForm):
    """The day Annex A list 8 looks back from: the children in care on it."""

    prefix = "annex"
    on = GovDateField(label="Children in care on")


class SSDForm(GovForm):
    """The period of the Standard Safeguarding Dataset's missing episodes."""

    prefix = "ssd"
    start = GovDateField(
        label="Episodes from (the first day counted)",
        error_messages={"required": "Enter the first day of the period"},
    )
    end = GovDateField(
        label="To (the last day counted)",
        error_messages={"required": "Enter the last day of the period"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, datetime.date) and isinstance(end, datetime.date) and end < start:
            raise ValidationError({"end": "The last day must be on or after the first day"})
        return data


class NarrativeForm(GovForm):
    """The annual report's narrative: a box for each section, in the report's order
    (`narrative.SECTIONS`), each optional, with a character count."""

    HINTS = {
        narrative.INTRODUCTION: "Before the figures: what the report is for and the year in brief",
        narrative.CONCLUSIONS: "After the figures: what the partnership concludes and recommends",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, heading in narrative.SECTIONS.items():
            long = key in (narrative.INTRODUCTION, narrative.CONCLUSIONS)
            self.fields[key] = forms.CharField(
                label=heading,
                required=False,
                max_length=narrative.MAX_CHARACTERS,
                strip=False,
                help_text=self.HINTS.get(key, f"Under the figures of “{heading}”"),
                widget=forms.Textarea(attrs={"rows": 6 if long else 4}),
            )

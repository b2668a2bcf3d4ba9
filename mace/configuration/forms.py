"""The settings pages' forms, made from the registry: one field a setting of the group.

The fields take what is typed as it is; the service checks every value (`domain.py`) and
its errors are shown on the field they name, so the pages and the service agree."""

import datetime
from typing import Any

from django import forms

from mace.configuration.registry import (
    GRADES,
    WEEKDAYS,
    WHOLE_NUMBERS,
    Definition,
    Kind,
    in_group,
    unit,
)
from mace.frontend.forms import GovDateField, GovForm


def _field(definition: Definition, agencies: list[str]) -> forms.Field:
    label = definition.label
    hint = definition.hint
    kind = definition.kind
    lowered = label[:1].lower() + label[1:]
    if kind in WHOLE_NUMBERS:
        units = unit(definition)
        return forms.CharField(
            label=f"{label} ({units})" if units else label,
            help_text=hint,
            required=False,
            widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        )
    if kind is Kind.GRADE:
        return forms.ChoiceField(
            label=label,
            help_text=hint,
            choices=GRADES.choices,
            required=False,
            widget=forms.RadioSelect,
        )
    if kind is Kind.AGENCY:
        return forms.ChoiceField(
            label=label,
            help_text=hint,
            choices=[("", "Choose an agency"), *((name, name) for name in agencies)],
            error_messages={
                "required": f"Select the provider for {lowered}",
                "invalid_choice": f"Select an agency for {lowered}",
            },
        )
    if kind is Kind.LINES:
        return forms.CharField(
            label=label, help_text=hint, required=False, widget=forms.Textarea(attrs={"rows": 5})
        )
    if kind is Kind.DATE:
        return GovDateField(label=label, help_text=hint, required=False)
    if kind is Kind.WEEKDAY:
        return forms.ChoiceField(
            label=label,
            help_text=hint,
            choices=[(str(number), day) for number, day in enumerate(WEEKDAYS)],
            required=False,
            widget=forms.RadioSelect,
        )
    if kind is Kind.TIME:
        return forms.CharField(
            label=label,
            help_text=hint,
            required=False,
            widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        )
    if kind is Kind.USERNAME:
        return forms.CharField(
            label=label,
            help_text=hint,
            required=False,
            widget=forms.TextInput(
                attrs={
                    "class": "govuk-input--width-20",
                    "autocomplete": "off",
                    "spellcheck": "false",
                }
            ),
        )
    return forms.CharField(label=label, help_text=hint, required=False)


def _initial(definition: Definition, value: Any) -> Any:
    if definition.kind is Kind.LINES:
        return "\n".join(value)
    if definition.kind is Kind.DATE:
        return datetime.date.fromisoformat(value) if value else None
    if definition.kind is Kind.WEEKDAY:
        return str(value)
    return value


class SettingsForm(GovForm):
    def __init__(
        self, *args: Any, group: str, current: dict[str, Any], agencies: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.definitions = in_group(group)
        for definition in self.definitions:
            key = definition.key.value
            self.fields[key] = _field(definition, agencies)
            self.initial[key] = _initial(definition, current[key])


class InstrumentUploadForm(GovForm):
    file = forms.FileField(
        label="Instrument file",
        help_text="A JSON file in the format below",
        error_messages={
            "required": "Select the instrument file",
            "empty": "The selected file is empty",
        },
    )
    activate = forms.BooleanField(
        label="Use it for new assessments from now on",
        required=False,
        initial=True,
    )


class InterviewThemeForm(GovForm):
    """A return-interview theme's name, to add one or rename one (issue 20 point 4)."""

    name = forms.CharField(
        label="Theme",
        max_length=120,
        help_text="What the child told us, in a few words. For example, Had no trusted adult "
        "to talk to",
        error_messages={"required": "Enter the theme"},
    )

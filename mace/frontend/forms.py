"""Form bases and fields that render as GOV.UK Design System components.

Every MACE form is a GovForm or GovModelForm (or mixes in GovFormMixin), and its page
renders it with includes/form.html and includes/error_summary.html.
"""

import datetime
from functools import cached_property
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.widgets import DateInputWidget
from django import forms
from django.core.exceptions import ValidationError


class GovFormMixin:
    """Gives a form the crispy-forms-gds helper that renders its fields as GOV.UK ones.

    The helper renders the fields only: includes/form.html writes the <form> tag, the CSRF
    token and the button. It is made on first use, when the form is rendered, so fields a
    form adds or changes in its own __init__ are laid out too. A form that needs its own
    layout sets it in __init__: `self.helper.layout = Layout(...)`.
    """

    @cached_property
    def helper(self) -> FormHelper:
        helper = FormHelper(self)
        helper.form_tag = False
        helper.disable_csrf = True
        return helper


class GovForm(GovFormMixin, forms.Form):
    pass


class GovModelForm(GovFormMixin, forms.ModelForm):
    pass


class GovDateWidget(DateInputWidget):
    """crispy-forms-gds's GOV.UK date input (day, month and year), with a numeric keypad.

    Its template (gds/widgets/date.html) renders the labelled Day, Month and Year inputs;
    crispy-forms-gds puts them in a fieldset whose legend is the field's label.
    """

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs)
        for widget in self.widgets:
            widget.attrs["inputmode"] = "numeric"


_PARTS = ("day", "month", "year")
_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_ERROR_CLASS = "govuk-input--error"


def _month_number(text: str) -> str:
    """Accept a month written as a name ("March") or its abbreviation ("Mar", "Sept")."""
    lowered = text.lower()
    if len(lowered) >= 3:
        for number, name in enumerate(_MONTH_NAMES, start=1):
            if name.startswith(lowered):
                return str(number)
    return text


def _is_number(text: str) -> bool:
    return text.isascii() and text.isdigit()


class GovDateField(forms.MultiValueField):
    """A date asked for as day, month and year, with the GOV.UK Design System's messages.

    "27", "3", "2012" is 27 March 2012. The messages name the field by its label, as the
    Design System's date input asks: "Enter date of birth", "Date of birth must include a
    year", "Date of birth must be a real date", "Year must include 4 numbers". Each can be
    replaced through error_messages, which may use {label}, {lower_label} and {missing}.

    Only the inputs that are wrong are marked in error, and the error summary links to the
    first of them; a date that is wrong as a whole marks all three.
    """

    widget = GovDateWidget
    default_error_messages = {
        "required": "Enter {lower_label}",
        "incomplete": "{label} must include a {missing}",
        "invalid": "{label} must be a real date",
        "year_digits": "Year must include 4 numbers",
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "For example, 27 3 2012")
        fields = (
            forms.CharField(label="Day"),
            forms.CharField(label="Month"),
            forms.CharField(label="Year"),
        )
        super().__init__(fields=fields, **kwargs)

    def clean(self, value: Any) -> datetime.date | None:
        if self.disabled and not isinstance(value, list | tuple):
            value = self.widget.decompress(value)
        texts = [str(part).strip() if part is not None else "" for part in value or ()]
        day, month, year = [*texts, "", "", ""][:3]
        month = _month_number(month)
        self._clear_errors()

        missing = [i for i, text in enumerate((day, month, year)) if not text]
        if len(missing) == 3:
            if self.required:
                raise self._error("required", parts=[0, 1, 2])
            return None
        if missing:
            names = " and ".join(_PARTS[i] for i in missing)
            raise self._error("incomplete", parts=missing, missing=names)
        not_numbers = [i for i, text in enumerate((day, month, year)) if not _is_number(text)]
        if not_numbers:
            raise self._error("invalid", parts=not_numbers)
        if len(year) != 4:
            raise self._error("year_digits", parts=[2])
        try:
            out = datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise self._error("invalid", parts=[0, 1, 2]) from None
        try:
            self.validate(out)
            self.run_validators(out)
        except ValidationError as error:
            # A real date refused by a validator (a date of birth in the future): all three
            # inputs are in error, and the summary links to the first.
            self._mark(error.messages, parts=[0, 1, 2])
            raise
        return out

    def compress(self, data_list: list[Any]) -> datetime.date | None:
        # clean() above builds the date itself and never calls this; it is here for
        # anything else that expects a MultiValueField to compress its parts.
        if not data_list:
            return None
        day, month, year = data_list
        return datetime.date(int(year), int(month), int(day))

    def _label(self) -> str:
        return str(self.label or "Date")

    def _clear_errors(self) -> None:
        for field, widget in zip(self.fields, self.widget.widgets, strict=True):
            field.widget.errors = []
            classes = widget.attrs.get("class", "").split()
            widget.attrs["class"] = " ".join(c for c in classes if c != _ERROR_CLASS)

    def _error(self, code: str, *, parts: list[int], missing: str = "") -> ValidationError:
        """The error to raise, marking the inputs at `parts` as in error.

        crispy-forms-gds links the error summary to the input whose widget carries the
        message, so only the first part in error carries it; the others get the error
        class directly.
        """
        label = self._label()
        lower_label = label if label[1:2].isupper() else label[:1].lower() + label[1:]
        message = self.error_messages[code].format(
            label=label, lower_label=lower_label, missing=missing
        )
        self._mark([message], parts=parts)
        return ValidationError(message, code=code)

    def _mark(self, messages: list[str], *, parts: list[int]) -> None:
        self.fields[parts[0]].widget.errors = messages
        for i in parts:
            widget = self.widget.widgets[i]
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {_ERROR_CLASS}".strip()


class GovDateTimeField(forms.DateTimeField):
    """A date and time typed the British way, read as Europe/London local time.

    GOV.UK has no date-and-time component; one text input with a clear example is what
    services do, and it works without JavaScript.
    """

    input_formats = [
        "%d/%m/%Y %H:%M",
        "%d/%m/%Y %H.%M",
        "%d/%m/%y %H:%M",
        "%d-%m-%Y %H:%M",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "For example, 27/3/2026 14:30 (24-hour clock)")
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
        )
        super().__init__(**kwargs)
        label = str(self.label or "the date and time").lower()
        self.error_messages["required"] = f"Enter {label}"
        self.error_messages["invalid"] = (
            f"Enter {label} as day/month/year and a 24-hour time, for example 27/3/2026 14:30"
        )

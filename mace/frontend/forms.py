"""Form bases and fields that render as GOV.UK Design System components.

Every MACE form is a GovForm or GovModelForm (or mixes in GovFormMixin), and its page
renders it with includes/form.html and includes/error_summary.html.
"""

import datetime
from functools import cached_property
from typing import Any

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.widgets import DateInputWidget
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator


def _lower_label(label: str) -> str:
    """The label as it reads inside a sentence: "(optional)" gone, first letter small
    unless the word is an abbreviation (NHS number, MACE reference)."""
    text = label.replace("(optional)", "").strip().rstrip(":?").strip()
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[:2].isupper():
        return text
    return text[:1].lower() + text[1:]


# Django's own messages, which name no field ("This field is required."): a field that
# still has one of these gets one that names it, in the GOV.UK Design System's words.
_DJANGO_DEFAULTS = {
    "This field is required.",
    "Select a valid choice. %(value)s is not one of the available choices.",
    "Select a valid choice. That choice is not one of the available choices.",
    "Enter a whole number.",
    "Enter a number.",
    "Enter a valid time.",
    "Enter a valid email address.",
    "Enter a list of values.",
}
_CHOOSE = (forms.ChoiceField, forms.ModelChoiceField, forms.ModelMultipleChoiceField)
_EMPTY_LABEL = "---------"
CHOOSE_PROMPT = "Choose one"


def name_the_field(field: forms.Field, name: str) -> None:
    """Error messages that say which field and what to do ("Enter what was discussed",
    "Select the agency"), never Django's defaults; "Choose one" rather than "---------"
    as a select's empty choice; character limits said in words (issue 19 point 5). A form's
    own messages are kept."""
    label = _lower_label(str(field.label or name.replace("_", " ")))
    choose = isinstance(field, _CHOOSE)
    ours = {
        "required": f"{'Select' if choose else 'Enter'} {label}",
        "invalid_choice": f"Select {label}: the choice sent is not one of those offered",
        "invalid_list": f"Select {label}: the choices sent are not among those offered",
        "invalid": f"Enter {label} in the right form",
    }
    if isinstance(field, forms.IntegerField):
        ours["invalid"] = f"Enter {label} as a whole number, like 12"
    elif isinstance(field, forms.DecimalField | forms.FloatField):
        ours["invalid"] = f"Enter {label} as a number, like 1.5"
    elif isinstance(field, forms.EmailField):
        ours["invalid"] = "Enter an email address in the correct format, like name@example.org"
    elif isinstance(field, forms.TimeField):
        ours["invalid"] = f"Enter {label} as a time on the 24-hour clock, like 14:30"
    elif isinstance(field, forms.BooleanField):
        ours["required"] = f"Confirm {label}"
    for code, message in list(field.error_messages.items()):
        if str(message) in _DJANGO_DEFAULTS and code in ours:
            field.error_messages[code] = ours[code]
    if getattr(field, "empty_label", None) == _EMPTY_LABEL:
        field.empty_label = CHOOSE_PROMPT  # type: ignore[attr-defined]
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        choices = list(field.choices)  # type: ignore[arg-type]
        if any(text == _EMPTY_LABEL for _value, text in choices):
            field.choices = [
                (value, CHOOSE_PROMPT if text == _EMPTY_LABEL else text) for value, text in choices
            ]
    capital = label[:1].upper() + label[1:]
    field.validators = [_limit_in_words(validator, capital) for validator in field.validators]


def _limit_in_words(validator: Any, label: str) -> Any:
    if type(validator) is MaxLengthValidator:
        return MaxLengthValidator(
            validator.limit_value,
            message=f"{label} must be {validator.limit_value:,} characters or fewer "
            "(it has %(show_value)d)",
        )
    if type(validator) is MinValueValidator and not callable(validator.limit_value):
        return MinValueValidator(
            validator.limit_value, message=f"{label} must be {validator.limit_value} or more"
        )
    if type(validator) is MaxValueValidator and not callable(validator.limit_value):
        return MaxValueValidator(
            validator.limit_value, message=f"{label} must be {validator.limit_value} or less"
        )
    return validator


class GovFormMixin:
    """Gives a form the crispy-forms-gds helper that renders its fields as GOV.UK ones, and
    messages that name each field (`name_the_field`).

    The helper renders the fields only: includes/form.html writes the <form> tag, the CSRF
    token and the button. It is made on first use, when the form is rendered, so fields a
    form adds or changes in its own __init__ are laid out too. A form that needs its own
    layout sets it in __init__: `self.helper.layout = Layout(...)`. Likewise the messages
    are named when the form is first cleaned or rendered, after the form's own __init__.
    """

    fields: dict[str, forms.Field]

    def full_clean(self) -> None:
        self._name_fields()
        super().full_clean()  # type: ignore[misc]

    def _name_fields(self) -> None:
        if not getattr(self, "_fields_named", False):
            for name, field in self.fields.items():
                name_the_field(field, name)
            self._fields_named = True

    @cached_property
    def helper(self) -> FormHelper:
        self._name_fields()
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


class ScaleRadios(forms.RadioSelect):
    """The radios of a GovScaleField: gds/field.html lays them out in one row
    (gds/layout/scale.html) rather than one under another."""

    is_scale = True


class GovScaleField(forms.TypedChoiceField):
    """A scale (0 to 10, or 1 to 10) asked for as a row of numbered radios, with what the
    lowest and highest numbers mean said at both ends (issue 19 point 5): in the hint
    ("0 is not safe at all, 10 is completely safe") and under the two end radios, so each
    reads with its meaning to a screen reader too. The value is a whole number, or None
    when the scale is optional and left blank.
    """

    widget = ScaleRadios

    def __init__(
        self, *, low: str, high: str, lowest: int = 0, highest: int = 10, **kwargs: Any
    ) -> None:
        choices: list[Any] = [str(n) for n in range(lowest, highest + 1)]
        choices[0] = Choice(choices[0], choices[0], hint=low)
        choices[-1] = Choice(choices[-1], choices[-1], hint=high)
        choices[1:-1] = [(n, n) for n in choices[1:-1]]
        kwargs.setdefault(
            "help_text", f"{lowest} is {low[:1].lower() + low[1:]}, {highest} is {high.lower()}"
        )
        kwargs.setdefault("required", False)
        super().__init__(choices=choices, coerce=int, empty_value=None, **kwargs)
        self.low, self.high = low, high

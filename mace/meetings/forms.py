"""Forms for panels (SPEC C7). They check what is typed; mace.meetings.panels holds the
rules."""

import re
from typing import Any

from django import forms

from mace.accounts.models import Agency, User
from mace.frontend.forms import GovDateField, GovForm
from mace.meetings.models import Attendance, PanelSeries, RiskView, Section
from mace.meetings.panels import ActionInput, RiskViewInput

VIEW_ROWS = 4
ACTION_ROWS = 2
WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]


def _users() -> Any:
    return User.objects.filter(is_active=True).order_by("first_name", "last_name")


def _agencies() -> Any:
    return Agency.objects.filter(is_active=True)


class DiscussionForm(GovForm):
    discussion = forms.CharField(
        label="What was discussed", widget=forms.Textarea(attrs={"rows": 5}), max_length=20000
    )
    decisions = forms.CharField(
        label="Decisions (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=10000,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, VIEW_ROWS + 1):
            self.fields[f"view_{n}_agency"] = forms.ModelChoiceField(
                label=f"Agency {n}: which agency (optional)", queryset=_agencies(), required=False
            )
            self.fields[f"view_{n}_level"] = forms.ChoiceField(
                label=f"Agency {n}: its view of the risk",
                choices=RiskView.choices,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"view_{n}_note"] = forms.CharField(
                label=f"Agency {n}: why (optional)", required=False, max_length=2000
            )
        for n in range(1, ACTION_ROWS + 1):
            self.fields[f"action_{n}_description"] = forms.CharField(
                label=f"Action {n} (optional)",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=5000,
            )
            self.fields[f"action_{n}_owner"] = forms.ModelChoiceField(
                label=f"Action {n}: owner", queryset=_users(), required=False
            )
            self.fields[f"action_{n}_due_date"] = GovDateField(
                label=f"Action {n}: due date", required=False
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for n in range(1, VIEW_ROWS + 1):
            agency, level = cleaned.get(f"view_{n}_agency"), cleaned.get(f"view_{n}_level")
            if agency and not level:
                self.add_error(f"view_{n}_level", f"Choose agency {n}'s view of the risk")
            if level and not agency:
                self.add_error(f"view_{n}_agency", f"Choose the agency whose view {n} is")
        for n in range(1, ACTION_ROWS + 1):
            parts = [cleaned.get(f"action_{n}_{p}") for p in ("description", "owner", "due_date")]
            if any(parts) and not all(parts):
                for part, value in zip(("description", "owner", "due_date"), parts, strict=True):
                    if not value:
                        what = {"description": "what", "owner": "who", "due_date": "by when"}[part]
                        self.add_error(f"action_{n}_{part}", f"Say {what} for action {n}")
        return cleaned

    def views(self) -> list[RiskViewInput]:
        data = self.cleaned_data
        return [
            RiskViewInput(data[f"view_{n}_agency"], data[f"view_{n}_level"], data[f"view_{n}_note"])
            for n in range(1, VIEW_ROWS + 1)
            if data.get(f"view_{n}_agency")
        ]

    def actions(self) -> list[ActionInput]:
        data = self.cleaned_data
        return [
            ActionInput(
                data[f"action_{n}_description"],
                data[f"action_{n}_owner"],
                data[f"action_{n}_due_date"],
            )
            for n in range(1, ACTION_ROWS + 1)
            if data.get(f"action_{n}_description")
        ]


class AttendanceForm(GovForm):
    user = forms.ModelChoiceField(
        label="Someone with a MACE account", queryset=User.objects.none(), required=False
    )
    name = forms.CharField(
        label="Or their name and role",
        required=False,
        max_length=200,
        help_text="For someone without a MACE account",
    )
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none())
    status = forms.ChoiceField(
        label="Attendance",
        choices=Attendance.Status.choices,
        initial=Attendance.Status.PRESENT,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _users()  # type: ignore[attr-defined]
        self.fields["agency"].queryset = _agencies()  # type: ignore[attr-defined]


class MinutesForm(GovForm):
    minutes = forms.CharField(
        label="Minutes",
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=100000,
        help_text="The headline decisions and the risk level agreed for each child (003 A5). "
        "Each child's discussion, views and actions are recorded with the agenda.",
    )


class TransitionForm(GovForm):
    referred_on = GovDateField(label="Date referred")
    service = forms.CharField(
        label="Adult service referred to",
        max_length=200,
        help_text="For example, adult social care, the leaving care team, or adult mental health",
    )
    notes = forms.CharField(
        label="Notes (optional)", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


_WEEKS = re.compile(r"^\s*\d(\s*,\s*\d)*\s*$")


class SeriesForm(GovForm):
    name = forms.CharField(max_length=200)
    frequency = forms.ChoiceField(
        label="How often it meets", choices=PanelSeries.Frequency.choices, widget=forms.RadioSelect
    )
    interval = forms.IntegerField(
        label="Every how many weeks or months",
        min_value=1,
        max_value=12,
        help_text="1 for every week or month; 3 for every three weeks, or quarterly",
    )
    weekday = forms.TypedChoiceField(label="Day of the week", choices=WEEKDAYS, coerce=int)
    week_of_month = forms.TypedChoiceField(
        label="Which one in the month (monthly meetings)",
        choices=[(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (5, "Last")],
        coerce=int,
    )
    time = forms.TimeField(label="Time", help_text="24-hour clock, for example 14:00")
    length_minutes = forms.IntegerField(
        label="How long the meeting lasts, in minutes",
        min_value=15,
        max_value=480,
        help_text="For example, 120 for two hours. The agenda's time plan is set against it",
        error_messages={
            "required": "Enter how long the meeting lasts, in minutes",
            "invalid": "Enter how long the meeting lasts as a number of minutes, like 120",
            "min_value": "A meeting lasts at least 15 minutes",
            "max_value": "A meeting lasts at most 480 minutes (8 hours)",
        },
    )
    first_date = GovDateField(
        label="First meeting",
        help_text="Every-few-weeks and every-few-months meetings count from it",
    )
    venue = forms.CharField(required=False, max_length=300)
    chair = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    members = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Members see the children on the panel's agendas",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = _users()  # type: ignore[attr-defined]
        self.fields["members"].queryset = _users()  # type: ignore[attr-defined]
        for code, label in Section.choices:
            self.fields[f"section_{code}"] = forms.CharField(
                label=f"{label}: weeks of the month",
                required=False,
                help_text="“every”, week numbers such as 2, 4 (5 is a fifth week), or leave "
                "empty if this panel has no such section",
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        sections: dict[str, list[int]] = {}
        for code, _label in Section.choices:
            text = (cleaned.get(f"section_{code}") or "").strip().lower()
            if not text:
                continue
            if text == "every":
                sections[code] = []
            elif _WEEKS.match(text) and all(1 <= int(w) <= 5 for w in text.split(",")):
                sections[code] = sorted({int(w) for w in text.split(",")})
            else:
                self.add_error(
                    f"section_{code}",
                    "Write “every”, or week numbers from 1 to 5 separated by commas",
                )
        cleaned["sections"] = sections
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for code, _label in Section.choices:
            data.pop(f"section_{code}", None)
        return data

    @staticmethod
    def initial_for(series: PanelSeries) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(series, name)
            for name in (
                "name",
                "frequency",
                "interval",
                "weekday",
                "week_of_month",
                "time",
                "length_minutes",
            )
        }
        initial.update(
            first_date=series.first_date,
            venue=series.venue,
            chair=series.chair,
            members=list(series.members.all()),
        )
        for code, weeks in series.sections.items():
            initial[f"section_{code}"] = ", ".join(map(str, weeks)) if weeks else "every"
        return initial

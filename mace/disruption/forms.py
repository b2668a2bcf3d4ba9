"""Forms for disruption plans and outcomes (003 A3, A7). They check what is typed; the
services in disruption.services hold the rules."""

from typing import Any

from django import forms

from mace.accounts.models import Agency, User
from mace.disruption.models import DisruptionOutcome, Heading, InterventionOption, StrategicAim
from mace.frontend.forms import GovDateField, GovForm


def _active_users() -> Any:
    return User.objects.filter(is_active=True).order_by("first_name", "last_name")


class ActionForm(GovForm):
    heading = forms.ChoiceField(label="Heading", choices=Heading.choices, widget=forms.RadioSelect)
    option = forms.TypedChoiceField(
        label="Intervention option from the library (optional)",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="The options of 003 A3, under their strategic aims",
    )
    aim = forms.ModelChoiceField(
        label="Strategic aim",
        queryset=StrategicAim.objects.none(),
        required=False,
        help_text="Needed only if you did not choose an option: the option sets its aim",
    )
    description = forms.CharField(
        label="What will be done",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text="Be specific: who will do what, where and how",
    )
    owner = forms.ModelChoiceField(label="Owner", queryset=User.objects.none(), required=False)
    owner_name = forms.CharField(
        label="Or an owner outside MACE",
        max_length=200,
        required=False,
        help_text="Their name, role and organisation, if they have no MACE account",
    )
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none())
    due_date = GovDateField(label="Due date")
    monitor = forms.ModelChoiceField(
        label="Who monitors it",
        queryset=User.objects.none(),
        help_text="They follow the action up, and own it on the worklist if the owner has "
        "no MACE account",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        aims = StrategicAim.objects.filter(retired_at__isnull=True)
        self.fields["aim"].queryset = aims  # type: ignore[attr-defined]
        options = InterventionOption.objects.filter(
            retired_at__isnull=True, aim__retired_at__isnull=True
        ).select_related("aim")
        grouped: dict[str, list[tuple[int, str]]] = {}
        for option in options:
            grouped.setdefault(option.aim.text, []).append((option.pk, option.text))
        self.fields["option"].choices = [  # type: ignore[attr-defined]
            ("", "None: describe the action below"),
            *grouped.items(),
        ]
        self.fields["owner"].queryset = _active_users()  # type: ignore[attr-defined]
        self.fields["monitor"].queryset = _active_users()  # type: ignore[attr-defined]
        self.fields["agency"].queryset = Agency.objects.filter(is_active=True)  # type: ignore[attr-defined]

    def clean_option(self) -> InterventionOption | None:
        pk = self.cleaned_data.get("option")
        if pk is None:
            return None
        return InterventionOption.objects.select_related("aim").get(pk=pk)


class ActionOutcomeForm(GovForm):
    outcome = forms.CharField(
        label="What came of the action",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        help_text="What was done, what changed for the child, and anything still to do",
    )


class OutcomeForm(GovForm):
    kind = forms.ChoiceField(
        label="What was the outcome",
        choices=DisruptionOutcome.Kind.choices,
        widget=forms.RadioSelect,
    )
    occurred_on = GovDateField(label="Date")
    agency = forms.ModelChoiceField(
        label="Agency", queryset=Agency.objects.none(), help_text="The agency that acted"
    )
    details = forms.CharField(
        label="Details (optional)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=10000,
    )

    def __init__(self, *args: Any, children: Any = None, **kwargs: Any) -> None:
        """`children`: for an outcome about a person or place, the children linked to them
        whom the user may open, any one of whom the outcome may also concern."""
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(is_active=True)  # type: ignore[attr-defined]
        if children is not None:
            field = forms.ModelChoiceField(
                label="The child it protects (optional)",
                queryset=children,
                required=False,
                help_text="Children linked to them whose records you may open",
            )
            field.label_from_instance = lambda child: f"{child.full_name} ({child.reference})"  # type: ignore[method-assign,assignment]
            self.fields["child"] = field


class LibraryEntryForm(GovForm):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

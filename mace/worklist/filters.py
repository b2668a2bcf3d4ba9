"""Filtering, sorting and counting a worklist (issue 19: worklists people can work from).

`WorklistFilter` narrows a worklist's items (the selectors' own, already only those the user
may see) by rule, child, state, team and worker. The child is found by name or reference only
among the children the user may open now (`policy.openable_children`), so the filter never
tells anyone more than the list already shows; teams and workers go by opaque ids.
"""

import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from mace.access import policy
from mace.accounts.models import Team, User
from mace.lib.days import day_of, months_between
from mace.worklist.labels import RULE_NAMES, rule_name
from mace.worklist.models import DueItem

STATES = (("due", "Due"), ("overdue", "Overdue"), ("done", "Done"))

# The sorts a list offers: key -> (label, fields ascending). "-key" sorts descending.
RULE_ORDER = Case(
    *(When(rule=code, then=Value(number)) for number, code in enumerate(RULE_NAMES)),
    default=Value(len(RULE_NAMES)),
    output_field=IntegerField(),
)
SORTS: dict[str, tuple[str, tuple[Any, ...]]] = {
    "due": ("Due", ("due_at",)),
    "child": ("Child", ("child__last_name", "child__first_name", "child__id", "due_at")),
    "rule": ("Rule", (RULE_ORDER, "due_at")),
}
DEFAULT_SORT = "due"


def sort_key(value: str | None) -> str:
    """The sort asked for, if it is one of SORTS (descending with a leading "-"), else by due."""
    if value and value.lstrip("-") in SORTS and value.count("-") <= 1:
        return value
    return DEFAULT_SORT


def sorted_items(items: QuerySet[DueItem], key: str) -> QuerySet[DueItem]:
    descending = key.startswith("-")
    fields = SORTS[key.lstrip("-")][1]
    ordering: list[Any] = []
    for field in fields:
        expression = field if not isinstance(field, str) else None
        if expression is not None:
            ordering.append(expression.desc() if descending else expression.asc())
        else:
            ordering.append(f"-{field}" if descending else field)
    ordering.append("-id" if descending else "id")
    return items.order_by(*ordering)


def _choice(what: str) -> dict[str, Any]:
    """A select, and what to say when the value sent is not one of its choices (an old link,
    a hand-typed address)."""
    return {
        "widget": forms.Select(attrs={"class": "govuk-select"}),
        "error_messages": {"invalid_choice": f"Choose {what} from the list"},
    }


class WorklistFilter(django_filters.FilterSet):
    """The filters of a worklist. Needs the acting user (`actor=`): the child and worker
    choices are theirs."""

    rule = django_filters.ChoiceFilter(
        label="Rule",
        choices=[(code, f"{name} ({code})") for code, name in RULE_NAMES.items()],
        empty_label="Any rule",
        **_choice("a rule"),
    )
    child = django_filters.CharFilter(
        label="Child's name or reference",
        method="filter_child",
        widget=forms.TextInput(attrs={"class": "govuk-input", "autocomplete": "off"}),
    )
    state = django_filters.ChoiceFilter(
        label="State",
        choices=STATES,
        method="filter_state",
        empty_label="Due or overdue",
        **_choice("a state"),
    )
    team = django_filters.ChoiceFilter(
        label="Team", method="filter_team", empty_label="Any team", **_choice("a team")
    )
    worker = django_filters.ChoiceFilter(
        label="Worker", method="filter_worker", empty_label="Anyone", **_choice("a worker")
    )

    class Meta:
        model = DueItem
        fields: list[str] = []

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.now = timezone.now()
        self.filters["team"].extra["choices"] = [
            (str(team.public_id), team.name) for team in Team.objects.order_by("name")
        ]
        owners = (
            self.queryset.filter(status=DueItem.Status.OPEN)
            .order_by()
            .values("assignee_id", "reassigned_to_id")
        )
        ids = {pk for row in owners.distinct() for pk in row.values() if pk}
        self.filters["worker"].extra["choices"] = [
            (str(person.public_id), person.display_name)
            for person in User.objects.filter(pk__in=ids).order_by(
                "first_name", "last_name", "username"
            )
        ]

    def filter_queryset(self, queryset: QuerySet[DueItem]) -> QuerySet[DueItem]:
        # With no state chosen, the open items: what is due and what is late.
        if self.form.cleaned_data.get("state") != "done":
            queryset = queryset.filter(status=DueItem.Status.OPEN)
        return super().filter_queryset(queryset)

    def filter_child(self, queryset: QuerySet[DueItem], name: str, value: str) -> QuerySet[DueItem]:
        children = policy.openable_children(self.actor)
        for word in value.split():
            children = children.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(preferred_name__icontains=word)
                | Q(reference__icontains=word)
            )
        return queryset.filter(child__in=children.values("pk"))

    def filter_state(self, queryset: QuerySet[DueItem], name: str, value: str) -> QuerySet[DueItem]:
        if value == "done":
            return queryset.filter(status=DueItem.Status.DONE)
        if value == "overdue":
            return queryset.filter(due_at__lt=self.now)
        return queryset.filter(due_at__gte=self.now)

    def filter_team(self, queryset: QuerySet[DueItem], name: str, value: str) -> QuerySet[DueItem]:
        return queryset.filter(
            Q(team__public_id=value)
            | Q(reassigned_to__team__public_id=value)
            | Q(reassigned_to__isnull=True, assignee__team__public_id=value)
            | Q(child__team__public_id=value)
        )

    def filter_worker(
        self, queryset: QuerySet[DueItem], name: str, value: str
    ) -> QuerySet[DueItem]:
        return queryset.filter(
            Q(reassigned_to__public_id=value)
            | Q(reassigned_to__isnull=True, assignee__public_id=value)
        )

    def chosen(self) -> list[str]:
        """The filters in force, in words, for the counts line."""
        data = getattr(self.form, "cleaned_data", {})
        words = []
        for name, field in self.form.fields.items():
            value = data.get(name)
            if not value:
                continue
            shown = dict(getattr(field, "choices", ())).get(value, value)
            if name == "rule":
                shown = rule_name(value)
            words.append(f"{field.label}: {shown}")
        return words


def counts(items: QuerySet[DueItem], now: datetime.datetime) -> dict[str, int]:
    """How many items the list holds, and how many of them are overdue."""
    return items.order_by().aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(status=DueItem.Status.OPEN, due_at__lt=now)),
    )


def due_in_words(item: DueItem, now: datetime.datetime | None = None) -> str:
    """ "Overdue by 3 days", "Overdue by 4 years, 6 months", "Due in 5 hours", "Done": the
    item's time in words."""
    if item.status != DueItem.Status.OPEN:
        return item.get_status_display()
    now = now or timezone.now()
    gap = item.due_at - now
    late = gap < datetime.timedelta(0)
    gap = abs(gap)
    # Past eight weeks, days are too many to read: years and months, counted by the calendar.
    if gap >= datetime.timedelta(weeks=8):
        earlier, later = sorted([day_of(item.due_at), day_of(now)])
        years, months = divmod(months_between(earlier, later), 12)
        parts = [
            f"{n} {unit}{'' if n == 1 else 's'}"
            for n, unit in ((years, "year"), (months, "month"))
            if n
        ]
        span = ", ".join(parts)
        return f"Overdue by {span}" if late else f"Due in {span}"
    if gap >= datetime.timedelta(days=1):
        amount, unit = gap.days, "day"
    elif gap >= datetime.timedelta(hours=1):
        amount, unit = gap.seconds // 3600, "hour"
    else:
        amount, unit = max(gap.seconds // 60, 1), "minute"
    span = f"{amount} {unit}{'' if amount == 1 else 's'}"
    return f"Overdue by {span}" if late else f"Due in {span}"

"""Reading disruption plans and outcomes, as far as the user may see them.

Outcomes that name a person of concern or a place are intelligence: users who are not
cleared see neither them nor their number, only that something is withheld (C5).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from mace.access import policy
from mace.accounts.models import User
from mace.configuration.models import SettingKey
from mace.configuration.store import value as setting
from mace.disruption.models import (
    DisruptionAction,
    DisruptionOutcome,
    Heading,
    InterventionOption,
    StrategicAim,
)
from mace.people.models import Child


@dataclass(frozen=True)
class PlanSection:
    heading: str
    label: str
    actions: list[DisruptionAction]


@dataclass(frozen=True)
class ChildOutcomes:
    outcomes: list[DisruptionOutcome]
    withheld: bool


@dataclass(frozen=True)
class OutcomeCounts:
    """Disruption outcomes by kind for a period (003 A7), as the user may count them."""

    start: datetime.date
    end: datetime.date
    counts: dict[str, int] = field(default_factory=dict)
    # Outcomes naming a person or place were left out of the counts for this user.
    withheld: bool = False
    # Counts from 1 to below this are shown as "<N" (0: every count as counted).
    small_below: int = 0

    @property
    def rows(self) -> list[tuple[str, str, int | str]]:
        return [
            (kind.value, kind.label, self._shown(self.counts.get(kind.value, 0)))
            for kind in DisruptionOutcome.Kind
        ]

    def _shown(self, number: int) -> int | str:
        return f"<{self.small_below}" if 0 < number < self.small_below else number

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def plan_for_child(*, actor: User, child: Child) -> list[PlanSection]:
    """The child's disruption plan under its five headings, in order, actions by due date."""
    policy.require(bool(policy.can_view_child(actor, child)))
    actions = list(
        DisruptionAction.objects.filter(child=child).select_related(
            "aim", "option", "owner", "monitor", "agency", "outcome_recorded_by"
        )
    )
    return [
        PlanSection(
            heading=heading.value,
            label=heading.label,
            actions=[a for a in actions if a.heading == heading.value],
        )
        for heading in Heading
    ]


def outcomes_for_child(*, actor: User, child: Child) -> ChildOutcomes:
    policy.require(bool(policy.can_view_child(actor, child)))
    outcomes = DisruptionOutcome.objects.filter(child=child).select_related(
        "agency", "person", "location", "recorded_by"
    )
    if policy.can_see_intelligence(actor):
        return ChildOutcomes(outcomes=list(outcomes), withheld=False)
    plain = [o for o in outcomes if not o.is_intelligence]
    return ChildOutcomes(outcomes=plain, withheld=len(plain) != len(outcomes))


def _intelligence_q() -> Q:
    return Q(person__isnull=False) | Q(location__isnull=False)


def outcome_counts(*, actor: User, start: datetime.date, end: datetime.date) -> OutcomeCounts:
    """How many of each disruption outcome fell between start and end inclusive: the
    "intervention, disruption and prosecution" lines of the 003 A7 dataset."""
    policy.require(policy.can_see_disruption_counts(actor))
    outcomes = DisruptionOutcome.objects.filter(occurred_on__range=(start, end))
    withheld = False
    if not policy.can_see_intelligence(actor):
        withheld = outcomes.filter(_intelligence_q()).exists()
        outcomes = outcomes.exclude(_intelligence_q())
    counts = dict(
        outcomes.values("kind").annotate(n=Count("id")).values_list("kind", "n").order_by()
    )
    # Those who may see no child's record (analysts) get small numbers suppressed, as in
    # every report they run (SPEC C9, C11; issue 16): the table has no total to subtract from.
    small_below = (
        0 if policy.sees_identifiable_data(actor) else setting(SettingKey.REPORT_SUPPRESS_BELOW)
    )
    return OutcomeCounts(
        start=start, end=end, counts=counts, withheld=withheld, small_below=small_below
    )


def outcomes_list(
    *, actor: User, start: datetime.date, end: datetime.date
) -> QuerySet[DisruptionOutcome]:
    """The outcomes behind the counts that the user may see one by one: those about a
    child they may open, and (if cleared) those about persons and places alone."""
    policy.require(policy.can_see_disruption_counts(actor))
    outcomes = DisruptionOutcome.objects.filter(occurred_on__range=(start, end)).select_related(
        "agency", "child", "person", "location"
    )
    if not policy.can_see_intelligence(actor):
        outcomes = outcomes.exclude(_intelligence_q())
    if not policy.sees_identifiable_data(actor):
        return outcomes.none()
    return outcomes.filter(policy.visible_children_filter(actor) | Q(child__isnull=True))


def library(*, include_retired: bool = False) -> list[StrategicAim]:
    """The A3 library: aims in order, each with its options. Not personal data."""
    aims = StrategicAim.objects.all()
    options = InterventionOption.objects.order_by("order", "id")
    if not include_retired:
        aims = aims.filter(retired_at__isnull=True)
        options = options.filter(retired_at__isnull=True)
    return list(aims.prefetch_related(Prefetch("options", queryset=options)))


def open_actions_count(child: Child) -> int:
    return DisruptionAction.objects.filter(child=child, outcome_recorded_at__isnull=True).count()

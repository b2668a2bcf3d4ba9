"""What the settings pages and the administrators' home page read."""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from mace.access.policy import can_configure, require
from mace.accounts.models import Agency, Team, User
from mace.configuration import store
from mace.configuration.domain import shown
from mace.configuration.models import SettingKey
from mace.configuration.registry import DEFINITIONS, Group, Kind, in_group
from mace.education.models import Term
from mace.meetings.models import PanelSeries
from mace.people.models import LocalAuthority

PROVIDERS = [
    SettingKey.RHI_PROVIDER_UNDER_13_FROM_HOME,
    SettingKey.RHI_PROVIDER_13_AND_OVER_FROM_HOME,
    SettingKey.RHI_PROVIDER_LOOKED_AFTER,
]


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    shown: str
    is_default: bool
    problem: str = ""


@dataclass(frozen=True)
class Section:
    group: str
    title: str
    rows: list[Row]


def current(group: str) -> dict[str, Any]:
    return {d.key.value: store.value(d.key) for d in in_group(group)}


def agency_names() -> list[str]:
    return list(Agency.objects.order_by("name").values_list("name", flat=True))


def overview(*, actor: User) -> list[Section]:
    """Every setting by group: its value, whether it is the default, and what is wrong with
    it (a provider that is not an agency in MACE, a fallback who is not an active user, a home
    authority MACE does not hold)."""
    require(can_configure(actor))
    agencies = set(agency_names())
    authorities = dict(LocalAuthority.objects.values_list("ons_code", "name"))
    named = [store.value(d.key) for d in DEFINITIONS.values() if d.kind is Kind.USERNAME]
    usernames = set(
        User.objects.filter(is_active=True, username__in=named).values_list("username", flat=True)
    )
    sections = []
    for group in Group:
        rows = []
        for definition in in_group(group):
            value = store.value(definition.key)
            text = shown(definition, value)
            problem = ""
            if definition.kind is Kind.AGENCY and value not in agencies:
                problem = "Not an agency in MACE yet: add it under Agencies, or choose another"
            if definition.kind is Kind.USERNAME and value not in usernames:
                problem = "Not an active user: overdue items with no manager reach no one"
            if definition.kind is Kind.ONS_CODE and value in authorities:
                text = f"{value} ({authorities[value]})"
            rows.append(
                Row(
                    key=definition.key.value,
                    label=definition.label,
                    shown=text,
                    is_default=store.is_default(definition.key),
                    problem=problem,
                )
            )
        sections.append(Section(group=group.value, title=str(group.label), rows=rows))
    return sections


@dataclass(frozen=True)
class Task:
    name: str
    url: str
    done: bool
    hint: str


def first_run_checklist(*, actor: User) -> list[Task]:
    """What an administrator still has to set up before go-live (GOV.UK task list)."""
    require(can_configure(actor))
    agencies = set(agency_names())
    providers_missing = [
        DEFINITIONS[key].label for key in PROVIDERS if store.value(key) not in agencies
    ]
    home = store.value(SettingKey.HOME_AUTHORITY_ONS_CODE)
    go_live = store.value(SettingKey.GO_LIVE_DATE)
    return [
        Task(
            "Agencies",
            reverse("accounts:agency_list"),
            len(agencies) > 1,
            "The partner agencies whose staff use MACE (at least two)",
        ),
        Task(
            "Return home interview providers",
            reverse("configuration:change", args=[Group.PROVIDERS.value]),
            not providers_missing,
            "Missing: " + "; ".join(providers_missing) if providers_missing else "",
        ),
        Task(
            "Teams",
            reverse("accounts:agency_list"),
            Team.objects.exists(),
            "Social workers' and managers' teams",
        ),
        Task(
            "Panels",
            reverse("meetings:index"),
            PanelSeries.objects.exists(),
            "The monitoring meeting and the MASE, and when they meet",
        ),
        Task(
            "Term dates",
            reverse("education:terms"),
            Term.objects.filter(authority_code=home).exists(),
            "The home authority's school terms (the England default applies until then)",
        ),
        Task(
            "Go-live date",
            reverse("configuration:change", args=[Group.GO_LIVE.value]),
            bool(go_live),
            "The day MACE takes over from the trackers",
        ),
    ]

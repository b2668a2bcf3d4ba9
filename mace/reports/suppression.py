"""Small-number suppression of the reports (SPEC C9, issue 16 point 7): the one place that
decides which figures a published or anonymised report hides. The JSON, CSV, xlsx, PDF, the
pages and the API all show what this gives them.

- Primary: a count from 1 to REPORT_SUPPRESS_BELOW - 1 is hidden (shown as "<5"). Zero is
  shown: there is no one in it to identify.
- Secondary: where a breakdown adds up to a total the report also shows, one hidden count
  would be the total less the others. So in each such breakdown (the total and its parts
  together) either nothing is hidden or at least two are: beside a lone hidden count the
  smallest shown part that is not zero is hidden too (shown as "[c]", the Government
  Statistical Service's mark for a figure withheld to protect confidentiality, as it may
  be 5 or more). Hiding a count can leave another breakdown with one hidden figure, so this
  repeats until no breakdown has exactly one.
- A percentage is hidden with the count it is a share of, and with the count it is out of
  (unless it is a share of nothing: 0% of any whole).
- The suppressed form keeps every key of SPEC section 5: a hidden figure is null, as
  `report --publish` has always given it, and `suppressed` says for each hidden figure, by
  the name the CSV gives it, how it is shown ("<5" or "[c]").

Children by legal status and the monthly counts add up to the children (or the episodes)
only when no child changed status or went missing twice in a month, but a reader can tell
when that is so: they too never have exactly one hidden count while a figure they may add up
to is shown. Likewise the repeat children by legal status, and the children assessed under
every type of exploitation. Return interviews, push and pull factors, placement types, indicators,
disruption outcomes, what is known of the suspects (a child may have several facts, or none),
episodes in association and children placed by other authorities or out of area do not add
up to any figure the report shows, so only primary suppression applies to them.

Analysts are also held to periods of whole quarters, at least ANALYST_MINIMUM_REPORT_DAYS
long (`period_problem`): with periods one day apart, subtracting one report from the next
would give a single day's figures, which suppression cannot protect.
"""

import copy
from collections.abc import Iterator, Sequence
from typing import Any

from mace.configuration.models import SettingKey
from mace.configuration.store import value as setting
from mace.lib.quarters import Quarter
from mace.reports.annual import Period

HIDDEN = "[c]"

# (total, parts) of the annual report: the parts add up to the total. A part ending in "."
# stands for every figure under that name.
ANNUAL_BREAKDOWNS: list[tuple[str, list[str]]] = [
    ("episodes", ["episodes_by_legal_status."]),
    ("episodes", ["episodes_by_hour_started."]),
    ("episodes", ["episodes_by_day_started."]),
    ("episodes", ["episodes_by_age."]),
    ("episodes", ["episodes_by_gender."]),
    ("episodes", ["found", "still_missing"]),
    ("found", ["episodes_18h_or_less", "episodes_over_18h"]),
    ("children", ["by_gender."]),
    ("children", ["children_by_ethnicity."]),
    ("children", ["children_by_area."]),
    *[
        ("exploitation.children_assessed", [f"exploitation.{part}."])
        for part in (
            "by_level",
            "by_type",
            "by_gender",
            "by_age",
            "by_legal_status",
            "by_ethnicity",
            "by_area",
            "by_source_of_identification",
        )
    ],
    (
        "exploitation.children_assessed",
        ["exploitation.suspects_named", "exploitation.suspects_not_named"],
    ),
]
# (the figures it may add up to, parts): breakdowns that add up to a figure shown only
# sometimes, but then exactly. Children by legal status (a child once for each status) add
# up to the children when none changed status; the monthly counts (distinct children a month
# and kind) to the children, or the episodes, when none went missing twice in a month, which
# `children_with_more_than_one_episode` of 0 can tell a reader.
ANNUAL_MAY_ADD_UP: list[tuple[list[str], list[str]]] = [
    (["children"], ["children_by_legal_status."]),
    (["children", "episodes"], ["monthly."]),
    # A repeat child once for each status, as above: the repeat children when none changed.
    (
        ["children_with_more_than_one_episode"],
        ["children_with_more_than_one_episode_by_legal_status."],
    ),
    # A child once for each type assessed: the children assessed when none had two types.
    (["exploitation.children_assessed"], ["exploitation.children_by_every_type_assessed."]),
]
# (percentage, the count it is a share of, the count it is out of).
ANNUAL_PERCENTAGES = [
    ("pct_episodes_by_legal_status.", "episodes_by_legal_status.", "episodes"),
    ("pct_children_with_more_than_one_episode", "children_with_more_than_one_episode", "children"),
    ("pct_episodes_18h_or_less", "episodes_18h_or_less", "found"),
    ("pct_rhi_offered_within_72h", "rhi.offered_within_72h", "found"),
    ("pct_rhi_completed_within_72h", "rhi.completed_within_72h", "found"),
]
# Positions, not counts; hidden with the episodes they are worked out from.
ANNUAL_PEAKS = ("peak_hour", "peak_day")
ANNUAL_NOT_FIGURES = ("period", "suppressed_below", "suppressed", *ANNUAL_PEAKS)

# The dataset's items whose breakdowns add up to their value (003 A7; mace.reports.dataset).
DATASET_BREAKDOWNS = {
    "Incidences of looked after children away from placement without authorisation": [
        "by_age.",
        "by_gender.",
    ],
    "Children (a) vulnerable to, (b) at risk of, (c) exposed to CSE": [""],
    "Demographics of children and young people": [
        "by_age.",
        "by_gender.",
        "by_ethnicity.",
        "by_sexuality.",
    ],
}


def threshold() -> int:
    return int(setting(SettingKey.REPORT_SUPPRESS_BELOW))


def small_mark() -> str:
    return f"<{threshold()}"


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _small(value: Any) -> bool:
    return _is_count(value) and 0 < value < threshold()


def leaves(value: Any, prefix: str = "") -> Iterator[tuple[str, Any, Any]]:
    """(name, container, key) of every figure, named as the CSV names it (`output.rows`):
    nested keys joined with dots, lists by position, or by month for the monthly rows."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaf(item, f"{prefix}{key}", value, key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict) and "month" in item:
                for field in item:
                    if field != "month":
                        yield f"{prefix}{item['month']}.{field}", item, field
            else:
                yield from _leaf(item, f"{prefix}{index}", value, index)


def _leaf(item: Any, name: str, container: Any, key: Any) -> Iterator[tuple[str, Any, Any]]:
    if isinstance(item, dict | list):
        yield from leaves(item, f"{name}.")
    else:
        yield name, container, key


def _expand(spec: str, names: list[str]) -> list[str]:
    if spec.endswith(".") or spec == "":
        return [name for name in names if name.startswith(spec)]
    return [spec] if spec in names else []


def _hide_one_more(values: dict[str, Any], marks: dict[str, str], shown: list[str]) -> None:
    """Hide the smallest of these shown figures, not a zero if it can."""
    candidates = [name for name in shown if values[name]] or shown
    marks[min(candidates, key=lambda name: (values[name], name))] = HIDDEN


def _protect(
    values: dict[str, Any],
    marks: dict[str, str],
    breakdowns: list[tuple[str, list[str]]],
    may_add_up: Sequence[tuple[list[str], list[str]]] = (),
) -> None:
    """Secondary suppression: until no breakdown (its total and its parts) has exactly one
    hidden figure, hide the smallest shown part of each that has, not zero if it can; and
    likewise for a breakdown that may add up to a shown figure, one hidden part."""
    changed = True
    while changed:
        changed = False
        for total, parts in breakdowns:
            hidden = [name for name in (total, *parts) if name in marks]
            if len(hidden) == 1:
                _hide_one_more(values, marks, [n for n in parts if n not in marks] or [total])
                changed = True
        for totals, parts in may_add_up:
            hidden = [name for name in parts if name in marks]
            shown = [name for name in parts if name not in marks]
            if len(hidden) == 1 and shown and any(t not in marks for t in totals):
                _hide_one_more(values, marks, shown)
                changed = True


def _apply(out: dict[str, Any], where: dict[str, tuple[Any, Any]], marks: dict[str, str]) -> None:
    for name in marks:
        container, key = where[name]
        container[key] = None
    out["suppressed_below"] = threshold()
    out["suppressed"] = dict(sorted(marks.items()))


def published(report: dict[str, Any]) -> dict[str, Any]:
    """The annual report as it may be published, or given to an analyst."""
    out = copy.deepcopy(report)
    out.pop("suppressed", None)
    where = {
        name: (container, key)
        for name, container, key in leaves(out)
        if not name.startswith(ANNUAL_NOT_FIGURES)
    }
    values = {name: container[key] for name, (container, key) in where.items()}
    names = list(values)
    marks = {name: small_mark() for name, value in values.items() if _small(value)}
    breakdowns = [
        (total, [name for spec in parts for name in _expand(spec, names)])
        for total, parts in ANNUAL_BREAKDOWNS
    ]
    may_add_up = [
        (totals, [name for spec in parts for name in _expand(spec, names)])
        for totals, parts in ANNUAL_MAY_ADD_UP
    ]
    _protect(values, marks, breakdowns, may_add_up)
    for pct, part, whole in ANNUAL_PERCENTAGES:
        for name in _expand(pct, names):
            share = part + name[len(pct) :] if pct.endswith(".") else part
            # A share of nothing is 0% of any whole, and gives the whole away no more.
            if share in marks or (whole in marks and values.get(share)):
                marks[name] = HIDDEN
    if "episodes" in marks:
        for peak in ANNUAL_PEAKS:
            if out.get(peak) is not None:
                where[peak] = (out, peak)
                marks[peak] = HIDDEN
    _apply(out, where, marks)
    return out


def dataset_published(data: dict[str, Any]) -> dict[str, Any]:
    """The quarterly dataset as it may be published, or given to an analyst."""
    out = copy.deepcopy(data)
    out.pop("suppressed", None)
    where: dict[str, tuple[Any, Any]] = {}
    breakdowns: list[tuple[str, list[str]]] = []
    for index, item in enumerate(out["items"]):
        name = f"items.{index}"
        where[f"{name}.value"] = (item, "value")
        parts = {
            f"{name}.breakdown.{figure}": (container, key)
            for figure, container, key in leaves(item.get("breakdown", {}))
        }
        where.update(parts)
        for spec in DATASET_BREAKDOWNS.get(item["item"], []):
            prefix = f"{name}.breakdown.{spec}"
            breakdowns.append((f"{name}.value", _expand(prefix, list(parts))))
    values = {name: container[key] for name, (container, key) in where.items()}
    marks = {name: small_mark() for name, value in values.items() if _small(value)}
    _protect(values, marks, breakdowns)
    for index, item in enumerate(out["items"]):
        if item["item"] in DATASET_AVERAGES:
            average, answered = DATASET_AVERAGES[item["item"]]
            prefix = f"items.{index}.breakdown."
            _hide_averages(marks, where, prefix + average, prefix + answered)
    _apply(out, where, marks)
    if "voice_of_the_child" in out:
        out["voice_of_the_child"] = [voice_published(c) for c in out["voice_of_the_child"]]
    return out


# The dataset's items with averages: (average, the number answering it), hidden together.
FEEDBACK_ITEM = "Feedback from return home interviews"
DATASET_AVERAGES = {FEEDBACK_ITEM: ("average.", "answered.")}


def _hide_averages(
    marks: dict[str, str], where: dict[str, Any], average: str, answered: str
) -> None:
    """An average of fewer answers than the threshold would give a child's own score away
    (one answer is that child's score): hidden, as [c], with the number answering it."""
    for name in list(where):
        if name.startswith(average):
            count = answered + name[len(average) :]
            if count in marks:
                marks[name] = HIDDEN


def voice_published(collation: dict[str, Any]) -> dict[str, Any]:
    """A quarter's collation of return interviews (`voice.collate`) as it may be published,
    or shown to an analyst or a panel member: counts from 1 to the threshold less one hidden,
    and each average whose number answering is hidden. Themes and the numbers answering do
    not add up to a figure shown, so only primary suppression applies."""
    out = copy.deepcopy(collation)
    out.pop("suppressed", None)
    where = {
        name: (container, key)
        for name, container, key in leaves(out)
        if not name.startswith(("quarter", "label", "from", "to"))
    }
    marks = {name: small_mark() for name, (c, k) in where.items() if _small(c[k])}
    _hide_averages(marks, where, "average.", "answered.")
    _apply(out, where, marks)
    return out


def marked(report: dict[str, Any]) -> dict[str, Any]:
    """The report with each hidden count as it is shown ("<5", "[c]") rather than null, for
    a page. Hidden percentages and peaks stay null: the page leaves them out or marks them."""
    marks = report.get("suppressed") or {}
    if not marks:
        return report
    out = copy.deepcopy(report)
    for name, container, key in leaves(out):
        if name in marks and not name.startswith(("pct_", *ANNUAL_PEAKS)):
            container[key] = marks[name]
    return out


def minimum_report_days() -> int:
    """ANALYST_MINIMUM_REPORT_DAYS, as an administrator set it (/settings/analysts/) or
    from the environment."""
    return int(setting(SettingKey.ANALYST_MINIMUM_REPORT_DAYS))


def period_problem(period: Period) -> str | None:
    """Why an anonymised report may not cover this period, or None if it may: it must be
    whole calendar quarters, at least ANALYST_MINIMUM_REPORT_DAYS days (both ends counted;
    the shortest quarter is 90 days)."""
    minimum = minimum_report_days()
    days = (period.end - period.start).days + 1
    if days < minimum:
        length = f"{minimum} days{' (a quarter)' if minimum <= 92 else ''}"
        return (
            f"Anonymised reports cover at least {length}: this period is {days} "
            f"{'day' if days == 1 else 'days'}. Choose whole quarters, starting on 1 January, "
            "1 April, 1 July or 1 October"
        )
    if (
        Quarter.containing(period.start).start != period.start
        or Quarter.containing(period.end).end != period.end
    ):
        return (
            "Anonymised reports cover whole quarters: start on 1 January, 1 April, 1 July or "
            "1 October, and end on 31 March, 30 June, 30 September or 31 December"
        )
    return None

"""The child's voice over time (issue 20 point 4; SPEC C3 "themes from interviews,
anonymised, collated quarterly for the monitoring meeting"; 003 A7 "feedback from RHIs").

For a quarter of the calendar year (dates inclusive, UK time), from the return home
interviews held in it (`completed_at` in the quarter; of children not merged into another
record):
- `interviews`: how many were held; `coded`: how many of those are coded with a theme;
- `themes`: for each theme, the number of those interviews coded with it (an interview may
  have several, so these do not add up to `interviews`). Every theme in use is listed, with
  0 where none; a retired theme only where an interview of the quarter is coded with it;
- `average`: the mean of each of the six 0-10 scales of 003 A4 (safe and happy, before going
  missing, while missing and since returning), to one decimal place, over the interviews
  that answered it; `answered` says how many did. None where none did.

Counts only: no child, interview or worker is named. `over_time` gives the four quarters
ending with the one asked, side by side. The published form (small numbers hidden, and an
average hidden with its number answering) is `suppression.voice_published`.
"""

from typing import Any

from django.db.models import Avg, Count

from mace.interviews.models import InterviewTheme, InterviewThemeCoding, ReturnInterview
from mace.lib.quarters import Quarter

SCALES = (
    "safe_before",
    "safe_while_missing",
    "safe_since",
    "happy_before",
    "happy_while_missing",
    "happy_since",
)
FEELINGS = {"safe": "How safe they felt", "happy": "How happy they felt"}
WHEN = {
    "before": "Before going missing",
    "while_missing": "While missing",
    "since": "Since returning",
}
SCALE_LABELS = {
    f"{feeling}_{when}": f"{words}: {when_words.lower()}"
    for feeling, words in FEELINGS.items()
    for when, when_words in WHEN.items()
}
QUARTERS_SIDE_BY_SIDE = 4


def _held(quarter: Quarter) -> Any:
    first, after = quarter.bounds()
    return ReturnInterview.objects.filter(
        completed_at__gte=first,
        completed_at__lt=after,
        episode__child__merged_into__isnull=True,
    )


def collate(quarter: Quarter) -> dict[str, Any]:
    """The quarter's figures (see the module's docstring), counted by the database."""
    held = _held(quarter)
    figures = held.aggregate(
        interviews=Count("pk"),
        **{f"n_{name}": Count(name) for name in SCALES},
        **{f"avg_{name}": Avg(name) for name in SCALES},
    )
    counts = dict(
        InterviewThemeCoding.objects.filter(interview__in=held.values("pk"))
        .values_list("theme__code")
        .annotate(n=Count("interview"))
        .values_list("theme__code", "n")
    )
    themes = {
        code: counts.get(code, 0)
        for code, retired in InterviewTheme.objects.values_list("code", "retired_at")
        if retired is None or counts.get(code)
    }
    average = {
        name: None if figures[f"avg_{name}"] is None else round(float(figures[f"avg_{name}"]), 1)
        for name in SCALES
    }
    return {
        "quarter": str(quarter),
        "label": quarter.label,
        "from": quarter.start.isoformat(),
        "to": quarter.end.isoformat(),
        "interviews": figures["interviews"],
        "coded": held.filter(theme_codings__isnull=False).distinct().count(),
        "themes": themes,
        "answered": {name: figures[f"n_{name}"] for name in SCALES},
        "average": average,
    }


def over_time(quarter: Quarter, count: int = QUARTERS_SIDE_BY_SIDE) -> list[dict[str, Any]]:
    """The `count` quarters ending with `quarter`, oldest first."""
    return [collate(q) for q in quarter.last(count)]


def theme_names() -> dict[str, str]:
    """Each theme's code and its name now (a renamed theme's figures carry its new name)."""
    return dict(InterviewTheme.objects.values_list("code", "name"))


def _shown(collation: dict[str, Any], name: str) -> Any:
    """A figure as shown: its mark if hidden ("<5", "[c]"), else its value."""
    marks = collation.get("suppressed") or {}
    if name in marks:
        return marks[name]
    group, _, key = name.partition(".")
    value = collation[group][key] if key else collation[group]
    return "\u2013" if value is None else value


def tables(collations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The quarters side by side as tables (caption, column headings, rows), for the page,
    the meeting page, the dataset's PDF and its xlsx."""
    names = theme_names()
    columns = [c["label"] for c in collations]
    codes: list[str] = []
    for c in collations:
        codes += [code for code in c["themes"] if code not in codes]
    order = list(InterviewTheme.objects.values_list("code", flat=True))
    codes.sort(key=lambda code: order.index(code) if code in order else len(order))
    return [
        {
            "caption": "Return home interviews held",
            "columns": ["Interviews", *columns],
            "rows": [
                ["Interviews held", *[_shown(c, "interviews") for c in collations]],
                ["Coded with at least one theme", *[_shown(c, "coded") for c in collations]],
            ],
        },
        {
            "caption": "What the children told us: interviews coded with each theme",
            "columns": ["Theme", *columns],
            "rows": [
                [
                    names.get(code, code),
                    *[
                        _shown(c, f"themes.{code}") if code in c["themes"] else 0
                        for c in collations
                    ],
                ]
                for code in codes
            ],
        },
        {
            "caption": "Average score out of 10 (the number who answered)",
            "columns": ["Scale", *columns],
            "rows": [
                [
                    SCALE_LABELS[name],
                    *[
                        f"{_shown(c, f'average.{name}')} ({_shown(c, f'answered.{name}')})"
                        for c in collations
                    ],
                ]
                for name in SCALES
            ],
        },
    ]


def charts(collations: list[dict[str, Any]]) -> dict[str, str]:
    """The latest quarter's themes, and each feeling's averages before, while missing and
    since, a bar for each quarter: inline SVG, each shown with the table of its figures."""
    from mace.lib.charts import bar_chart, horizontal_bar_chart

    def n(value: Any) -> float:
        return value if isinstance(value, int | float) else 0

    latest = collations[-1]
    names = theme_names()
    hidden = latest.get("suppressed") or {}
    codes = list(latest["themes"])
    out = {
        "themes": horizontal_bar_chart(
            [names.get(code, code) for code in codes],
            [0 if f"themes.{code}" in hidden else n(latest["themes"][code]) for code in codes],
            label=f"Interviews coded with each theme in {latest['label']}: the table gives "
            "the figures",
        )
    }
    for feeling, words in FEELINGS.items():
        out[feeling] = bar_chart(
            list(WHEN.values()),
            {
                c["label"]: [
                    0
                    if f"average.{feeling}_{when}" in (c.get("suppressed") or {})
                    else n(c["average"][f"{feeling}_{when}"])
                    for when in WHEN
                ]
                for c in collations
            },
            label=f"{words}, average out of 10 by quarter: the table gives the figures",
        )
    return out


def page_context(collations: list[dict[str, Any]]) -> dict[str, Any]:
    """What `reports/_voice.html` shows (the report page and the monitoring meeting's page):
    the quarters' tables, the charts, the latest quarter and the suppression threshold."""
    return {
        "voice_tables": tables(collations),
        "voice_charts": charts(collations),
        "voice_latest": collations[-1],
        "suppressed_below": collations[-1].get("suppressed_below"),
    }

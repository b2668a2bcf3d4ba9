"""The child's six scales of the return interview (003 A4) over time, as an SVG drawn on the
server: how safe and how happy they felt before going missing, while missing and since
returning, 0 to 10, at each interview held.

Drawn by matplotlib and made inline SVG by mace.lib.charts; the child's page also shows the
same figures as a table (`scale_rows`).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

from mace.interviews.models import ReturnInterview
from mace.lib.charts import COLOURS, figure_svg

# (field, words) of the six scales, in the order of the A4 form.
SAFE = (
    ("safe_before", "Before going missing"),
    ("safe_while_missing", "While missing"),
    ("safe_since", "Since returning"),
)
HAPPY = (
    ("happy_before", "Before going missing"),
    ("happy_while_missing", "While missing"),
    ("happy_since", "Since returning"),
)
SCALES = SAFE + HAPPY


@dataclass(frozen=True)
class ScaleRow:
    """One interview held, with its six scales (None where not recorded)."""

    interview: ReturnInterview
    safe: tuple[int | None, ...]
    happy: tuple[int | None, ...]


def interviews_with_scales(child_id: int) -> list[ReturnInterview]:
    """The child's interviews held with at least one scale recorded, oldest first."""
    held = (
        ReturnInterview.objects.filter(episode__child_id=child_id, completed_at__isnull=False)
        .select_related("episode")
        .order_by("completed_at")
    )
    return [i for i in held if any(getattr(i, field) is not None for field, _ in SCALES)]


def scale_rows(interviews: Sequence[ReturnInterview]) -> list[ScaleRow]:
    return [
        ScaleRow(
            interview=i,
            safe=tuple(getattr(i, field) for field, _ in SAFE),
            happy=tuple(getattr(i, field) for field, _ in HAPPY),
        )
        for i in interviews
    ]


def scales_chart_svg(interviews: Sequence[ReturnInterview], *, label: str) -> str:
    """Two panels, how safe and how happy, each with a line for before, while missing and
    since returning, one point per interview held, oldest to newest. `label` is its text
    alternative."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.dates import DateFormatter, date2num
    from matplotlib.figure import Figure

    ordered = sorted(interviews, key=lambda i: i.completed_at or timezone.now())
    dates = [float(date2num(i.completed_at)) for i in ordered]
    figure = Figure(figsize=(7.5, 5.2), layout="constrained")
    panels = figure.subplots(2, 1, sharex=True)
    markers = ("o", "s", "^")
    for axes, title, scales in zip(
        panels, ("How safe they felt", "How happy they felt"), (SAFE, HAPPY), strict=True
    ):
        for n, (field, words) in enumerate(scales):
            points = [(d, getattr(i, field)) for d, i in zip(dates, ordered, strict=True)]
            points = [(d, v) for d, v in points if v is not None]
            axes.plot(
                [d for d, _ in points],
                [v for _, v in points],
                color=COLOURS[n],
                marker=markers[n],
                markersize=6,
                linewidth=2,
                label=words,
            )
        axes.set_title(title, loc="left", fontsize=11)
        axes.set_ylim(-0.5, 10.5)
        axes.set_yticks([0, 2, 4, 6, 8, 10])
        axes.grid(axis="y", color="#b1b4b6", linewidth=0.5)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
    if len(set(dates)) == 1:
        # One interview: a month either side, not matplotlib's two years.
        panels[1].set_xlim(dates[0] - 30, dates[0] + 30)
    panels[0].legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    panels[1].xaxis.set_major_formatter(
        DateFormatter("%-d %b %Y", tz=timezone.get_current_timezone())
    )
    panels[1].xaxis_date(timezone.get_current_timezone())
    panels[1].set_xlabel("Date of interview (0 is not at all, 10 is completely)")
    figure.autofmt_xdate()
    return figure_svg(figure, label=label, salt="mace-scales-chart")

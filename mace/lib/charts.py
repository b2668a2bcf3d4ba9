"""Charts drawn on the server as inline SVG, with no pyplot state and no network, so each
request draws its own figure safely. The XML header is stripped and the <svg> is given
role="img" and an aria-label; every page that shows a chart shows its data as a table too."""

import io
import re
from collections.abc import Sequence
from typing import Any

from django.utils.html import escape

COLOURS = ["#1d70b8", "#f47738", "#00703c", "#4c2c92", "#d4351c"]


def figure_svg(figure: Any, *, label: str, salt: str) -> str:
    import matplotlib

    out = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": salt}):
        figure.savefig(out, format="svg", metadata={"Date": None})
    svg = out.getvalue()
    svg = svg[svg.index("<svg") :]
    attributes = f'role="img" aria-label="{escape(label)}" focusable="false" class="mace-chart"'
    return re.sub(r"<svg\b", f"<svg {attributes}", svg, count=1)


def bar_chart(
    categories: Sequence[str],
    series: dict[str, Sequence[float]],
    *,
    label: str,
    stacked: bool = False,
    width: float = 7.5,
) -> str:
    """Bars per category, one colour per series (stacked or side by side), as inline SVG."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, 3.2), layout="constrained")
    axes = figure.add_subplot()
    positions = list(range(len(categories)))
    count = max(len(series), 1)
    bar = 0.8 if stacked else 0.8 / count
    bottom = [0.0] * len(categories)
    for n, (name, values) in enumerate(series.items()):
        colour = COLOURS[n % len(COLOURS)]
        if stacked:
            axes.bar(positions, values, 0.8, bottom=bottom, label=name, color=colour)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        else:
            offset = (n - (count - 1) / 2) * bar
            axes.bar([p + offset for p in positions], values, bar, label=name, color=colour)
    axes.set_xticks(
        positions,
        list(categories),
        rotation=45 if len(categories) > 8 or max(map(len, categories), default=0) > 12 else 0,
    )
    axes.grid(axis="y", color="#b1b4b6", linewidth=0.5)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if len(series) > 1:
        axes.legend(frameon=False)
    return figure_svg(figure, label=label, salt="mace-bar-chart")


def horizontal_bar_chart(
    categories: Sequence[str],
    values: Sequence[float],
    *,
    label: str,
    width: float = 7.5,
) -> str:
    """One bar per category, laid on its side so long names (themes, say) read across, first
    at the top; as tall as the categories need. Inline SVG."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    height = max(1.6, 0.32 * len(categories) + 0.8)
    figure = Figure(figsize=(width, height), layout="constrained")
    axes = figure.add_subplot()
    positions = list(range(len(categories)))
    axes.barh(positions, list(values), 0.7, color=COLOURS[0])
    axes.set_yticks(positions, list(categories))
    axes.invert_yaxis()
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts: whole numbers
    axes.grid(axis="x", color="#b1b4b6", linewidth=0.5)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return figure_svg(figure, label=label, salt="mace-horizontal-bar-chart")

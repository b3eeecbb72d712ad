"""Charts for organisers' reports: a PNG of actions per day by type, with the deadline marked.

Rendered off-screen (matplotlib's Agg backend, selected here and only here) at a fixed size,
800x450 pixels, so the picture pastes into a report the same way every time. Counts below the
small-number threshold are never drawn to scale: such a bar is drawn at the threshold's
height and hatched, and the legend says so.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping

import matplotlib

matplotlib.use("Agg")

from matplotlib import dates as mdates
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from ua_bot.model import ACTION_TYPES

WIDTH_IN, HEIGHT_IN, DPI = 8.0, 4.5, 100
SIZE = (int(WIDTH_IN * DPI), int(HEIGHT_IN * DPI))  # (800, 450) pixels
COLOURS = {
    "letter": "#1f77b4",
    "email": "#ff7f0e",
    "call": "#2ca02c",
    "fax": "#9467bd",
    "tweet": "#17becf",
}


MAX_STRETCH = dt.timedelta(days=60)  # how far the deadline may widen the time axis
MIN_SPAN = dt.timedelta(days=6)  # a week at least, so the axis shows days, not hours


def actions_chart(
    by_day_type: Mapping[tuple[dt.date, str], int],
    *,
    title: str,
    deadline: dt.date | None = None,
    threshold: int = 5,
) -> bytes:
    """A stacked bar chart of actions per day by type, as PNG bytes (800x450 px)."""
    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    cells = {k: n for k, n in by_day_type.items() if n > 0}
    handles: list = []
    labels: list[str] = []
    deadline_shown = deadline is not None
    if cells:
        first = min(d for d, _ in cells)
        last = max(d for d, _ in cells)
        if deadline is not None:
            if first - MAX_STRETCH <= deadline <= last + MAX_STRETCH:
                first, last = min(first, deadline), max(last, deadline)
            else:
                deadline_shown = False
        bottom: dict[dt.date, int] = {}
        hatched = False
        for kind in ACTION_TYPES:
            days = sorted(d for d, t in cells if t == kind)
            if not days:
                continue
            colour = COLOURS.get(kind, "#7f7f7f")
            exact = [d for d in days if cells[(d, kind)] >= threshold]
            few = [d for d in days if cells[(d, kind)] < threshold]
            if exact:
                heights = [cells[(d, kind)] for d in exact]
                ax.bar(
                    exact,
                    heights,
                    bottom=[bottom.get(d, 0) for d in exact],
                    width=0.85,
                    color=colour,
                    label=kind.capitalize(),
                )
                for d, h in zip(exact, heights, strict=True):
                    bottom[d] = bottom.get(d, 0) + h
            if few:
                ax.bar(
                    few,
                    [threshold] * len(few),
                    bottom=[bottom.get(d, 0) for d in few],
                    width=0.85,
                    color=colour,
                    alpha=0.45,
                    hatch="///",
                    label=None if exact else kind.capitalize(),
                )
                for d in few:
                    bottom[d] = bottom.get(d, 0) + threshold
                hatched = True
        handles, labels = ax.get_legend_handles_labels()
        if hatched:
            handles.append(Patch(facecolor="white", edgecolor="black", hatch="///"))
            labels.append(f"fewer than {threshold} (not to scale)")
        pad = dt.timedelta(days=1)
        if last - first < MIN_SPAN:
            last = first + MIN_SPAN
        ax.set_xlim(first - pad, last + pad)
    else:
        ax.text(0.5, 0.5, "No actions yet", ha="center", va="center", transform=ax.transAxes)
    if deadline is not None and deadline_shown:
        line = ax.axvline(deadline, color="#d62728", linestyle="--", linewidth=1.5)
        handles.append(line)
        labels.append(f"deadline {deadline:%d %b %Y}")
    elif deadline is not None:
        handles.append(Patch(facecolor="none", edgecolor="none"))
        labels.append(f"deadline {deadline:%d %b %Y} (off the chart)")
    if handles:
        fig.legend(handles, labels, loc="outside right upper", fontsize=8, frameon=False)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("actions per day")
    ax.set_title(title, fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()

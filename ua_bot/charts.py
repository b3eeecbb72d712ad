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
from matplotlib.collections import PolyCollection
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
BAR = 0.85  # bar width in days
MIN_SPAN = dt.timedelta(days=6)  # a week at least, so the axis shows days, not hours


def _rects(xs: list[float], bottoms: list[float], heights: list[float]) -> list:
    half = BAR / 2
    return [
        [(x - half, b), (x - half, b + h), (x + half, b + h), (x + half, b)]
        for x, b, h in zip(xs, bottoms, heights, strict=True)
    ]


def actions_chart(
    by_day_type: Mapping[tuple[dt.date, str], int],
    *,
    title: str,
    deadline: dt.date | None = None,
    threshold: int = 5,
) -> bytes:
    """A stacked bar chart of actions per day by type, as PNG bytes (800x450 px).

    Bars are drawn as one polygon collection per type (fast however many days), with a
    fixed layout: the plot on the left, the legend on the right.
    """
    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    FigureCanvasAgg(fig)
    fig.subplots_adjust(left=0.08, right=0.73, top=0.91, bottom=0.13)
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
            # Counts below the threshold are drawn at the threshold's height, hatched.
            heights = [max(cells[(d, kind)], threshold) for d in days]
            few = [cells[(d, kind)] < threshold for d in days]
            for hatch in (False, True):
                sel = [i for i, f in enumerate(few) if f == hatch]
                if not sel:
                    continue
                xs = [mdates.date2num(days[i]) for i in sel]
                verts = _rects(xs, [bottom.get(days[i], 0) for i in sel], [heights[i] for i in sel])
                ax.add_collection(
                    PolyCollection(
                        verts,
                        facecolors=colour,
                        edgecolors="white" if hatch else "none",
                        alpha=0.45 if hatch else 1.0,
                        hatch="///" if hatch else None,
                        linewidths=0,
                    )
                )
            for d, h in zip(days, heights, strict=True):
                bottom[d] = bottom.get(d, 0) + h
            hatched = hatched or any(few)
            handles.append(Patch(facecolor=colour))
            labels.append(kind.capitalize())
        if hatched:
            handles.append(Patch(facecolor="white", edgecolor="black", hatch="///"))
            labels.append(f"fewer than {threshold}\n(not to scale)")
        if last - first < MIN_SPAN:
            last = first + MIN_SPAN
        ax.set_xlim(mdates.date2num(first) - 1, mdates.date2num(last) + 1)
        ax.set_ylim(0, max(bottom.values()) * 1.08)
    else:
        ax.text(0.5, 0.5, "No actions yet", ha="center", va="center", transform=ax.transAxes)
        if deadline is not None:
            centre = mdates.date2num(deadline)
            ax.set_xlim(centre - 7, centre + 7)
        ax.set_yticks([])
    if deadline is not None and deadline_shown:
        line = ax.axvline(mdates.date2num(deadline), color="#d62728", linestyle="--", linewidth=1.5)
        handles.append(line)
        labels.append(f"deadline\n{deadline:%d %b %Y}")
    elif deadline is not None:
        handles.append(Patch(facecolor="none", edgecolor="none"))
        labels.append(f"deadline {deadline:%d %b %Y}\n(off the chart)")
    if handles:
        fig.legend(
            handles,
            labels,
            loc="upper left",
            bbox_to_anchor=(0.75, 0.91),
            fontsize=8,
            frameon=False,
        )
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    if cells:
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("actions per day")
    ax.set_title(title, fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()

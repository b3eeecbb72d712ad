"""Charts for organisers' reports: a PNG of actions per day by type, with the deadline marked.

Rendered off-screen (matplotlib's Agg backend, selected here and only here) at a fixed size,
800x450 pixels, so the picture pastes into a report the same way every time. Counts of 5 or
more (the small-number threshold) are stacked to scale. Counts below it are never drawn to
scale and never stacked: a day's small counts are one grey hatched bar of a fixed height
beside the real ones, labelled "<5", so no pile of them reads as a number on the axis.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

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


MAX_LABELS = 90  # "<5" labels drawn at most (past that, the legend says it)
SMALL = "#7f7f7f"  # the colour of a day's "<5" bar


@dataclass(frozen=True)
class Bar:
    """One drawn rectangle: ``kind`` is ``None`` for a day's hatched "<5" bar."""

    day: dt.date
    kind: str | None
    left: float  # offset from the day's centre, in days
    width: float
    bottom: float
    height: float

    @property
    def hatched(self) -> bool:
        return self.kind is None


def bars(cells: Mapping[tuple[dt.date, str], int], threshold: int = 5) -> list[Bar]:
    """The rectangles of the chart: real counts stacked by type; small ones one fixed bar.

    A day with both shares its slot: the real stack on the left, the "<5" bar on the right.
    The "<5" bar is ``threshold * 0.6`` high and always starts at zero.
    """
    out: list[Bar] = []
    for day in sorted({d for d, _ in cells}):
        real = [(k, cells[(day, k)]) for k in ACTION_TYPES if cells.get((day, k), 0) >= threshold]
        small = any(0 < cells.get((day, k), 0) < threshold for k in ACTION_TYPES)
        width = BAR * 0.6 if real and small else BAR
        left = -BAR / 2
        bottom = 0.0
        for kind, n in real:
            out.append(Bar(day, kind, left, width, bottom, float(n)))
            bottom += n
        if small:
            sw = BAR - width if real else BAR
            out.append(Bar(day, None, BAR / 2 - sw, sw, 0.0, threshold * 0.6))
    return out


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
    handles: list[Any] = []
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
        drawn = bars(cells, threshold)
        for kind in (*ACTION_TYPES, None):
            mine = [b for b in drawn if b.kind == kind]
            if not mine:
                continue
            verts = [
                [
                    (mdates.date2num(b.day) + b.left, b.bottom),
                    (mdates.date2num(b.day) + b.left, b.bottom + b.height),
                    (mdates.date2num(b.day) + b.left + b.width, b.bottom + b.height),
                    (mdates.date2num(b.day) + b.left + b.width, b.bottom),
                ]
                for b in mine
            ]
            colour = COLOURS.get(kind, "#7f7f7f") if kind else SMALL
            ax.add_collection(
                PolyCollection(
                    verts,
                    facecolors="white" if kind is None else colour,
                    edgecolors=colour if kind is None else "none",
                    hatch="///" if kind is None else None,
                    linewidths=0.8 if kind is None else 0,
                )
            )
            if kind is None:
                handles.append(Patch(facecolor="white", edgecolor=SMALL, hatch="///"))
                labels.append(f"fewer than {threshold}\n(any type, not to scale)")
                for b in mine[:MAX_LABELS]:
                    x = mdates.date2num(b.day) + b.left + b.width / 2
                    ax.text(x, b.height, f"<{threshold}", ha="center", va="bottom", fontsize=7)
            else:
                handles.append(Patch(facecolor=colour))
                labels.append(kind.capitalize())
        top = max(b.bottom + b.height for b in drawn)
        if last - first < MIN_SPAN:
            last = first + MIN_SPAN
        ax.set_xlim(mdates.date2num(first) - 1, mdates.date2num(last) + 1)
        ax.set_ylim(0, top * 1.15)
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
    if cells and any(n >= threshold for n in cells.values()):
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    elif cells:
        ax.set_yticks([])  # only "<5" bars: no scale to read them against
    ax.set_ylabel("actions per day")
    ax.set_title(title, fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()

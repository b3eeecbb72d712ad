"""Figures: the ratio to a goal, a run's record (date, commit, load), comparing two runs, and
the README's table of them.

A figure is a dict ``{"group", "name", "value", "unit", "goal"}`` with, optionally, ``better``
(``"higher"`` or ``"lower"``; by default lower for times and sizes, higher otherwise). Its
``ratio`` to the goal has one meaning: at least 1 when the goal is met (value / goal when
higher is better, goal / value when lower is).
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import subprocess
from pathlib import Path

LOWER_UNITS = {"ms", "s", "MB", "429s", "requests", "us"}
WORSE = 0.2  # a figure this much worse than its baseline is flagged
START, END = "<!-- figures:start -->", "<!-- figures:end -->"


def better(fig: dict) -> str:
    """``"higher"`` or ``"lower"``: which way this figure improves."""
    return fig.get("better") or ("lower" if fig.get("unit") in LOWER_UNITS else "higher")


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def ratio(fig: dict) -> float | None:
    """The ratio to the goal, at least 1 when the goal is met; ``None`` without one."""
    value, goal = _number(fig.get("value")), _number(fig.get("goal"))
    if value is None or goal is None:
        return None
    if better(fig) == "higher":
        return round(value / goal, 2) if goal else None
    if value <= 0:
        return 1.0 if goal >= value else 0.0  # nothing happened, as the goal asks
    return round(goal / value, 2)


def finish(fig: dict, group: str) -> dict:
    """The figure with its group, direction and ratio filled in."""
    out = {"group": group} | fig
    out["better"] = better(out)
    out["ratio"] = ratio(out)
    return out


def record(figures: list[dict], root: Path) -> dict:
    """A run as stored in ``bench/baseline.json``: when, which commit, how busy, the figures."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = []
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit,
        "load_average": load,
        "figures": figures,
    }


def _key(fig: dict) -> tuple[str, str]:
    return fig.get("group", ""), fig["name"]


def merge_runs(runs: list[list[dict]]) -> list[dict]:
    """One figure per name from several runs of the same groups: the median value, every
    run's value (``runs``) and the spread, (max - min) / median (``spread``)."""
    if len(runs) == 1:
        return runs[0]
    values: dict[tuple[str, str], list[float]] = {}
    for run in runs:
        for fig in run:
            v = _number(fig.get("value"))
            if v is not None:
                values.setdefault(_key(fig), []).append(v)
    out = []
    for fig in runs[-1]:
        vs = values.get(_key(fig))
        if vs:
            median = statistics.median(vs)
            value = round(median, 3) if isinstance(fig["value"], float) else median
            spread = (max(vs) - min(vs)) / abs(median) if median else 0.0
            fig = fig | {"value": value, "runs": vs, "spread": round(spread, 3)}
            fig["ratio"] = ratio(fig)
        out.append(fig)
    return out


def _shown(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def compare(figures: list[dict], baseline: dict) -> tuple[list[tuple[str, ...]], list[dict]]:
    """Rows of (group, figure, baseline, now, change, flag) and the figures more than
    ``WORSE`` worse than their baseline. A change within the run-to-run spread measured (of
    this run or the baseline's, when they ran each group several times) is ``noise``."""
    before = {_key(f): f for f in baseline.get("figures", [])}
    rows, worse = [], []
    for fig in figures:
        old = before.get(_key(fig))
        now, was = _number(fig.get("value")), _number(old.get("value")) if old else None
        change, flag = "", ""
        if old is None:
            flag = "new"
        elif now is not None and was:
            rel = (now - was) / abs(was)
            change = f"{rel:+.0%}"
            spread = max(fig.get("spread") or 0.0, old.get("spread") or 0.0)
            if spread and abs(rel) <= spread:
                flag = "noise"
            elif (rel if better(fig) == "lower" else -rel) > WORSE:
                flag = "WORSE"
                worse.append(fig)
        elif now is not None and was == 0 and better(fig) == "lower" and now > 0:
            change, flag = "from 0", "WORSE"
            worse.append(fig)
        shown_old = "" if old is None else _shown(old.get("value"))
        rows.append(
            (fig.get("group", ""), fig["name"], shown_old, _shown(fig["value"]), change, flag)
        )
    return rows, worse


def text_table(rows: list[tuple[str, ...]]) -> str:
    """Columns padded to their widest cell, a rule under the first row."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _unit(fig: dict) -> str:
    """The unit as shown after a number: none for plain ratios and shares."""
    unit = fig.get("unit", "")
    return "" if unit in ("ratio", "share") else unit


def _goal(fig: dict) -> str:
    goal = fig.get("goal")
    if goal is None:
        return ""
    word = "at most" if better(fig) == "lower" else "at least"
    return f"{word} {_shown(goal)} {_unit(fig)}".rstrip()


def readme_table(baseline: dict) -> str:
    """The README's table: every figure of the baseline that has a goal, with its ratio."""
    load = ", ".join(str(x) for x in baseline.get("load_average", []))
    lines = [
        f"Baseline `bench/baseline.json`: {baseline['date']}, commit {baseline['commit']},"
        f" load average {load or 'unknown'}."
        + (f" {baseline['note']}." if "note" in baseline else ""),
        "",
        "| group | figure | value | goal | ratio to goal |",
        "| --- | --- | --- | --- | --- |",
    ]
    for fig in baseline["figures"]:
        if fig.get("goal") is None:
            continue
        r = ratio(fig)
        value = f"{_shown(fig['value'])} {_unit(fig)}".rstrip()
        cells = (
            fig.get("group", ""),
            fig["name"],
            value,
            _goal(fig),
            "" if r is None else f"{r:.2f}",
        )
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def with_table(readme: str, table: str) -> str:
    """``readme`` with the text between the figures markers replaced by ``table``."""
    head, sep, rest = readme.partition(START)
    _, sep2, tail = rest.partition(END)
    if not sep or not sep2:
        raise ValueError(f"README has no {START} ... {END} markers")
    return f"{head}{START}\n{table}\n{END}{tail}"

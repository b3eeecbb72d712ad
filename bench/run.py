"""Run the benchmarks and print a table of figures with the ratio to each goal.

python bench/run.py              # all benchmarks
python bench/run.py --json FILE  # also write the figures as JSON
python bench/run.py --only core  # one group (core, import, telegram, stats, http)
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import inspect
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Each group is a module bench/<name>_bench.py with run() -> list[figure].
GROUPS = ["core", "import", "telegram", "stats", "broadcast", "http"]


def _call(fn):
    out = fn()
    return asyncio.run(out) if inspect.isawaitable(out) else out


def collect(only: list[str] | None) -> list[dict]:
    figures: list[dict] = []
    for group in GROUPS:
        if only and group not in only:
            continue
        module = importlib.import_module(f"bench.{group}_bench")
        for fig in _call(module.run):
            fig.setdefault("group", group)
            figures.append(fig)
    return figures


def table(figures: list[dict]) -> str:
    rows = [("group", "figure", "value", "unit", "goal", "ratio to goal")]
    for f in figures:
        goal = f.get("goal")
        rows.append(
            (
                f.get("group", ""),
                f["name"],
                f"{f['value']:,}" if isinstance(f["value"], int) else str(f["value"]),
                f.get("unit", ""),
                "" if goal is None else str(goal),
                "" if f.get("ratio") is None else f"{f['ratio']:.2f}",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--json", metavar="FILE", help="write the figures as a JSON list")
    p.add_argument("--only", action="append", help="run only this group (repeatable)")
    args = p.parse_args()
    figures = collect(args.only)
    print(table(figures))
    if args.json:
        clean = [
            {k: f[k] for k in ("name", "value", "unit", "goal") if k in f}
            | ({"ratio": f["ratio"]} if "ratio" in f else {})
            for f in figures
        ]
        Path(args.json).write_text(json.dumps(clean, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

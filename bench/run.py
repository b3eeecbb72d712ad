"""Run the benchmarks and print a table of figures with the ratio to each goal.

python bench/run.py                        # all benchmarks
python bench/run.py --only core            # one group (core, import, telegram, stats, ...)
python bench/run.py --json FILE            # also write the run (figures, date, commit, load)
python bench/run.py --compare bench/baseline.json   # each group run 3 times: the median
                                           # beside the baseline's; a change within the
                                           # spread is "noise"; exit 1 if any other is
                                           # more than 20% worse
python bench/run.py --repeat 3 --json FILE # median and spread of 3 runs (a new baseline)
python bench/run.py --from RUN.json --compare bench/baseline.json   # an earlier run's figures
python bench/run.py --readme               # README's figures table from bench/baseline.json

"Ratio to goal" is at least 1 when the goal is met: value / goal for a figure where higher is
better, goal / value where lower is (bench/figures.py).
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

from bench.figures import (  # noqa: E402
    WORSE,
    compare,
    finish,
    merge_runs,
    readme_table,
    record,
    text_table,
    with_table,
)

# Each group is a module bench/<name>_bench.py with run() -> list[figure].
GROUPS = ["core", "import", "telegram", "stats", "broadcast", "http", "openloop", "broadcastday"]
BASELINE = ROOT / "bench" / "baseline.json"
README = ROOT / "README.md"


def _call(fn):
    out = fn()
    return asyncio.run(out) if inspect.isawaitable(out) else out


def collect(only: list[str] | None, repeat: int = 1) -> list[dict]:
    """Every group (or ``only`` these), each run ``repeat`` times in a row: the median."""
    figures: list[dict] = []
    for group in GROUPS:
        if only and group not in only:
            continue
        module = importlib.import_module(f"bench.{group}_bench")
        runs = []
        for i in range(repeat):
            if repeat > 1:
                print(f"{group}: run {i + 1} of {repeat}", file=sys.stderr, flush=True)
            runs.append([finish(fig, fig.get("group", group)) for fig in _call(module.run)])
        figures += merge_runs(runs)
    return figures


def table(figures: list[dict]) -> str:
    rows = [("group", "figure", "value", "unit", "goal", "better", "ratio to goal", "spread")]
    for f in figures:
        goal = f.get("goal")
        rows.append(
            (
                f.get("group", ""),
                f["name"],
                f"{f['value']:,}" if isinstance(f["value"], int) else str(f["value"]),
                f.get("unit", ""),
                "" if goal is None else str(goal),
                "" if goal is None else f.get("better", ""),
                "" if f.get("ratio") is None else f"{f['ratio']:.2f}",
                "" if f.get("spread") is None else f"{f['spread']:.0%}",
            )
        )
    return text_table(rows)


def _load(path: str) -> dict:
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError) as e:
        raise SystemExit(f"cannot read {path}: {e}") from None
    if isinstance(data, list):  # a --json file of older runs: the figures alone
        data = {"date": "?", "commit": "?", "load_average": [], "figures": data}
    return data


def main() -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--json", metavar="FILE", help="write the run (figures, date, commit, load)")
    p.add_argument("--only", action="append", help="run only this group (repeatable)")
    p.add_argument("--compare", metavar="FILE", help="print each figure beside this baseline")
    p.add_argument("--from", dest="source", metavar="FILE", help="figures of an earlier run")
    p.add_argument("--readme", action="store_true", help="README's table from the baseline")
    p.add_argument(
        "--repeat",
        type=int,
        default=None,
        help="run each group this many times, report the median and spread "
        "(default: 3 with --compare, else 1)",
    )
    args = p.parse_args()
    if args.readme:
        README.write_text(with_table(README.read_text("utf-8"), readme_table(_load(BASELINE))))
        print(f"{README.name}: figures table rewritten from {BASELINE.relative_to(ROOT)}")
        return 0
    if args.source:
        figures = [
            finish(f, f.get("group", ""))
            for f in _load(args.source)["figures"]
            if not args.only or f.get("group") in args.only
        ]
    else:
        repeat = args.repeat or (3 if args.compare else 1)
        figures = collect(args.only, max(1, repeat))
    run = record(figures, ROOT)
    print(table(figures))
    print(f"\n{run['date']}, commit {run['commit']}, load average {run['load_average']}")
    if args.json:
        Path(args.json).write_text(json.dumps(run, indent=2, ensure_ascii=False) + "\n")
    if not args.compare:
        return 0
    base = _load(args.compare)
    rows, worse = compare(figures, base)
    print(
        f"\nagainst {args.compare} ({base['date']}, commit {base['commit']},"
        f" load average {base.get('load_average')}):\n"
    )
    print(text_table([("group", "figure", "baseline", "now", "change", ""), *rows]))
    if worse:
        print(f"\n{len(worse)} figure(s) more than {WORSE:.0%} worse than the baseline")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

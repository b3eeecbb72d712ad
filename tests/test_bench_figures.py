"""Benchmark figures: one meaning of "ratio to goal", a comparison that flags a figure gone
more than 20% worse, and the README's table written from the committed baseline."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.figures import compare, finish, readme_table, with_table

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "bench" / "baseline.json"


def fig(name: str, value, unit: str, goal=None, **kw) -> dict:
    return finish({"name": name, "value": value, "unit": unit, "goal": goal, **kw}, "g")


def test_ratio_to_goal_is_at_least_one_when_the_goal_is_met_whichever_way_it_points():
    assert fig("rate", 3000, "1/s", 2000)["ratio"] == 1.5  # higher is better: value / goal
    assert fig("rate", 1000, "1/s", 2000)["ratio"] == 0.5
    assert fig("time", 8.2, "ms", 500.0)["ratio"] == 60.98  # lower is better: goal / value
    assert fig("time", 1000, "ms", 500.0)["ratio"] == 0.5
    growth = fig("1M / 10k", 1.5, "ratio", 3, better="lower")
    assert growth["ratio"] == 2.0 and growth["better"] == "lower"
    assert fig("429s", 0, "429s", 0)["ratio"] == 1.0  # none, as the goal asks
    assert fig("429s", 2, "429s", 0)["ratio"] == 0.0
    assert fig("no goal", 5, "1/s")["ratio"] is None
    assert fig("text", "1.2 / 3.4", "ms", 5)["ratio"] is None


def test_compare_flags_only_figures_more_than_20_percent_worse():
    base = {
        "figures": [
            fig("rate", 1000, "1/s", 2000),
            fig("other rate", 1000, "1/s"),
            fig("time", 100.0, "ms"),
            fig("other time", 100.0, "ms"),
            fig("429s", 0, "429s", 0),
            fig("gone", 1, "1/s"),
        ]
    }
    now = [
        fig("rate", 790, "1/s", 2000),  # 21% fewer: worse
        fig("other rate", 850, "1/s"),  # 15% fewer: within the spread
        fig("time", 125.0, "ms"),  # 25% longer: worse
        fig("other time", 50.0, "ms"),  # twice as fast: better, not flagged
        fig("429s", 3, "429s", 0),
        fig("new one", 7, "1/s"),
    ]
    rows, worse = compare(now, base)
    assert [f["name"] for f in worse] == ["rate", "time", "429s"]
    flags = {r[1]: (r[2], r[3], r[4], r[5]) for r in rows}
    assert flags["rate"] == ("1,000", "790", "-21%", "WORSE")
    assert flags["other rate"] == ("1,000", "850", "-15%", "")
    assert flags["other time"] == ("100.0", "50.0", "-50%", "")
    assert flags["new one"][3] == "new"


def test_run_compare_prints_each_figure_beside_the_baseline_and_fails_on_a_worse_one(tmp_path):
    base = {"date": "2026-12-01 00:00 UTC", "commit": "abc1234", "load_average": [0.5]}
    (tmp_path / "base.json").write_text(
        json.dumps(base | {"figures": [fig("rate", 1000, "1/s", 2000)]}), "utf-8"
    )
    (tmp_path / "now.json").write_text(
        json.dumps(base | {"figures": [fig("rate", 700, "1/s", 2000)]}), "utf-8"
    )
    args = ["--from", str(tmp_path / "now.json"), "--compare", str(tmp_path / "base.json")]
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), *args], capture_output=True, text=True
    )
    assert out.returncode == 1, out.stderr
    assert "(2026-12-01 00:00 UTC, commit abc1234, load average [0.5])" in out.stdout
    assert "rate    1,000     700  -30%    WORSE" in out.stdout
    assert "1 figure(s) more than 20% worse than the baseline" in out.stdout
    assert not out.stderr


def test_the_readme_figures_table_is_the_committed_baseline():
    baseline = json.loads(BASELINE.read_text("utf-8"))
    assert {"date", "commit", "load_average", "figures"} <= baseline.keys()
    readme = (ROOT / "README.md").read_text("utf-8")
    assert with_table(readme, readme_table(baseline)) == readme, (
        "README's figures table differs from bench/baseline.json: run bench/run.py --readme"
    )
    table = readme_table(baseline)
    assert "| core | took_action confirmations/s (core + SQLite, 50 concurrent) |" in table
    assert f"commit {baseline['commit']}" in table


def test_three_runs_give_the_median_and_a_change_within_their_spread_is_noise():
    from bench.figures import merge_runs

    runs = [
        [fig("rate", v, "1/s", 2000), fig("time", t, "ms")]
        for v, t in ((900, 10.0), (1100, 10.2), (1000, 9.8))
    ]
    rate, time = merge_runs(runs)
    assert rate["value"] == 1000 and rate["spread"] == 0.2 and rate["ratio"] == 0.5
    assert time["value"] == 10.0 and time["spread"] == 0.04
    base = {"figures": [rate, time]}
    now = [fig("rate", 790, "1/s", 2000, spread=0.2), fig("time", 12.6, "ms", spread=0.04)]
    rows, worse = compare(now, base)
    assert [r[5] for r in rows] == ["WORSE", "WORSE"]
    now = [fig("rate", 810, "1/s", 2000, spread=0.25), fig("time", 10.3, "ms", spread=0.01)]
    rows, worse = compare(now, base)
    assert [r[5] for r in rows] == ["noise", "noise"] and worse == []

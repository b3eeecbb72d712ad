"""The import benchmark runs and gives one figure per format."""

from __future__ import annotations

import pytest


def test_import_bench_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    from bench import import_bench

    monkeypatch.setattr(import_bench, "ROUNDS", 1)
    figures = import_bench.run_import_bench()
    assert [f["name"].split(",")[1].split()[0] for f in figures] == [".txt", ".docx", ".pdf"]
    for f in figures:
        assert set(f) >= {"name", "value", "unit", "goal"}
        assert f["unit"] == "ms" and 0 < f["value"] < 5000


def test_fidelity_figures_and_table() -> None:
    from bench import import_bench

    figures = import_bench.fidelity_figures()
    assert [f["name"].split(",")[1].split()[0] for f in figures] == [".docx", ".pdf", ".txt"]
    assert all(0.95 <= f["value"] <= 1 and f["unit"] == "share" for f in figures)
    rows = import_bench.fidelity_table().splitlines()
    assert rows[0] == "family | .txt | .docx | .pdf"
    assert [r.split(" | ")[0] for r in rows[1:]] == [*"ABCDEFG", "all"]
    from tests.ua_fidelity import FIELDS, fixtures

    total = len(fixtures()) * len(FIELDS)
    assert rows[-1].startswith("all | ") and rows[-1].count(f"/{total}") == 3

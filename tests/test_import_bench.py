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

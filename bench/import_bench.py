"""UA document import time per document, for each format.

The sample set is the shared sample UA 253/17 and the fixtures in tests/fixtures/ua (one
document in each layout family and follow-ups). Each is imported as .txt, as .docx built
with python-docx (address blocks in a two-column table where the fixture marks them) and
as a multi-page .pdf built with reportlab. A figure is the median over the documents of
each document's median time over ROUNDS imports, after one warm-up import.

The goal is an interactive one: an organiser sends a document and waits for the report.
For these times lower is better: bench/run.py's ratio is goal / value (1 or more: met).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ROUNDS = 5
GOAL_MS = 500.0


def sample_set() -> dict[str, dict[str, bytes]]:
    """Each document's bytes by format: {"txt": ..., "docx": ..., "pdf": ...}."""
    from tests.ua_builders import build_docx, build_pdf, plain

    texts = {"ua_253_17": (ROOT / "ua_bot" / "samples" / "ua_253_17.txt").read_text("utf-8")}
    for path in sorted((ROOT / "tests" / "fixtures" / "ua").glob("*.txt")):
        texts[path.stem] = path.read_text("utf-8")
    docs = {}
    for name, text in texts.items():
        try:
            pdf = build_pdf(text).data
        except RuntimeError:  # no installed font for its characters: leave it out
            continue
        docs[name] = {"txt": plain(text).encode("utf-8"), "docx": build_docx(text), "pdf": pdf}
    return docs


def _time_ms(data: bytes, filename: str) -> float:
    from ua_bot.importer import import_bytes

    times = []
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        result = import_bytes(data, filename)
        times.append((time.perf_counter() - t0) * 1000)
        assert result.report.ok, (filename, result.report.errors)
    return statistics.median(times)


def run_import_bench() -> list[dict]:
    """Median import time per document for .txt, .docx and .pdf."""
    from ua_bot.importer import import_bytes

    docs = sample_set()
    first = next(iter(docs.values()))
    for fmt, data in first.items():  # warm-up: imports, caches, lazy tables
        import_bytes(data, f"warmup.{fmt}")
    figures = []
    for fmt in ("txt", "docx", "pdf"):
        per_doc = [_time_ms(formats[fmt], f"{name}.{fmt}") for name, formats in docs.items()]
        value = round(statistics.median(per_doc), 2)
        figures.append(
            {
                "name": f"import time per document, .{fmt} (median of {len(per_doc)} documents)",
                "value": value,
                "unit": "ms",
                "goal": GOAL_MS,
            }
        )
    return figures


run = run_import_bench  # the name bench/run.py looks for in each group module


if __name__ == "__main__":
    for fig in run_import_bench():
        print(f"{fig['name']}: {fig['value']} {fig['unit']} (goal {fig['goal']})")


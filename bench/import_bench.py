"""UA document import: time per document for each format, and fields read right.

Time: the sample set is the shared sample UA 253/17, the fixtures in tests/fixtures/ua (one
document in each layout family and follow-ups) and the 42 unseen-layout fixtures in
tests/fixtures/ua_unseen. Each is imported as .txt, as .docx built with python-docx
(address blocks in a two-column table where the fixture marks them) and as a multi-page
.pdf built with reportlab. A figure is the median over the documents of each document's
median time over ROUNDS imports, after one warm-up import. Times are the process's CPU
time (an import is single-threaded), so that a machine shared with other work does not
inflate them; wall time is that or more. The goal (50 ms) keeps an organiser's wait short;
lower is better, so the ratio is goal / value (above 1: within it).

Fidelity: fields right / fields in all over the unseen fixtures (tests/ua_fidelity.py), per
layout family and format; ``python bench/import_bench.py --fidelity`` prints the table.
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
GOAL_MS = 50.0
FIDELITY_GOAL = 0.95


def sample_set() -> dict[str, dict[str, bytes]]:
    """Each document's bytes by format: {"txt": ..., "docx": ..., "pdf": ...}."""
    from tests.ua_builders import build_docx, build_pdf, plain

    texts = {"ua_253_17": (ROOT / "ua_bot" / "samples" / "ua_253_17.txt").read_text("utf-8")}
    for folder in ("ua", "ua_unseen"):
        for path in sorted((ROOT / "tests" / "fixtures" / folder).glob("*.txt")):
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
        t0 = time.process_time()
        result = import_bytes(data, filename)
        times.append((time.process_time() - t0) * 1000)
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
                "name": f"import CPU time per document, .{fmt} "
                f"(median of {len(per_doc)} documents)",
                "value": value,
                "unit": "ms",
                "goal": GOAL_MS,
            }
        )
    return figures


def fidelity_figures() -> list[dict]:
    """Fields right / fields in all over the unseen fixtures, per format and in all."""
    from tests.ua_fidelity import by_family, score

    table = by_family(score())
    figures = []
    for (family, fmt), (right, total) in table.items():
        if family != "all":
            continue
        value = round(right / total, 3)
        figures.append(
            {
                "name": f"import fields right, .{fmt} (unseen fixtures: {right}/{total})",
                "value": value,
                "unit": "share",
                "goal": FIDELITY_GOAL,
                "ratio": round(value / FIDELITY_GOAL, 2),
            }
        )
    return figures


def fidelity_table() -> str:
    """Fields right / fields in all, one row per layout family, one column per format."""
    from tests.ua_fidelity import FORMATS, by_family, score

    table = by_family(score())
    families = sorted({family for family, _ in table}, key=lambda f: (f == "all", f))
    rows = ["family | " + " | ".join(f".{fmt}" for fmt in FORMATS)]
    for family in families:
        cells = [f"{table[(family, fmt)][0]}/{table[(family, fmt)][1]}" for fmt in FORMATS]
        rows.append(f"{family} | " + " | ".join(cells))
    return "\n".join(rows)


def run() -> list[dict]:
    """The name bench/run.py looks for in each group module."""
    return run_import_bench() + fidelity_figures()


if __name__ == "__main__":
    if "--fidelity" in sys.argv:
        print(fidelity_table())
    else:
        for fig in run():
            print(f"{fig['name']}: {fig['value']} {fig['unit']} (goal {fig['goal']})")

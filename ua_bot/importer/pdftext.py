"""Text lines from a PDF with pypdf: positions kept to drop running headers, footers and page
numbers, to find paragraph gaps, and to join lines wrapped inside a paragraph."""

from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from ua_bot.importer import limits
from ua_bot.importer.normalise import clean_line, is_page_number, normalise_chars
from ua_bot.importer.reflow import dehyphenate, helvetica_width, reflow


class PdfError(Exception):
    """The PDF cannot be read; the message is a one-line reason."""


@dataclass
class PdfLine:
    text: str
    x: float
    y: float
    size: float
    page: int
    right: float | None = None  # right edge from the page's leftmost text, when known


def _right_edges(page, reader) -> dict[float, float]:
    """The right edge of the text at each height of the page, from pypdf's layout-mode
    geometry (which measures the real glyphs). Empty when that private API fails: the
    caller then estimates widths with Helvetica's."""
    try:
        from pypdf._text_extraction import _layout_mode
        from pypdf.generic import ContentStream

        contents = page.get("/Contents")
        if contents is None:
            return {}
        ops = iter(ContentStream(contents.get_object(), reader, "bytes").operations)
        groups = _layout_mode.text_show_operations(ops, page._layout_mode_fonts())
    except Exception:
        return {}
    edges: dict[float, float] = {}
    for group in groups:
        if str(group.get("text", "")).strip():
            y = round(float(group["ty"]), 1)
            edges[y] = max(edges.get(y, 0.0), float(group["displaced_tx"]))
    return edges


def _attach_edges(lines: list[PdfLine], edges: dict[float, float]) -> None:
    if not edges:
        return
    heights = sorted(edges)
    for line in lines:
        nearest = min(heights, key=lambda y: abs(y - line.y))
        if abs(nearest - line.y) < 1.0:
            line.right = edges[nearest]


def _visitor_lines(page, number: int) -> list[PdfLine]:
    """The page's text lines with the position and size of each line's first text run."""
    lines: list[PdfLine] = []
    state: dict[str, object] = {"text": "", "pos": None}

    def flush() -> None:
        pos = state["pos"]
        if pos is not None:
            x, y, size = pos  # type: ignore[misc]
            lines.append(PdfLine(str(state["text"]), x, y, size, number))
        state["text"], state["pos"] = "", None

    def visit(text: str, cm, tm, font_dict, font_size) -> None:
        if not text:
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = (tm[2] ** 2 + tm[3] ** 2) ** 0.5 * (cm[2] ** 2 + cm[3] ** 2) ** 0.5
        size = float(font_size) * (scale or 1.0)
        parts = text.split("\n")
        for k, part in enumerate(parts):
            if state["pos"] is None and (part or k < len(parts) - 1):
                state["pos"] = (x, y, size)
            state["text"] = str(state["text"]) + part
            if k < len(parts) - 1:
                flush()

    page.extract_text(visitor_text=visit)
    flush()
    return lines


def _read_pages(data: bytes) -> list[list[PdfLine]]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise PdfError("The PDF is password-protected: send an unprotected copy.")
        too_many = limits.pages(len(reader.pages))
        if too_many:
            raise PdfError(too_many)
        pages = []
        for n, page in enumerate(reader.pages):
            lines = _visitor_lines(page, n)
            _attach_edges(lines, _right_edges(page, reader))
            pages.append(lines)
    except PdfError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as e:
        raise PdfError(f"The PDF cannot be read ({type(e).__name__}): is it damaged?") from e
    except Exception as e:  # pypdf raises many kinds on broken files
        if type(e).__name__ == "DependencyError":
            raise PdfError("The PDF is encrypted: send an unprotected copy.") from e
        raise PdfError(f"The PDF cannot be read ({type(e).__name__}): is it damaged?") from e
    for page in pages:
        for line in page:
            line.text = clean_line(normalise_chars(line.text).replace("\n", " "))
    return [[ln for ln in page if ln.text and not is_page_number(ln.text)] for page in pages]


def _running_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.casefold())


def _drop_running_lines(
    pages: list[list[PdfLine]], keep_footer: Callable[[str], bool] = lambda _: False
) -> list[PdfLine]:
    """Remove headers and footers repeated on several pages.

    The first page's copy of a header stays in place; one copy of each footer that
    ``keep_footer`` wants (one with the UA number and issue date) goes to the end.
    """
    if len(pages) < 2:
        return [line for page in pages for line in page]
    edge: dict[str, Counter[str]] = {"top": Counter(), "bottom": Counter()}
    for page in pages:
        ranked = sorted(page, key=lambda ln: -ln.y)
        for line in ranked[:3]:
            edge["top"][_running_key(line.text)] += 1
        for line in ranked[-3:]:
            edge["bottom"][_running_key(line.text)] += 1
    top = {k for k, n in edge["top"].items() if n >= 2}
    bottom = {k for k, n in edge["bottom"].items() if n >= 2} - top
    first_page = next((page[0].page for page in pages if page), 0)
    out: list[PdfLine] = []
    footers: dict[str, PdfLine] = {}
    for page in pages:
        for line in page:
            key = _running_key(line.text)
            if key in bottom:
                if keep_footer(line.text):
                    footers.setdefault(key, line)
            elif key not in top or line.page == first_page:
                out.append(line)
    for line in footers.values():
        line.y = float("nan")
        out.append(line)
    return out


def _leading(steps: list[float], body: float) -> float:
    """The line step inside a paragraph: the smallest step that recurs. One-line paragraphs
    (address lines) step by the line height plus the paragraph spacing, and can be most."""
    counts = Counter(round(step * 2) / 2 for step in steps)
    enough = max(2, len(steps) // 20)
    recurring = sorted(step for step, n in counts.items() if n >= enough)
    return recurring[0] if recurring else (statistics.median(steps) if steps else body * 1.2)


def _layout(lines: list[PdfLine]) -> tuple[list[bool], list[bool], list[float], float]:
    """Per line: a paragraph gap before it, a blank line before it, its width from the left
    margin (in ems of its font); and the full width (the widest line of body text)."""
    sizes = Counter(round(line.size) for line in lines)
    body = sizes.most_common(1)[0][0] if sizes else 10
    steps = [
        a.y - b.y
        for a, b in pairwise(lines)
        if a.page == b.page and 0 < a.y - b.y < 2.5 * max(a.size, 1)
    ]
    leading = _leading(steps, body)
    left: dict[int, float] = {}
    for line in lines:
        left[line.page] = min(left.get(line.page, line.x), line.x)
    gap, blank, width = [False] * len(lines), [False] * len(lines), [0.0] * len(lines)
    for i, line in enumerate(lines):
        em = max(line.size, 1)
        if line.right is not None:
            width[i] = line.right / em
        else:
            width[i] = (line.x - left[line.page]) / em + helvetica_width(line.text)
        if i == 0:
            continue
        prev = lines[i - 1]
        if prev.page != line.page or line.y != line.y or prev.y != prev.y:
            gap[i] = line.y != line.y or prev.y != prev.y  # moved footers stand apart
            continue
        step = prev.y - line.y
        gap[i] = step <= 0 or step > 1.3 * leading or round(line.size) != round(prev.size)
        blank[i] = step > 1.9 * leading
    full = _full_width(lines, width, gap, body)
    for i in range(1, len(lines)):  # across a page break there is no gap to see
        prev, line = lines[i - 1], lines[i]
        if prev.page != line.page and prev.y == prev.y and line.y == line.y:
            gap[i] = not line.text[:1].islower() and width[i - 1] < 0.9 * full
    return gap, blank, width, full


def _full_width(lines: list[PdfLine], width: list[float], gap: list[bool], body: int) -> float:
    """The width of a full line: the widest of the lines that surely wrapped (the next line
    goes on in lower case with no gap), as an unbreakable URL can stick out past the margin.
    Without such lines, the widest line of body text."""
    wrapped = [
        width[i]
        for i in range(len(lines) - 1)
        if lines[i].page == lines[i + 1].page
        and not gap[i + 1]
        and lines[i + 1].text[:1].islower()
        and round(lines[i].size) == body
    ]
    if len(wrapped) >= 2:
        return max(wrapped)
    return max((w for w, ln in zip(width, lines, strict=True) if round(ln.size) == body), default=0)


def _font_scale(lines: list[PdfLine], width: list[float]) -> float:
    """How much wider the document's font is than Helvetica (Courier about 1.2), from the
    measured lines, to estimate the width of a word that did not fit."""
    ratios = [
        width[i] / helvetica_width(line.text)
        for i, line in enumerate(lines)
        if line.right is not None and len(line.text) >= 20
    ]
    return statistics.median(ratios) if ratios else 1.0


def pdf_text(
    data: bytes,
    is_break: Callable[[str], bool] = lambda _: False,
    keep_footer: Callable[[str], bool] = lambda _: False,
) -> str:
    """The document's text, one paragraph or short line per line, blank lines at big gaps.

    ``is_break(line)``: the line starts a paragraph (a heading); ``keep_footer(line)``: a
    running footer worth one copy at the end.
    """
    lines = _drop_running_lines(_read_pages(data), keep_footer)
    if not lines:
        raise PdfError(
            "The PDF has no text layer (a scan?): send the Word or text version, or OCR it first."
        )
    texts = dehyphenate([line.text for line in lines])
    kept = [i for i, t in enumerate(texts) if t.strip()]
    gap, blank, width, full = _layout(lines)
    scale = _font_scale(lines, width)
    # A line emptied by dehyphenation passes its gap on to the next line.
    for i, t in enumerate(texts):
        if not t.strip() and i + 1 < len(texts):
            gap[i + 1] = gap[i + 1] or gap[i]
            blank[i + 1] = blank[i + 1] or blank[i]
    out_lines: list[str] = []
    out_gap: list[bool] = []
    out_width: list[float] = []
    for i in kept:
        if blank[i] and out_lines:
            out_lines.append("")
            out_gap.append(True)
            out_width.append(0.0)
        out_lines.append(texts[i])
        out_gap.append(gap[i])
        out_width.append(width[i])
    joined = reflow(
        out_lines,
        measure=lambda text: helvetica_width(text) * scale,
        widths=out_width,
        gap_before=out_gap,
        is_break=is_break,
        full=full,
        slack=0.97,
    )
    return "\n".join(joined)

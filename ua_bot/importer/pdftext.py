"""Text lines from a PDF: pypdf opens it (damaged or password-protected files are refused
with a reason), pdfminer.six gives each text line with its position, size and right edge
(its public layout API), kept to drop running headers, footers and page numbers, to find
paragraph gaps, and to join lines wrapped inside a paragraph or a column (docs/importing.md
says why pdfminer.six and not pypdf's private layout mode); ``pdfbounds`` bounds what the
pages unpack to while pdfminer reads them."""

from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise

from ua_bot.importer import limits
from ua_bot.importer.normalise import clean_line, is_page_number, normalise_chars
from ua_bot.importer.reflow import dehyphenate, reflow


class PdfError(Exception):
    """The PDF cannot be read; the message is a one-line reason."""


@dataclass
class PdfLine:
    text: str
    x: float
    y: float
    size: float
    page: int
    right: float | None = None  # right edge, measured from the page's leftmost text


# a glyph with no Unicode mapping; at the start of a line, a bullet
_CID_BULLET = re.compile(r"^\s*\(cid:\d+\)\s+")
_CID = re.compile(r"\(cid:\d+\)")


@dataclass
class Glyphs:
    """The document's own glyph widths in ems, measured from its characters: the width a
    word would have taken on the line before it (docs/ua-format.md §9)."""

    widths: dict[str, list[float]] = field(default_factory=dict)

    def add(self, text: str, width: float, size: float) -> None:
        if len(text) == 1 and size > 0 and width > 0:
            self.widths.setdefault(text, []).append(width / size)

    def measure(self) -> Callable[[str], float]:
        table = {ch: statistics.median(ws) for ch, ws in self.widths.items()}
        typical = statistics.median(table.values()) if table else 0.5
        table.setdefault(" ", typical * 0.5)
        return lambda text: sum(table.get(ch, typical) for ch in text)


def _pdfminer_pages(data: bytes, glyphs: Glyphs) -> list[list[PdfLine]]:
    """The pages' text lines from pdfminer.six's layout analysis (public API): each line's
    position, its font size and its measured right edge. Text boxes go top to bottom, and
    boxes side by side (columns) from left to right."""
    from pdfminer.layout import LAParams, LTChar, LTTextContainer, LTTextLine

    from ua_bot.importer.pdfbounds import layouts

    pages = []
    params = LAParams(line_margin=0.3, char_margin=1.5, boxes_flow=None)
    for number, layout in enumerate(layouts(data, params)):
        lines: list[PdfLine] = []
        boxes = [box for box in layout if isinstance(box, LTTextContainer)]
        for box in sorted(boxes, key=lambda b: (-round(b.y1 / 4), b.x0)):
            for line in box:
                if not isinstance(line, LTTextLine):
                    continue
                chars = [c for c in line if isinstance(c, LTChar)]
                for c in chars:
                    glyphs.add(c.get_text(), c.x1 - c.x0, c.size)
                size = statistics.median(c.size for c in chars) if chars else 10.0
                base = chars[0].matrix[5] if chars else line.y0
                text = _CID.sub("", _CID_BULLET.sub("• ", line.get_text()))
                lines.append(PdfLine(text, line.x0, base, size, number, line.x1))
        left = min((ln.x for ln in lines), default=0.0)
        for ln in lines:
            ln.right = (ln.right or 0.0) - left
        pages.append(lines)
    return pages


def _read_pages(data: bytes, glyphs: Glyphs) -> list[list[PdfLine]]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise PdfError("The PDF is password-protected: send an unprotected copy.")
        too_many = limits.pages(len(reader.pages))
        if too_many:
            raise PdfError(too_many)
        objects = sum(len(numbers) for numbers in reader.xref.values()) + len(reader.xref_objStm)
        limits.counted(objects, limits.MAX_OBJECTS, "objects")
        pages = _pdfminer_pages(data, glyphs)
    except PdfError:
        raise
    except limits.Refused as e:
        raise PdfError(str(e)) from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as e:
        raise PdfError(f"The PDF cannot be read ({type(e).__name__}): is it damaged?") from e
    except Exception as e:  # pypdf and pdfminer raise many kinds on broken files
        if type(e).__name__ == "DependencyError":
            raise PdfError("The PDF is encrypted: send an unprotected copy.") from e
        raise PdfError(f"The PDF cannot be read ({type(e).__name__}): is it damaged?") from e
    for page in pages:
        for line in page:
            line.text = clean_line(normalise_chars(line.text).replace("\n", " "))
    return [_without_page_number([ln for ln in page if ln.text]) for page in pages]


def _without_page_number(page: list[PdfLine]) -> list[PdfLine]:
    """The page without its page number: a number-only line at the top or bottom edge (a
    year wrapped onto its own line in the text stays)."""
    if not page:
        return page
    ranked = sorted(page, key=lambda ln: ln.y)
    drop = set()
    for edge, neighbour in ((0, 1), (-1, -2)):
        line = ranked[edge]
        apart = len(ranked) < 2 or abs(line.y - ranked[neighbour].y) > 1.5 * max(line.size, 1)
        if apart and is_page_number(line.text):
            drop.add(id(line))
    return [ln for ln in page if id(ln) not in drop]


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
    # A running line stands at the same height at a page edge on two pages or more; the same
    # words elsewhere (a salutation that fell at the foot of two pages) are text.
    edge: dict[str, dict[str, list[float]]] = {"top": {}, "bottom": {}}
    for page in pages:
        ranked = sorted(page, key=lambda ln: -ln.y)
        for line in ranked[:3]:
            edge["top"].setdefault(_running_key(line.text), []).append(line.y)
        for line in ranked[-3:]:
            edge["bottom"].setdefault(_running_key(line.text), []).append(line.y)

    def running(ys: list[float]) -> set[float]:
        return {y for y in ys if sum(abs(y - other) < 2 for other in ys) >= 2}

    # A running line has words: a year wrapped onto its own line near two page ends is text
    words = re.compile(r"[^\W\d_]{3}")
    top = {k: running(ys) for k, ys in edge["top"].items() if words.search(k) and running(ys)}
    bottom = {
        k: running(ys)
        for k, ys in edge["bottom"].items()
        if words.search(k) and running(ys) and k not in top
    }

    def at(found: dict[str, set[float]], key: str, y: float) -> bool:
        return key in found and any(abs(y - other) < 2 for other in found[key])

    first_page = next((page[0].page for page in pages if page), 0)
    out: list[PdfLine] = []
    footers: dict[str, PdfLine] = {}
    for page in pages:
        for line in page:
            key = _running_key(line.text)
            if at(bottom, key, line.y):
                if keep_footer(line.text):
                    footers.setdefault(key, line)
            elif not at(top, key, line.y) or line.page == first_page:
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
    gap, blank, width = [False] * len(lines), [False] * len(lines), [0.0] * len(lines)
    for i, line in enumerate(lines):
        em = max(line.size, 1)
        width[i] = (line.right or 0.0) / em
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
    _left_column_room(lines, width, full)
    for i in range(1, len(lines)):  # across a page break there is no gap to see
        prev, line = lines[i - 1], lines[i]
        if prev.page != line.page and prev.y == prev.y and line.y == line.y:
            gap[i] = not line.text[:1].islower() and width[i - 1] < 0.9 * full
    return gap, blank, width, full


def _left_column_room(lines: list[PdfLine], width: list[float], full: float) -> None:
    """Two columns (the target blocks of 2010-2016 UAs): a left-column line can only have
    wrapped if the next word would not fit before the right column. Its width is set so
    that the room left on it is the room before the right column (less a gutter of 1 em)."""
    pages: dict[int, list[int]] = {}
    for i, line in enumerate(lines):
        if line.y == line.y:  # not a moved footer
            pages.setdefault(line.page, []).append(i)
    for idx in pages.values():
        left = min(lines[i].x for i in idx)
        rows = [
            (lines[i].y, lines[j].x)
            for i in idx
            for j in idx
            if lines[j].x > lines[i].x + 3 * lines[i].size and abs(lines[j].y - lines[i].y) < 1
        ]
        if not rows:
            continue
        top, bottom = max(y for y, _ in rows), min(y for y, _ in rows)
        column = min(x for _, x in rows)
        for i in idx:
            line, em = lines[i], max(lines[i].size, 1)
            if abs(line.x - left) < 2 and bottom - 2 * em <= line.y <= top + 2 * em:
                room = (column - left) / em - 1.0 - width[i]
                width[i] = full - max(room, 0.0)


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


def pdf_text(
    data: bytes,
    is_break: Callable[[str], bool] = lambda _: False,
    keep_footer: Callable[[str], bool] = lambda _: False,
) -> str:
    """The document's text, one paragraph or short line per line, blank lines at big gaps.

    ``is_break(line)``: the line starts a paragraph (a heading); ``keep_footer(line)``: a
    running footer worth one copy at the end.
    """
    glyphs = Glyphs()
    lines = _drop_running_lines(_read_pages(data, glyphs), keep_footer)
    if not lines:
        raise PdfError(
            "The PDF has no text layer (a scan?): send the Word or text version, or OCR it first."
        )
    texts = dehyphenate([line.text for line in lines])
    kept = [i for i, t in enumerate(texts) if t.strip()]
    gap, blank, width, full = _layout(lines)
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
        measure=glyphs.measure(),
        widths=out_width,
        gap_before=out_gap,
        is_break=is_break,
        full=full,
        slack=0.97,
    )
    return "\n".join(joined)

"""Build .docx and .pdf files from fixture text, as Word and a PDF printer would lay them out.

Fixture text has one paragraph a line. Lines ``[[table]]``, ``[[cell]]`` and ``[[/table]]``
mark blocks to put side by side in a two-column Word table (the .txt and .pdf versions show
the blocks one after the other, as a Word-to-text export does).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

TABLE, CELL, END = "[[table]]", "[[cell]]", "[[/table]]"


def plain(text: str) -> str:
    """The fixture as a .txt export: table markers removed."""
    return "\n".join(line for line in text.split("\n") if line.strip() not in (TABLE, CELL, END))


def visible(text: str) -> str:
    """What Word shows: no ``[bookmark: ...]`` export artefacts."""
    return re.sub(r"\[bookmark:[^\]]*\]", "", text)


def build_docx(text: str, *, header: str = "", footer: str = "") -> bytes:
    """A Word document: a paragraph a line, marked blocks in a two-column table."""
    from docx import Document

    doc = Document()
    text = visible(text)
    if header:
        doc.sections[0].header.paragraphs[0].text = header
    if footer:
        doc.sections[0].footer.paragraphs[0].text = footer
    cells: list[list[str]] | None = None
    for line in text.split("\n"):
        mark = line.strip()
        if mark == TABLE:
            cells = [[]]
        elif mark == CELL and cells is not None:
            cells.append([])
        elif mark == END and cells is not None:
            table = doc.add_table(rows=(len(cells) + 1) // 2, cols=2)
            for n, lines in enumerate(cells):
                cell = table.cell(n // 2, n % 2)
                cell.paragraphs[0].text = lines[0] if lines else ""
                for extra in lines[1:]:
                    cell.add_paragraph(extra)
            cells = None
        elif cells is not None:
            cells[-1].append(line)
        else:
            doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


FONT_FILES = {
    "DejaVuSans": Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    "DejaVuSerif": Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"),
}


def pdf_font(text: str, font: str = "Helvetica") -> str | None:
    """``font`` if it can show the text (standard fonts: Windows-1252 only), else DejaVu Sans,
    embedded; ``None`` when the TrueType font needed is not installed."""
    if font not in FONT_FILES:
        try:
            text.encode("cp1252")
            return font
        except UnicodeEncodeError:
            font = "DejaVuSans"
    if not FONT_FILES[font].exists():
        return None
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(font, str(FONT_FILES[font])))
    return font


@dataclass
class PdfBuild:
    data: bytes
    pages: int
    hyphenated: list[str]


def build_pdf(
    text: str,
    *,
    header: str = "Amnesty International - Urgent Action Network",
    footer: str = "",
    font_size: float = 11,
    page_size: tuple[float, float] = (420, 595),  # A5: several pages
    font: str = "Helvetica",
    columns: bool = False,
) -> PdfBuild:
    """A PDF laid out line by line: wrapped paragraphs, words hyphenated at line ends, a
    running header and footer, and a page number at the bottom of each page. With
    ``columns``, the ``[[table]]`` blocks stand side by side in two columns (family C)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    text = visible(text) if columns else plain(visible(text))
    chosen = pdf_font(plain(text), font)
    if chosen is None:
        raise RuntimeError(f"no font for this text: install {FONT_FILES}")
    font = chosen
    lead, margin = font_size * 1.25, 40
    width, height = page_size
    usable = width - 2 * margin
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=page_size)
    state = {"page": 1, "y": height - margin - 10}
    hyphenated: list[str] = []

    def furniture() -> None:
        c.setFont(font, 8)
        if header:
            c.drawString(margin, height - 25, header)
        if footer:
            c.drawString(margin, 28, footer)
        c.drawCentredString(width / 2, 15, str(state["page"]))
        c.setFont(font, font_size)

    def emit(line: str) -> None:
        if state["y"] < margin + 10:
            c.showPage()
            state["page"] += 1
            state["y"] = height - margin - 10
            furniture()
        c.drawString(margin, state["y"], line)
        state["y"] -= lead

    def fits(s: str) -> bool:
        return stringWidth(s, font, font_size) <= usable

    def wrapped(para: str, room: float) -> list[str]:
        lines, line = [], ""
        for word in para.split():
            if line and stringWidth(f"{line} {word}", font, font_size) > room:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        return [*lines, line] if line else lines

    def side_by_side(cells: list[list[str]]) -> None:
        half = usable / 2 - 6
        for n in range(0, len(cells), 2):
            pair = [[ln for p in cell for ln in wrapped(p, half)] for cell in cells[n : n + 2]]
            rows = max(len(col) for col in pair)
            if state["y"] - rows * lead < margin + 10:
                state["y"] = margin  # the pair moves to the next page whole
                emit("")
                state["y"] += lead
            top = state["y"]
            for k, col in enumerate(pair):  # the left column first, as Word writes it
                state["y"] = top
                for ln in col:
                    c.drawString(margin + k * (half + 12), state["y"], ln)
                    state["y"] -= lead
            state["y"] = top - rows * lead - font_size * 0.5

    furniture()
    cells: list[list[str]] | None = None
    for raw in text.split("\n"):
        para = raw.strip()
        if para == TABLE:
            cells = [[]]
            continue
        if cells is not None:
            if para == CELL:
                cells.append([])
            elif para == END:
                side_by_side(cells)
                cells = None
            elif para:
                cells[-1].append(para)
            continue
        if not para:
            state["y"] -= lead
            continue
        line = ""
        for word in para.split():
            candidate = f"{line} {word}".strip()
            if fits(candidate):
                line = candidate
                continue
            if re.fullmatch(r"[A-Za-z]{8,}", word):
                for cut in range(len(word) - 3, 3, -1):
                    if fits(f"{line} {word[:cut]}-".strip()):
                        emit(f"{line} {word[:cut]}-".strip())
                        hyphenated.append(word)
                        line = word[cut:]
                        break
                else:
                    emit(line)
                    line = word
                continue
            emit(line)
            line = word
        emit(line)
        state["y"] -= font_size * 0.5  # paragraph spacing
    c.save()
    return PdfBuild(out.getvalue(), state["page"], hyphenated)


def form_feed_text(text: str, every: int = 25) -> str:
    """The fixture as pdftotext gives it: a page number line and a form feed every N lines."""
    lines = plain(text).split("\n")
    out: list[str] = []
    for n, line in enumerate(lines, start=1):
        out.append(line + "   ")
        if n % every == 0:
            out += [str(n // every), "\f"]
    return "\n".join(out)

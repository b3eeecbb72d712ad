"""A one-page A4 PDF letter with the address where a DL window envelope shows it."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import cast

import matplotlib
from fpdf import FPDF

from ua_bot.drafting.drafts import Draft
from ua_bot.model import Target

# DIN 676 / DL window: the address field starts 20 mm from the left and 45 mm from the top.
WINDOW_LEFT_MM = 20
WINDOW_TOP_MM = 45
WINDOW_WIDTH_MM = 85
MARGIN_MM = 20
INTERNATIONAL_POSTAGE = "If you post from another country, use international postage."


@lru_cache(maxsize=1)
def font_path() -> str:
    return str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf")


def postage_note(target: Target) -> str:
    """Advice sent with every posted letter.

    The rule is deliberately simple: supporters post from many countries and the bot cannot
    know which, so any target with a postal address gets the note.
    """
    return INTERNATIONAL_POSTAGE if target.address else ""


def letter_pdf(draft: Draft, address: list[str], rtl: bool = False) -> bytes:
    """The letter ``draft`` (its text starts with the address block) laid out on one page;
    ``rtl`` (Arabic) shapes the text with HarfBuzz and sets the body right to left, the
    address staying where the envelope's window shows it."""
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    pdf.add_font("DejaVu", "", font_path())
    pdf.add_page()
    pdf.set_font("DejaVu", size=10)
    if rtl:
        pdf.set_text_shaping(use_shaping_engine=True)
    # Cells pad their text by c_margin: start the cell that much earlier.
    left = WINDOW_LEFT_MM - pdf.c_margin
    pdf.set_xy(left, WINDOW_TOP_MM)
    for line in address:
        pdf.set_x(left)
        pdf.cell(WINDOW_WIDTH_MM, 4.5, line, new_x="LMARGIN", new_y="NEXT")
    body = draft.text.split("\n")[len(address) :]
    while body and not body[0].strip():
        body.pop(0)
    text = "\n".join(body)
    align = "L"
    if rtl:
        pdf.set_text_shaping(
            use_shaping_engine=True, direction="rtl", script="arab", language="ara"
        )
        align = "R"
    size = 11.0
    # Shrink the type until the body fits the page below the window.
    while True:
        pdf.set_font("DejaVu", size=size)
        lines = pdf.multi_cell(
            0,
            size * 0.45,
            text,
            align=align,
            dry_run=True,
            output="LINES",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        top = max(pdf.get_y(), WINDOW_TOP_MM + 45) + 5
        if top + len(cast(list[str], lines)) * size * 0.45 <= 297 - MARGIN_MM or size <= 6:
            break
        size -= 0.5
    pdf.set_xy(MARGIN_MM, top)
    pdf.multi_cell(0, size * 0.45, text, align=align, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())

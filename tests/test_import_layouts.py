"""Field by field, each layout family imports alike from .txt, hard-wrapped .txt, .docx, .pdf.

The fixtures in tests/fixtures/ua are invented cases written in each layout of
docs/ua-format.md §3 (A: AIUSA plain text, B: IS text, C: the two-page UA, D: AIUSA 2017-18,
E: the labelled template, F: the published UA after it) and follow-ups; beside each
``<name>.txt``, ``<name>.json`` holds what its import must give.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from tests.ua_builders import build_docx, build_pdf, pdf_font, plain
from ua_bot.importer import ImportResult, import_bytes

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ua"
FORMATS = ["txt", "wrapped", "docx", "pdf"]
PDF_HEADER = "Amnesty International - Urgent Action Network"


def T(name: str, **kw: Any) -> dict[str, Any]:
    """A target as the import JSON gives it (the expectations name only what is not empty)."""
    out: dict[str, Any] = {
        "name": name, "title": "", "organisation": "", "address": [], "emails": [],
        "phones": [], "faxes": [], "salutation": "", "notes": [], "handles": [],
    }  # fmt: skip
    out.update(kw)
    return out


def expected(path: Path) -> dict[str, Any]:
    """What ``<name>.json`` beside ``<name>.txt`` says the import gives: the import JSON's
    fields, and the importer's own under names starting with ``_``."""
    want = json.loads(path.read_text(encoding="utf-8"))
    for key in ("targets", "copies_to"):
        want[key] = [T(**t) for t in want[key]]
    return want


# One expectation per fixture: tests/fixtures/ua/<name>.json beside <name>.txt.
EXPECTED: dict[str, dict[str, Any]] = {
    p.stem: expected(p) for p in sorted(FIXTURES.glob("*.json"))
}


def hard_wrapped(text: str, width: int = 72) -> str:
    """The text as old e-mail sent it: prose wrapped at ``width``, a blank line after each
    paragraph; short lines (headings, addresses) as they were."""
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) > width and line.rstrip().endswith((".", "!", "?", ";")):
            out += [*textwrap.wrap(line, width), ""]
        else:
            out.append(line)
    return "\n".join(out)


_cache: dict[tuple[str, str], ImportResult] = {}


def imported(name: str, fmt: str) -> ImportResult:
    key = (name, fmt)
    if key not in _cache:
        raw = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")
        if fmt == "txt":
            _cache[key] = import_bytes(plain(raw).encode(), f"{name}.txt")
        elif fmt == "wrapped":  # old text: in Windows-1252 when it can be
            text = hard_wrapped(plain(raw))
            try:
                data = text.encode("cp1252")
            except UnicodeEncodeError:
                data = text.encode("utf-8")
            _cache[key] = import_bytes(data, f"{name}.txt")
        elif fmt == "docx":
            _cache[key] = import_bytes(build_docx(raw), f"{name}.docx")
        else:
            if pdf_font(raw) is None:
                pytest.skip("no installed font shows this fixture's characters")
            built = build_pdf(raw, footer=f"Urgent Action - {name}")
            assert built.pages >= 2 or len(raw) < 2000
            _cache[key] = import_bytes(built.data, f"{name}.pdf")
    return _cache[key]


JSON_FIELDS = [
    "ua_number", "title", "persons", "country", "summary", "demands", "targets", "copies_to",
    "deadline", "additional_information", "update_of", "outcome", "issue_date", "languages",
]  # fmt: skip


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("field", JSON_FIELDS)
@pytest.mark.parametrize("name", list(EXPECTED))
def test_field(name: str, field: str, fmt: str) -> None:
    assert imported(name, fmt).to_json()[field] == EXPECTED[name][field]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", list(EXPECTED))
def test_importer_fields(name: str, fmt: str) -> None:
    r, want = imported(name, fmt), EXPECTED[name]
    assert r.case is not None and r.report.ok
    assert r.layout == want["_layout"]
    assert r.index_number == want.get("_index", "")
    if "_written" in want:
        assert r.case.ua_written == want["_written"]
    assert r.closing is want.get("_closing", False)
    assert r.previous_ua_link == want.get("_link", "")
    assert r.deadline_wording.startswith(want.get("_soon", ""))
    if "_details" in want:
        assert len(r.details) == want["_details"]
    letter = want.get("_letter")
    if letter:
        assert r.case.letter.startswith(letter[0]) and r.case.letter.endswith(letter[1])
    else:
        assert r.case.letter == ""


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", list(EXPECTED))
def test_report(name: str, fmt: str) -> None:
    r, want = imported(name, fmt), EXPECTED[name]
    assert r.report.missing == want.get("_missing", [])
    assert r.report.warnings == want["_warnings"]
    if fmt == "pdf":  # the running header (kept once); a one-page PDF's footer too
        assert r.report.unused_lines[0] == PDF_HEADER
        assert set(r.report.unused_lines[1:]) <= {f"Urgent Action - {name}"}
    else:
        assert r.report.unused_lines == []
    case = r.case
    assert case is not None
    assert [t.is_copy for t in case.targets] == [False] * len(want["targets"]) + [True] * len(
        want["copies_to"]
    )


# Other fonts (measured, not Helvetica's widths), sizes and pages: the PDF reader must find
# the same paragraphs and lines in each.
PDF_VARIANTS = [
    ("Times-Roman", 9, (595, 842)),
    ("DejaVuSerif", 13, (420, 595)),
    ("Courier", 11, (595, 842)),
    ("DejaVuSans", 11, (420, 595)),
]


@pytest.mark.parametrize(("font", "size", "page"), PDF_VARIANTS)
@pytest.mark.parametrize("name", list(EXPECTED))
def test_pdf_in_other_fonts(name: str, font: str, size: int, page: tuple[int, int]) -> None:
    raw = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")
    if pdf_font(raw, font) is None:
        pytest.skip(f"{font} is not installed")
    built = build_pdf(raw, font=font, font_size=size, page_size=page)
    got = import_bytes(built.data, f"{name}.pdf").to_json()
    want = imported(name, "txt").to_json()
    assert {k: v for k, v in got.items() if k != "report"} == {
        k: v for k, v in want.items() if k != "report"
    }


def test_docx_table_fixture_has_a_two_column_table() -> None:
    import io

    from docx import Document

    doc = Document(io.BytesIO(build_docx((FIXTURES / "c_is_2013.txt").read_text())))
    assert len(doc.tables) == 1 and len(doc.tables[0].columns) == 2
    assert doc.tables[0].cell(0, 1).paragraphs[0].text == "Federal Secretary of the Interior"


def test_pdf_fixtures_are_multi_page_and_hyphenated() -> None:
    texts = [(FIXTURES / f"{n}.txt").read_text(encoding="utf-8") for n in EXPECTED]
    built = [build_pdf(t) for t in texts if pdf_font(t) is not None]
    assert sum(b.pages >= 2 for b in built) >= 8
    assert sum(len(b.hyphenated) for b in built) >= 8

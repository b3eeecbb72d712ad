"""Broken and unusable inputs: a clear one-line reason each, never an exception."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from tests.ua_builders import build_docx
from ua_bot.importer import ImportResult, import_bytes, import_file, import_text

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = (ROOT / "ua_bot" / "samples" / "ua_253_17.txt").read_text(encoding="utf-8")


def _blank_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.rect(50, 50, 200, 200)  # a drawing, no text: a scan looks like this to pypdf
    c.showPage()
    c.save()
    return out.getvalue()


def _zip_of_other() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("photos/cell.jpg", b"\xff\xd8\xff" + os.urandom(100))
        z.writestr("notes.txt", "not a Word document")
    return out.getvalue()


def _not_ua_docx() -> bytes:
    return build_docx("Shopping list\nMilk\nBread\n")


def _assert_one_line_error(r: ImportResult, *words: str) -> None:
    assert r.case is None
    assert not r.report.ok
    assert len(r.report.errors) >= 1
    for e in r.report.errors:
        assert e and "\n" not in e and len(e) < 200
    text = " ".join(r.report.errors).lower()
    for w in words:
        assert w in text, (w, r.report.errors)
    assert r.to_json()["ua_number"] is None
    assert "NOT importable" in r.report.render()


CASES = {
    "empty": (lambda: import_bytes(b"", "ua.txt"), ["empty"]),
    "whitespace": (lambda: import_bytes(b" \n\n \t", "ua.txt"), ["empty"]),
    "empty text": (lambda: import_text(""), ["empty"]),
    "binary garbage": (lambda: import_bytes(os.urandom(4096), "ua.txt"), ["binary"]),
    "garbage named pdf": (lambda: import_bytes(os.urandom(4096), "ua.pdf"), ["not a pdf"]),
    "garbage named docx": (lambda: import_bytes(b"hello", "ua.docx"), ["not a word"]),
    "pdf without text": (lambda: import_bytes(_blank_pdf(), "scan.pdf"), ["no text layer"]),
    "truncated pdf": (lambda: import_bytes(b"%PDF-1.4\n1 0 obj\n<<", "ua.pdf"), ["pdf"]),
    "zip of something else": (
        lambda: import_bytes(_zip_of_other(), "ua.docx"),
        ["zip", "not a word"],
    ),
    "damaged zip": (lambda: import_bytes(b"PK\x03\x04" + os.urandom(300), "ua.docx"), ["damaged"]),
    "old .doc": (lambda: import_bytes(b"\xd0\xcf\x11\xe0" + os.urandom(500), "ua.doc"), [".doc"]),
    "rtf": (lambda: import_bytes(b"{\\rtf1\\ansi hello}", "ua.rtf"), ["rtf"]),
    "not a UA": (lambda: import_bytes(_not_ua_docx(), "list.docx"), ["no ua number"]),
    "missing file": (lambda: import_file("/nonexistent/ua.txt"), ["cannot be opened"]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_broken_input_gives_one_line_reason(name: str) -> None:
    make, words = CASES[name]
    _assert_one_line_error(make(), *words)


def test_file_over_20_mb(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(30 * 1024 * 1024)
    _assert_one_line_error(import_file(big), "too large", "20 mb")
    _assert_one_line_error(import_bytes(b"a" * (30 * 1024 * 1024), "big.pdf"), "too large")


def test_no_ua_number_and_no_title() -> None:
    r = import_text("\n\nsome words\n")
    assert r.case is None
    assert "ua_number" in r.report.missing


def test_no_demands_is_a_warning() -> None:
    lines = SAMPLE.split("\n")
    start = lines.index("Write a letter, send an email, call, fax or tweet:")
    del lines[start + 1 : start + 4]
    r = import_text("\n".join(lines))
    assert r.case is not None and r.report.ok
    assert "demands" in r.report.missing
    assert any("no demands" in w.lower() for w in r.report.warnings)
    assert len(r.case.targets) == 2


def test_no_demands_and_no_targets_keeps_a_draft_of_the_people() -> None:
    """A UA number and the people at risk are a UA: the draft keeps them (issue 27)."""
    lines = SAMPLE.split("\n")
    start = lines.index("1) TAKE ACTION")
    end = lines.index("2) LET US KNOW YOU TOOK ACTION ")
    r = import_text("\n".join(lines[:start] + lines[end:]))
    assert r.case is not None and r.report.ok, r.report.errors
    assert r.case.ua_number == "253/17" and r.case.persons
    assert {"demands", "targets", "deadline"} <= set(r.report.missing)
    assert any("no demands and no officials" in w.lower() for w in r.report.warnings)


def test_nothing_but_a_ua_number_is_an_error() -> None:
    r = import_text("URGENT ACTION\nUA 12/19\nSome words about nothing in particular.\n")
    assert r.case is None
    assert any("does not look like a ua" in e.lower() for e in r.report.errors)


def test_no_title_is_an_error() -> None:
    r = import_text("URGENT ACTION\n")
    assert r.case is None and "title" in r.report.missing


def test_target_without_contact_line_is_a_warning() -> None:
    text = SAMPLE.replace("Fax: +86 10 6238 1025\n", "").replace("Email: gov@govonline.cn \n", "")
    r = import_text(text)
    assert r.case is not None
    assert r.case.targets[0].name == "Xi Jinping" and not r.case.targets[0].faxes
    assert any("Xi Jinping" in w and "no contact line" in w for w in r.report.warnings)


def test_parser_failure_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    import ua_bot.importer.parser as parser

    def boom(lines):
        raise RuntimeError("bad day")

    monkeypatch.setattr(parser, "parse_lines", boom)
    _assert_one_line_error(import_text(SAMPLE), "importer failed")


def _encrypted_pdf(user_password: str) -> bytes:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    enc = pdfencrypt.StandardEncryption(user_password, ownerPassword="owner", strength=128)
    c = canvas.Canvas(out, encrypt=enc)
    for n, line in enumerate(SAMPLE.split("\n")[:40]):
        c.drawString(40, 800 - 14 * n, line[:90])
    c.save()
    return out.getvalue()


def test_password_protected_pdf() -> None:
    _assert_one_line_error(import_bytes(_encrypted_pdf("secret"), "ua.pdf"), "password")


def test_pdf_encrypted_without_a_user_password_is_read() -> None:
    r = import_bytes(_encrypted_pdf(""), "ua.pdf")
    assert r.report.ok, r.report.errors
    assert r.to_json()["title"] == "MOTHER AND CHILD AT RISK OF FORCIBLE RETURN"

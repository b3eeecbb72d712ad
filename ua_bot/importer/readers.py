"""Read a document's bytes into normalised lines: .txt (any common encoding), .docx, .pdf.

The file's content decides the reader (a PDF named .txt is read as a PDF); every failure is
a :class:`ReadError` with a one-line reason for the organiser.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import PurePath
from typing import Any

from ua_bot.importer import limits
from ua_bot.importer.normalise import normalise_text

MAX_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED = 200 * 1024 * 1024


class ReadError(Exception):
    """The document cannot be read; ``str(e)`` is a one-line reason."""


def too_large(size: int) -> str:
    mb = size / 1024 / 1024
    return f"The file is too large to be a UA document ({mb:.0f} MB; the limit is 20 MB)."


def sniff(data: bytes, filename: str) -> str:
    """The reader for these bytes: ``"pdf"``, ``"docx"`` or ``"txt"``; ReadError otherwise."""
    suffix = PurePath(filename or "").suffix.lower()
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return _refuse("an old Word .doc (or other Office 97) file: save it as .docx or PDF")
    if data.startswith(b"{\\rtf"):
        return _refuse("an RTF file: save it as .docx, PDF or plain text")
    if suffix == ".pdf":
        return _refuse("named .pdf but is not a PDF")
    if suffix == ".docx":
        return _refuse("named .docx but is not a Word document (not a zip archive)")
    if suffix in (".doc", ".odt", ".rtf", ".pages", ".xlsx", ".pptx", ".html", ".htm"):
        return _refuse(f"a {suffix} file: send .txt, .docx or .pdf")
    return "txt"


def _refuse(what: str) -> str:
    raise ReadError(f"The file is {what}.")


def decode_text(data: bytes) -> str:
    """Decode plain text: a BOM if present, else UTF-8, else Windows-1252; refuse binary data."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as e:
                raise ReadError(f"The text file is not valid {encoding}.") from e
    sample = data[:65536]
    if b"\x00" in sample:
        raise ReadError("The file holds binary data, not text: send .txt, .docx or .pdf.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    probe = text[:65536]
    odd = sum(1 for c in probe if (ord(c) < 32 and c not in "\n\r\t\f") or c == "\ufffd")
    if probe and odd / len(probe) > 0.02:
        raise ReadError("The file holds binary data, not text: send .txt, .docx or .pdf.")
    return text


def _docx_blocks(container: Any) -> Iterator[str]:
    """Lines of a document body or table cell, tables read row by row, cell by cell."""
    from docx.table import Table

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            yield from _table_lines(block)
        else:
            yield from block.text.split("\n")


def _table_lines(table: Any) -> Iterator[str]:
    """A row of one-line cells is one line; otherwise each cell is a block (address columns)."""
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell repeats
                continue
            seen.add(id(cell._tc))
            cells.append([line for line in _docx_blocks(cell) if line.strip()])
        if all(len(c) <= 1 for c in cells) and sum(len(c[0]) for c in cells if c) < 160:
            yield " ".join(c[0].strip() for c in cells if c)
            continue
        for c in cells:
            yield from c
            yield ""


_READ_PARTS = re.compile(r"word/(document|header\d*|footer\d*)\.xml")
_PARAGRAPH = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"


def _count_docx(archive: zipfile.ZipFile) -> None:
    """Count what python-docx would read, as it unzips, and stop at the first bound passed:
    parts, images, then every element and every paragraph (``<w:p>``, ``<w:p ...>`` and
    the self-closed ``<w:p/>`` alike, whatever the namespace prefix)."""
    from lxml import etree

    infos = archive.infolist()
    limits.counted(len(infos), limits.MAX_PARTS, "parts")
    images = sum(1 for i in infos if i.filename.startswith("word/media/"))
    limits.counted(images, limits.MAX_IMAGES, "images")
    parts = [i for i in infos if _READ_PARTS.fullmatch(i.filename)]
    _refuse_over(limits.docx_body(sum(i.file_size for i in parts)))
    elements = paragraphs = 0
    for info in parts:
        with archive.open(info) as xml:
            events = etree.iterparse(
                xml, events=("start",), resolve_entities=False, no_network=True
            )
            try:
                for _, element in events:
                    elements += 1
                    limits.counted(elements, limits.MAX_ELEMENTS, "XML elements")
                    if element.tag == _PARAGRAPH:
                        paragraphs += 1
                        limits.counted(paragraphs, limits.MAX_PARAGRAPHS, "paragraphs")
            except etree.XMLSyntaxError as e:
                raise ReadError("The Word document is damaged (its XML is not valid).") from e


def docx_text(data: bytes) -> str:
    """Body text with tables; the first header and footer once, at the start and the end."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "word/document.xml" not in names:
                listed = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
                raise ReadError(
                    f"The file is a zip archive but not a Word document (it holds {listed})."
                )
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED:
                raise ReadError("The Word document unpacks to over 200 MB: it is not a UA.")
            _count_docx(archive)
    except zipfile.BadZipFile as e:
        raise ReadError("The .docx file is damaged (not a valid zip archive).") from e
    except limits.Refused as e:
        raise ReadError(str(e)) from None
    from docx import Document

    try:
        doc = Document(io.BytesIO(data))
        head: list[str] = []
        foot: list[str] = []
        for section in doc.sections[:1]:
            head = [p.text for p in section.header.paragraphs if p.text.strip()]
            foot = [p.text for p in section.footer.paragraphs if p.text.strip()]
        body = list(_docx_blocks(doc))
    except ReadError:
        raise
    except Exception as e:  # python-docx raises KeyError, ValueError, lxml errors ...
        raise ReadError(f"The Word document cannot be read ({type(e).__name__}).") from e
    return "\n".join([*head, *body, "", *foot])


def _refuse_over(reason: str | None) -> None:
    if reason:
        raise ReadError(reason)


def read_document(data: bytes, filename: str) -> tuple[str, list[str]]:
    """The reader used and the document's normalised lines; ReadError when unreadable."""
    if len(data) > MAX_BYTES:
        raise ReadError(too_large(len(data)))
    if not data.strip():
        raise ReadError("The file is empty.")
    kind = sniff(data, filename)
    if kind == "pdf":
        from ua_bot.importer.pdftext import PdfError, pdf_text
        from ua_bot.importer.sections import is_info_line, starts_paragraph

        try:
            text = pdf_text(data, is_break=starts_paragraph, keep_footer=is_info_line)
            _refuse_over(limits.text(text))
            lines = normalise_text(text, plain=False)
        except PdfError as e:
            raise ReadError(str(e)) from e
    elif kind == "docx":
        text = docx_text(data)
        _refuse_over(limits.text(text))
        lines = normalise_text(text, plain=False)
    else:
        text = decode_text(data)
        _refuse_over(limits.text(text))
        lines = normalise_text(text)
    if not any(lines):
        raise ReadError("The document has no text.")
    return kind, lines

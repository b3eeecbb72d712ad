"""Documents small on the wire and huge inside (issue 26, finding 2), built byte by byte."""

from __future__ import annotations

import io
import re
import zipfile
import zlib

import docx


def docx_with_body(body: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    """A real .docx (python-docx's blank document) whose body starts with ``body``, with
    ``extra`` parts added to the archive."""
    out = io.BytesIO()
    docx.Document().save(out)
    src = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    dest = io.BytesIO()
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = re.sub(rb"<w:body>", b"<w:body>" + body, data, count=1)
            z.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return dest.getvalue()


def empty_paragraphs(n: int) -> bytes:
    """A .docx of ``n`` self-closed empty paragraphs (``<w:p/>``)."""
    return docx_with_body(b"<w:p/>" * n)


def pdf(pages: list[bytes], *, deflated: bool = False, spare_objects: int = 0) -> bytes:
    """A PDF whose pages have these content streams (Helvetica as /F1), with a valid xref;
    the streams are compressed here, or already (``deflated``); ``spare_objects`` more
    objects are listed in the cross-reference table (all at the font's place, 20 bytes each)."""
    n = len(pages)
    font = 3 + 2 * n
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(n))
        + b"] /Count %d >>" % n,
    ]
    for i, content in enumerate(pages):
        objs.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (4 + 2 * i, font)
        )
        data = content if deflated else zlib.compress(content, 9)
        head = b"<< /Length %d /Filter /FlateDecode >>" % len(data)
        objs.append(head + b"\nstream\n" + data + b"\nendstream")
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    size = len(objs) + 1 + spare_objects
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for off in offsets + [offsets[-1]] * spare_objects:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
    return out.getvalue()


def text_page(lines: list[str]) -> bytes:
    """A page's content stream showing these lines, 14 pt apart."""
    out = [b"BT /F1 11 Tf 72 800 Td 14 TL"]
    for line in lines:
        safe = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        out.append(b"(" + safe.encode("latin-1", "replace") + b") '")
    out.append(b"ET")
    return b"\n".join(out)


def zero_tokens(size: int) -> bytes:
    """A one-page PDF whose content is ``size`` bytes of ``0 `` (a few KB compressed)."""
    return pdf([b"0 " * (size // 2)])


def zero_stream(size: int) -> bytes:
    """A one-page PDF whose content stream inflates to ``size`` zero bytes."""
    d = zlib.compressobj(9)
    chunk = bytes(1 << 20)
    body = b"".join(d.compress(chunk) for _ in range(size >> 20)) + d.flush()
    return pdf([body], deflated=True)


def text_pages(n: int) -> bytes:
    """A PDF of ``n`` pages, each with a few short lines of text."""
    return pdf([text_page([f"Page {i + 1}", "Some text on this page."]) for i in range(n)])


def inline_images(n: int) -> bytes:
    """A one-page PDF that draws ``n`` one-pixel inline images."""
    image = b"q 1 0 0 1 72 72 cm BI /W 1 /H 1 /BPC 8 /CS /G ID \x80 EI Q\n"
    return pdf([text_page(["Some text."]) + b"\n" + image * n])

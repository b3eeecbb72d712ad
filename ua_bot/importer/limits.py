"""Bounds on the work one import may cost, so a small crafted file cannot hold a process.

A Urgent Action is a few pages: a few hundred paragraphs, some 10,000 characters. A 60 KB
.docx can unpack to millions of empty paragraphs; the limits below are far above any real
UA and far below what takes a process more than a few seconds. Each check returns the
one-line refusal for the organiser, or ``None``; a bound passed while a reader is counting
raises :class:`Refused`. Every count is made while reading, before the expensive parse:
a .docx body is counted element by element as it unzips (stopping at the bound), a PDF
content stream is inflated at most to the bytes left on its page (docs/security.md).
"""

from __future__ import annotations

MAX_PAGES = 40  # PDF pages
MAX_PARAGRAPHS = 5_000  # .docx paragraphs, or lines of text
MAX_CHARACTERS = 300_000  # text read from any format
MAX_DOCX_XML = 10 * 1024 * 1024  # bytes of word/document.xml, unpacked
MAX_ELEMENTS = 200_000  # XML elements of a .docx body, headers and footers
MAX_PAGE_CONTENT = 512 * 1024  # decoded content-stream bytes of one PDF page (forms included)
MAX_CONTENT = 2 * 1024 * 1024  # decoded content-stream bytes of all the pages
MAX_IMAGES = 100  # images in a document
MAX_OBJECTS = 20_000  # objects of a PDF
MAX_PARTS = 1_000  # files in a .docx archive
IMPORT_SECONDS = 30.0  # wall time of one import (its reader process is killed then)


class Refused(Exception):
    """A bound was passed while reading; ``str(e)`` is the one-line refusal."""


def pages(n: int) -> str | None:
    return _over(n, MAX_PAGES, "pages")


def docx_body(size: int) -> str | None:
    """The unpacked size of the parts read (body, headers, footers), before unpacking."""
    if size > MAX_DOCX_XML:
        return f"The Word document's text unpacks to over {MAX_DOCX_XML // 2**20} MB: not a UA."
    return None


def content(page_bytes: int, total_bytes: int) -> str | None:
    """Decoded PDF content so far: on the current page, and on all the pages."""
    if page_bytes > MAX_PAGE_CONTENT:
        return f"A page of the PDF unpacks to over {_mb(MAX_PAGE_CONTENT)}: not a UA as sent."
    if total_bytes > MAX_CONTENT:
        return f"The PDF's pages unpack to over {_mb(MAX_CONTENT)}: not a UA as sent."
    return None


def counted(n: int, limit: int, what: str) -> None:
    """Raise :class:`Refused` once ``n`` (a running count) passes ``limit``."""
    if n > limit:
        raise Refused(f"The document has over {limit:,} {what}; a UA has far fewer.")


def text(value: str) -> str | None:
    """Text read from any format."""
    return _over(len(value), MAX_CHARACTERS, "characters") or _over(
        value.count("\n") + 1, MAX_PARAGRAPHS, "lines"
    )


def too_slow(seconds: float | None = None) -> str:
    seconds = IMPORT_SECONDS if seconds is None else seconds
    return f"The document took over {seconds:.0f} seconds to read: it is not a UA as sent."


def _mb(n: int) -> str:
    return f"{n / 2**20:g} MB"


def _over(n: int, limit: int, what: str) -> str | None:
    if n <= limit:
        return None
    return f"The document has {n:,} {what}; a UA has far fewer (the limit is {limit:,})."

"""Bounds on the work one import may cost, so a small crafted file cannot hold a process.

A Urgent Action is a few pages: a few hundred paragraphs, some 10,000 characters. A 60 KB
.docx can unpack to millions of empty paragraphs; the limits below are far above any real
UA and far below what takes a process more than a few seconds. Each check returns the
one-line refusal for the organiser, or ``None``.
"""

from __future__ import annotations

from collections.abc import Callable

MAX_PAGES = 40  # PDF pages
MAX_PARAGRAPHS = 5_000  # .docx paragraphs, or lines of text
MAX_CHARACTERS = 300_000  # text read from any format
MAX_DOCX_XML = 10 * 1024 * 1024  # bytes of word/document.xml, unpacked
IMPORT_SECONDS = 30.0  # wall time of one import in the bot


def pages(n: int) -> str | None:
    return _over(n, MAX_PAGES, "pages")


def docx_body(size: int, read: Callable[[], bytes]) -> str | None:
    """The document body (``size`` bytes unpacked, ``read()`` unpacks it), before parsing."""
    if size > MAX_DOCX_XML:
        return f"The Word document's text unpacks to over {MAX_DOCX_XML // 2**20} MB: not a UA."
    xml = read()
    return _over(xml.count(b"<w:p>") + xml.count(b"<w:p "), MAX_PARAGRAPHS, "paragraphs")


def text(value: str) -> str | None:
    """Text read from any format."""
    return _over(len(value), MAX_CHARACTERS, "characters") or _over(
        value.count("\n") + 1, MAX_PARAGRAPHS, "lines"
    )


def too_slow() -> str:
    return f"The document took over {IMPORT_SECONDS:.0f} seconds to read: it is not a UA as sent."


def _over(n: int, limit: int, what: str) -> str | None:
    if n <= limit:
        return None
    return f"The document has {n:,} {what}; a UA has far fewer (the limit is {limit:,})."

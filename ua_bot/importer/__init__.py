"""UA document import: read .txt/.docx/.pdf, parse the layout, report what was found.

Public API (a contract the core and the CLI rely on):

- ``import_file(path) -> ImportResult``
- ``import_bytes(data, filename) -> ImportResult``
- ``import_text(text) -> ImportResult``

None of them raises for bad input: an unreadable or unusable document gives an
``ImportResult`` with ``case=None`` and one-line reasons in ``report.errors``.

Not importable: no UA number, or no demand, target or person at risk (an update may have
none: the original case keeps its own). Anything else with a UA number is a draft with what was
read; ``report.missing`` says what to complete, ``report.checks`` what to verify (with the
document lines), ``report.sources`` where each field came from. Targets marked ``is_copy``
are in ``case.targets`` and in ``ImportResult.copies_to``.

Phone and fax numbers are stored in E.164 (``+12024952266``) when ``phonenumbers`` finds a
valid number for the target's country (from its address), the case's country, or as an
international number written without its ``+``; otherwise as written.

The doors (chat, pages, command line) read uploads with ``isolated.read_isolated``: the same
import in a reader process (``worker``) killed at the time limit. ``limits`` holds the bounds
on what a document unpacks to, counted while reading (``pdfbounds`` for PDF pages).

Modules: ``readers`` (bytes to lines; ``pdftext`` for PDF geometry), ``normalise`` and
``reflow`` (artefacts, wrapped lines), ``sections`` (headings), then one parser per concern:
``header`` (UA number, update, index, issue date), ``story`` (title, summary, persons,
country, background), ``demands`` (lists and model letters), ``targets`` and ``contacts``
(blocks, salutations, channels), ``deadline``, ``languages``, ``outcome``; ``wrapped``
joins headings wrapped over two lines; ``parser`` runs them and fills the ``result`` report,
with ``checks`` (the fields to check by hand) and ``sources`` (each field's lines).
``countries``, ``country_names`` and ``dates`` help.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ua_bot.importer.readers import MAX_BYTES, ReadError, read_document, too_large
from ua_bot.importer.result import ImportReport, ImportResult

__all__ = ["ImportReport", "ImportResult", "import_bytes", "import_file", "import_text"]

log = logging.getLogger(__name__)


def _failed(reason: str) -> ImportResult:
    return ImportResult(case=None, report=ImportReport(errors=[reason]))


def _parse(lines: list[str]) -> ImportResult:
    from ua_bot.importer.parser import parse_lines

    try:
        return parse_lines(lines)
    except Exception as e:  # a parser bug must not take the bot down
        log.exception("importer failed")
        return _failed(f"The importer failed on this document ({type(e).__name__}: {e}).")


def import_text(text: str) -> ImportResult:
    """Import a document given as text (one paragraph a line, as a .txt export)."""
    from ua_bot.importer.normalise import normalise_text

    if not text or not text.strip():
        return _failed("The document is empty.")
    return _parse(normalise_text(text))


def import_bytes(data: bytes, filename: str) -> ImportResult:
    """Import a document's bytes; the content decides the format, the name is a hint."""
    try:
        _, lines = read_document(data, filename)
    except ReadError as e:
        return _failed(str(e))
    except Exception as e:
        log.exception("reading %s failed", filename)
        return _failed(f"The file cannot be read ({type(e).__name__}).")
    return _parse(lines)


def import_file(path: str | Path) -> ImportResult:
    """Import a document from a file."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return _failed(too_large(size))
        data = path.read_bytes()
    except OSError as e:
        return _failed(f"The file cannot be opened ({e.strerror or type(e).__name__}).")
    return import_bytes(data, path.name)

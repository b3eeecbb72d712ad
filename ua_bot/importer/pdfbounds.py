"""pdfminer.six's page reading, with what a PDF unpacks to counted while it is read.

Each content stream (a page's, and a form's each time it is drawn) is inflated here, at most
to the bytes left on its page and in the document, before pdfminer parses it; images are
counted as they are drawn. A bound passed raises :class:`limits.Refused` at once, so a
16 KB page of 16 MB of ``0 `` or a 300 MB zero stream costs milliseconds, not a parse.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator, Sequence
from typing import Any

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTPage
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream, stream_value

from ua_bot.importer import limits

_CHUNK = 64 * 1024


class Budget:
    """Decoded content bytes on this page and in all, and images drawn."""

    def __init__(self) -> None:
        self.page = 0
        self.total = 0
        self.images = 0

    def new_page(self) -> None:
        self.page = 0

    def room(self) -> int:
        return min(limits.MAX_PAGE_CONTENT - self.page, limits.MAX_CONTENT - self.total)

    def spend(self, n: int) -> None:
        self.page += n
        self.total += n
        reason = limits.content(self.page, self.total)
        if reason:
            raise limits.Refused(reason)

    def image(self) -> None:
        self.images += 1
        limits.counted(self.images, limits.MAX_IMAGES, "images")


def _inflate(data: bytes, room: int) -> bytes:
    """Inflate at most ``room + 1`` bytes (one more says "over"); a damaged tail ends the
    stream, as pdfminer does."""
    d = zlib.decompressobj()
    out = bytearray()
    try:
        for i in range(0, len(data), _CHUNK):
            out += d.decompress(data[i : i + _CHUNK], room + 1 - len(out))
            if len(out) > room:
                break
    except zlib.error:
        pass
    return bytes(out)


def _decoded(stream: PDFStream, room: int) -> bytes:
    """The stream's data, inflated within ``room`` when it is plain Flate (content streams
    almost always are); other filters are left to pdfminer and measured after."""
    if stream.data is not None or stream.rawdata is None:
        return stream.get_data()
    filters = stream.get_filters()
    plain_flate = all(f in LITERALS_FLATE_DECODE and not p for f, p in filters)
    if not plain_flate:
        return stream.get_data()
    data = stream.rawdata
    if stream.decipher:
        data = stream.decipher(stream.objid or 0, stream.genno or 0, data, stream.attrs)
    for _ in filters:
        data = _inflate(data, room)
        if len(data) > room:
            break
    stream.data, stream.rawdata = data, None
    return data


class _Interpreter(PDFPageInterpreter):
    """Counts each content stream it is about to parse against the budget."""

    def __init__(self, rsrcmgr: PDFResourceManager, device: _Device) -> None:
        super().__init__(rsrcmgr, device)
        self.budget = device.budget

    def process_page(self, page: PDFPage) -> None:
        self.budget.new_page()
        super().process_page(page)

    def execute(self, streams: Sequence[object]) -> None:
        for obj in streams:
            stream = stream_value(obj)
            self.budget.spend(len(_decoded(stream, self.budget.room())))
        super().execute(streams)


class _Device(PDFPageAggregator):
    """pdfminer's layout device, counting the images drawn."""

    def __init__(self, rsrcmgr: PDFResourceManager, laparams: LAParams) -> None:
        super().__init__(rsrcmgr, laparams=laparams)
        self.budget = Budget()

    def render_image(self, name: str, stream: Any) -> None:
        self.budget.image()
        super().render_image(name, stream)


def layouts(data: bytes, laparams: LAParams) -> Iterator[LTPage]:
    """Each page's layout, as ``pdfminer.high_level.extract_pages``, within the bounds."""
    rsrcmgr = PDFResourceManager(caching=True)
    device = _Device(rsrcmgr, laparams)
    interpreter = _Interpreter(rsrcmgr, device)
    for page in PDFPage.get_pages(io.BytesIO(data), caching=True):
        interpreter.process_page(page)
        yield device.get_result()

"""Neutral replies as Telegram messages: HTML text, split at Telegram's limits, keyboards.

Every string is escaped with :func:`html.escape`; only the tags made here (``<b>``,
``<i>``, ``<a href>``) reach Telegram. Text is split on paragraph boundaries (then
lines, then words) so that no message exceeds 4096 characters and no caption 1024,
counted as Telegram counts them (UTF-16 code units, after the tags are parsed).
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from ua_bot.markup import Span, link, parse, plain
from ua_bot.messages import Button, Buttons, Document, Image, Reply, Text

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
MAX_BUTTONS = 100  # per keyboard
BUTTON_URL_SCHEMES = ("https://", "http://", "tg://")  # what Telegram accepts in a button
LINK_SCHEMES = ("https://", "http://", "tg://")  # what it accepts in <a href>

Run = list[Span]


@dataclass
class OutText:
    html: str
    keyboard: list[list[Button]] = field(default_factory=list)


@dataclass
class OutPhoto:
    png: bytes
    filename: str
    caption: str = ""  # HTML
    keyboard: list[list[Button]] = field(default_factory=list)


@dataclass
class OutDocument:
    data: bytes
    filename: str
    caption: str = ""  # HTML
    keyboard: list[list[Button]] = field(default_factory=list)


Out = OutText | OutPhoto | OutDocument


def tg_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def _vis(run: Run) -> int:
    return sum(tg_len(s.text) for s in run)


def _bare(address: str) -> str:
    """An address without what people write between a number's digits (``+1 202-495``)."""
    return re.sub(r"[\s()-]", "", address)


def spans(markup: str) -> Run:
    """Parse markup; links Telegram cannot open become text it links by itself.

    ``mailto:`` and ``tel:`` are not allowed in Telegram links, but Telegram makes
    e-mail addresses and phone numbers in plain text tappable, so they are written out.
    """
    out: Run = []
    for s in parse(markup):
        if s.style != "link" or s.url.lower().startswith(LINK_SCHEMES):
            out.append(s)
        else:
            address = (
                s.url.split(":", 1)[1] if s.url.lower().startswith(("mailto:", "tel:")) else s.url
            )
            if s.url.lower().startswith("mailto:"):
                # A drafted email's subject and body are in the message already: keep the address.
                address = unquote(address.split("?", 1)[0])
            same = _bare(address) == _bare(s.text)
            out.append(Span(s.text if same else f"{s.text} ({address})"))
    return out


def _split(run: Run, sep: str) -> list[Run]:
    """Cut a run at every ``sep`` in its spans' text, keeping each span's style."""
    parts: list[Run] = [[]]
    for s in run:
        pieces = s.text.split(sep)
        for i, piece in enumerate(pieces):
            if i:
                parts.append([])
            if piece:
                parts[-1].append(Span(piece, s.style, s.url))
    return parts


def _hard_cut(run: Run, limit: int) -> list[Run]:
    """Cut anywhere (a single word longer than the limit), never inside a character."""
    chunks: list[Run] = [[]]
    room = limit
    for s in run:
        buf: list[str] = []
        for ch in s.text:
            w = tg_len(ch)
            if w > room:
                if buf:
                    chunks[-1].append(Span("".join(buf), s.style, s.url))
                    buf = []
                chunks.append([])
                room = limit
            buf.append(ch)
            room -= w
        if buf:
            chunks[-1].append(Span("".join(buf), s.style, s.url))
    return [c for c in chunks if c]


_SEPARATORS = ("\n\n", "\n", " ")


def chunk(run: Run, limit: int = TEXT_LIMIT, level: int = 0) -> list[Run]:
    """Runs of at most ``limit`` visible characters, cut at the coarsest boundary that fits."""
    if _vis(run) <= limit:
        return [run]
    if level >= len(_SEPARATORS):
        return _hard_cut(run, limit)
    sep = _SEPARATORS[level]
    width = tg_len(sep)
    out: list[Run] = []
    cur: Run = []
    cur_len = 0
    for part in _split(run, sep):
        n = _vis(part)
        if n > limit:
            if cur:
                out.append(cur)
                cur, cur_len = [], 0
            out.extend(chunk(part, limit, level + 1))
            continue
        if cur and cur_len + width + n > limit:
            out.append(cur)
            cur, cur_len = [], 0
        if cur:
            cur.append(Span(sep))
            cur_len += width
        cur.extend(part)
        cur_len += n
    if cur:
        out.append(cur)
    return out


def to_html(run: Run) -> str:
    parts = []
    for s in run:
        text = html.escape(s.text, quote=False)
        if s.style == "bold":
            parts.append(f"<b>{text}</b>")
        elif s.style == "italic":
            parts.append(f"<i>{text}</i>")
        elif s.style == "link":
            parts.append(f'<a href="{html.escape(s.url, quote=True)}">{text}</a>')
        else:
            parts.append(text)
    return "".join(parts)


def _strip(run: Run) -> Run:
    """Telegram trims messages; do it here so that empty chunks can be dropped."""
    while run and not run[0].text.strip():
        run = run[1:]
    while run and not run[-1].text.strip():
        run = run[:-1]
    if run:
        run = list(run)
        s = run[0]
        run[0] = Span(s.text.lstrip(), s.style, s.url)
        s = run[-1]
        run[-1] = Span(s.text.rstrip(), s.style, s.url)
    return run


def text_html(markup: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Markup as one or more HTML messages within ``limit``."""
    return list(_text_html(markup, limit))


@functools.lru_cache(maxsize=4096)
def _text_html(markup: str, limit: int) -> tuple[str, ...]:
    """Cached: a case card is asked for far more often than it changes."""
    if markup.isascii() and not any(c in markup for c in "\\*_[<>&") and len(markup) <= limit:
        stripped = markup.strip()  # the common short, plain case
        return (stripped,) if stripped else ()
    out = []
    for run in chunk(spans(markup), limit):
        run = _strip(run)
        if run:
            out.append(to_html(run))
    return tuple(out)


@functools.lru_cache(maxsize=1024)
def share_line(bot_username: str, slug: str) -> str:
    url = f"https://t.me/{bot_username}?start={slug}"
    return f"Share this case: {link(url, url)}"


def render(reply: Reply, share: str = "") -> list[Out]:
    """A reply as Telegram messages. ``share``: a markup line added after the first text.

    Buttons attach to the message before them. Payload and http(s)/tg buttons become
    inline keyboard buttons; other URLs (``mailto:``, ``tel:``) are written into the text.
    """
    outs: list[Out] = []
    texts: list[str] = []

    def flush() -> None:
        if texts:
            outs.extend(OutText(h) for h in text_html("\n".join(texts)))
            texts.clear()

    for part in reply.parts:
        if isinstance(part, Text):
            texts.append(part.markup)
            if share:
                texts.append(share)
                share = ""
        elif isinstance(part, Buttons):
            rows: list[list[Button]] = []
            count = 0
            for row in part.rows:
                keep = []
                for b in row:
                    if b.url and not b.url.lower().startswith(BUTTON_URL_SCHEMES):
                        texts.append(link(b.label, b.url))
                    elif count < MAX_BUTTONS and (b.url or b.payload):
                        keep.append(b)
                        count += 1
                if keep:
                    rows.append(keep)
            flush()
            if rows:
                if not outs or outs[-1].keyboard:
                    outs.append(OutText("Choose:"))
                outs[-1].keyboard = rows
        elif isinstance(part, (Image, Document)):
            flush()
            fits = _vis(spans(part.caption)) <= CAPTION_LIMIT
            caption = "".join(text_html(part.caption, CAPTION_LIMIT)) if fits else ""
            if isinstance(part, Image):
                outs.append(OutPhoto(part.png, part.filename, caption))
            else:
                outs.append(OutDocument(part.data, part.filename, caption))
            if part.caption and not caption:
                texts.append(part.caption)  # too long for a caption: sent as text after it
                flush()
    flush()
    return outs


def plain_text(reply: Reply) -> str:
    """A reply's text without markup (for a callback-query alert)."""
    return "\n".join(plain(p.markup) for p in reply.parts if isinstance(p, Text)).strip()

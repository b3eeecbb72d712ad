"""A small markup the core writes and every adapter renders.

``*bold*``, ``_italic_``, ``[label](url)``, and a backslash before any of ``\\*_[]()``
to write it literally. Document- and user-supplied strings go through :func:`esc` so
they can never open a link or a bold run. Adapters call :func:`parse` and render the
spans with their own escaping (Telegram HTML, Slack mrkdwn, plain console text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SPECIAL = set("\\*_[]()")
_MARKER = re.compile(r"[\\*_\[]")  # where a span or an escape can start


_ESCAPES = str.maketrans({c: "\\" + c for c in _SPECIAL})


def esc(text: object) -> str:
    """Escape a string so that it renders literally."""
    return str(text).translate(_ESCAPES)


# a bare web address in a document's text (the scheme, or www., up to a space or bracket)
_BARE_URL = re.compile(r"(?:\bhttps?://|\bwww\.)[^\s<>\"'()\[\]]+", re.IGNORECASE)
_TRAILING = ".,;:!?"


def doc_text(text: object) -> str:
    """Escape a document's text (a case's summary, demands, an update) like :func:`esc`, and
    turn each bare web address in it into a link labelled with its domain, as
    ``example.org/...``: a supporter sees where it leads before opening it, and the platforms
    do not auto-link the whole address, whatever it looks like. The domain is shown in its
    ASCII form (``xn--...`` for one in another script), so a look-alike shows as one."""
    src, out, last = str(text), [], 0
    for m in _BARE_URL.finditer(src):
        url = m.group(0).rstrip(_TRAILING)
        full = url if url.lower().startswith("http") else "https://" + url
        host = _host(full)
        if host is None:
            continue
        out += [esc(src[last : m.start()]), link(_label(host, full), full)]
        last = m.start() + len(url)
    out.append(esc(src[last:]))
    return "".join(out)


def _host(url: str) -> str | None:
    from urllib.parse import urlsplit

    try:
        host = (urlsplit(url).hostname or "").rstrip(".")
        return host.encode("idna").decode("ascii").lower() if host else None
    except (ValueError, UnicodeError):
        return None


def _label(host: str, url: str) -> str:
    from urllib.parse import urlsplit

    rest = urlsplit(url)
    return host + ("/..." if rest.path.strip("/") or rest.query else "")


def link(label: object, url: str) -> str:
    return f"[{esc(label)}]({esc(url)})"


@dataclass(frozen=True)
class Span:
    """A run of text with one style: ``plain``, ``bold``, ``italic`` or ``link``."""

    text: str
    style: str = "plain"
    url: str = ""


def _read_until(src: str, i: int, stop: str) -> tuple[str, int] | None:
    """Unescaped text from ``i`` up to the next unescaped ``stop``; ``None`` if none."""
    out = []
    while i < len(src):
        c = src[i]
        if c == "\\" and i + 1 < len(src):
            out.append(src[i + 1])
            i += 2
            continue
        if c == stop:
            return "".join(out), i + 1
        if c == "\n" and stop in "*_":
            return None
        out.append(c)
        i += 1
    return None


def parse(src: str) -> list[Span]:
    """Split markup into spans; unmatched markers are kept as literal text."""
    spans: list[Span] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            spans.append(Span("".join(buf)))
            buf.clear()

    i = 0
    while i < len(src):
        nxt = _MARKER.search(src, i)  # plain text up to the next marker is copied at once
        j = len(src) if nxt is None else nxt.start()
        if j > i:
            buf.append(src[i:j])
            i = j
            continue
        c = src[i]
        if c == "\\" and i + 1 < len(src) and src[i + 1] in _SPECIAL:
            buf.append(src[i + 1])
            i += 2
            continue
        if c in "*_":
            got = _read_until(src, i + 1, c)
            if got and got[0]:
                flush()
                spans.append(Span(got[0], "bold" if c == "*" else "italic"))
                i = got[1]
                continue
        if c == "[":
            label = _read_until(src, i + 1, "]")
            if label and label[1] < len(src) and src[label[1]] == "(":
                url = _read_until(src, label[1] + 1, ")")
                if url:
                    flush()
                    spans.append(Span(label[0], "link", url[0]))
                    i = url[1]
                    continue
        buf.append(c)
        i += 1
    flush()
    return spans


def plain(src: str) -> str:
    """Markup as plain text (links as ``label <url>``)."""
    out = []
    for s in parse(src):
        if s.style == "link" and s.url and s.url != s.text:
            out.append(f"{s.text} <{s.url}>")
        else:
            out.append(s.text)
    return "".join(out)

"""UA numbers: parse the ways people and documents write them, normalise to ``seq/yy``."""

from __future__ import annotations

import re

_UA_RE = re.compile(
    r"""^\s*
    (?:(?:ua|urgent\s+action)\s*[:#-]?\s*)?   # optional "UA", "UA:", "Urgent Action"
    (?P<seq>\d{1,4})\s*[/.\-_ ]\s*(?P<year>\d{2}|\d{4})
    \s*$""",
    re.IGNORECASE | re.VERBOSE,
)


class InvalidUANumber(ValueError):
    """The text is not a UA number."""


def normalise_ua(text: str) -> str:
    """Return the canonical ``seq/yy`` form of a UA number (``"UA 253.17"`` -> ``"253/17"``)."""
    m = _UA_RE.match(text or "")
    if not m:
        raise InvalidUANumber(text)
    seq = int(m.group("seq"))
    year = m.group("year")
    if len(year) == 4:
        year = year[2:]
    if seq == 0:
        raise InvalidUANumber(text)
    return f"{seq}/{year}"


def try_normalise_ua(text: str) -> str | None:
    """Like :func:`normalise_ua`, but ``None`` for text that is not a UA number."""
    try:
        return normalise_ua(text)
    except InvalidUANumber:
        return None


def ua_slug(ua: str) -> str:
    """A URL- and deep-link-safe form: ``253/17`` -> ``ua-253-17``."""
    seq, year = ua.split("/")
    return f"ua-{seq}-{year}"


def ua_from_slug(slug: str) -> str | None:
    """Inverse of :func:`ua_slug`; ``None`` if the slug is not one."""
    m = re.fullmatch(r"ua-(\d{1,4})-(\d{2})", slug or "", re.IGNORECASE)
    return f"{int(m.group(1))}/{m.group(2)}" if m else None

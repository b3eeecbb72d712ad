"""Tweet length as X counts it (twitter-text v3): URLs weigh 23, most non-Latin characters 2."""

from __future__ import annotations

import re

LIMIT = 280
URL_WEIGHT = 23
# Code point ranges of weight 1 (twitter-text v3 config); everything else weighs 2.
LIGHT = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
URL = re.compile(r"https?://\S+")
ELLIPSIS = "…"


def char_weight(c: str) -> int:
    cp = ord(c)
    return 1 if any(lo <= cp <= hi for lo, hi in LIGHT) else 2


def weighted_length(text: str) -> int:
    """The length X shows against its 280 limit (counted in half-units, as twitter-text does)."""
    total = 0
    pos = 0
    for m in URL.finditer(text):
        total += sum(char_weight(c) for c in text[pos : m.start()]) + URL_WEIGHT
        pos = m.end()
    return total + sum(char_weight(c) for c in text[pos:])


def fit(text: str, limit: int = LIMIT) -> str:
    """``text`` cut on a word (else a character) with an ellipsis so that it fits ``limit``."""
    if weighted_length(text) <= limit:
        return text
    budget = limit - char_weight(ELLIPSIS)
    used = 0
    cut = 0
    for i, c in enumerate(text):
        used += char_weight(c)
        if used > budget:
            break
        cut = i + 1
    head = text[:cut]
    space = head.rfind(" ")
    if space > cut // 2:
        head = head[:space]
    return head.rstrip(" ,;:.") + ELLIPSIS

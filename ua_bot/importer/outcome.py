"""What happened, for an update: released, charged, sentenced, died ... from its title and text."""

from __future__ import annotations

import re

# (outcome, pattern), the first match in the title wins, then the earliest in the summary.
OUTCOMES: list[tuple[str, re.Pattern[str]]] = [
    ("died", re.compile(r"\b(?:died|dies|death in custody|was killed|were killed|killed)\b", re.I)),
    ("executed", re.compile(r"\bexecuted\b|\bexecution (?:was )?carried out\b", re.I)),
    ("acquitted", re.compile(r"\bacquitted\b|\bcharges? (?:were |was )?dropped\b", re.I)),
    ("released", re.compile(r"\b(?:released|freed|set free|let go)\b", re.I)),
    ("sentenced", re.compile(r"\bsentenced\b|\bconvicted\b", re.I)),
    ("charged", re.compile(r"\bcharged\b|\bindicted\b", re.I)),
    ("returned", re.compile(r"\b(?:forcibly returned|deported|extradited|repatriated)\b", re.I)),
    ("disappeared", re.compile(r"\b(?:disappeared|whereabouts (?:remain |are )?unknown)\b", re.I)),
]
_NEGATION = re.compile(
    r"(?:\bnot\s+(?:yet\s+)?(?:been\s+)?|\bnever\s+(?:been\s+)?|\byet\s+to\s+be\s+|\bwithout\s+being\s+|"
    r"\bno\s+longer\s+|\bfear(?:s|ed)?\s+(?:of\s+)?being\s+|\brisk\s+of\s+being\s+|\bcould\s+be\s+|"
    r"\bmay\s+be\s+|\bwill\s+be\s+|\bto\s+be\s+|\bhas\s+been\s+told\s+(?:he|she|they)\s+will\s+be\s+)$",
    re.I,
)


def _first(text: str) -> tuple[int, str] | None:
    best: tuple[int, str] | None = None
    for outcome, pattern in OUTCOMES:
        for m in pattern.finditer(text):
            if _NEGATION.search(text[max(0, m.start() - 40) : m.start()]):
                continue
            if best is None or m.start() < best[0]:
                best = (m.start(), outcome)
            break
    return best


def find_outcome(title: str, texts: list[str]) -> str | None:
    """The outcome an update reports, or ``None``."""
    for text in [title, *texts]:
        found = _first(text or "")
        if found:
            return found[1]
    return None

"""Demands: a bulleted (or bullet-less) list under an action heading, or the asks of a model
letter ("I urge you to release X and to ensure ...") split one by one (docs/ua-format.md §7)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_BULLET = re.compile(r"^(?:-|\d{1,2}[.)])\s+")  # "- calling ...", "1. Write ...", "2) Urge ..."
_INSTRUCTION = re.compile(
    r"^(?:write a letter|please (?:send|write)|send (?:appeals|letters)|appeals? (?:should|to)|"
    r"using the following|in (?:your own words|english)).*:$|.*\b(?:as (?:quickly|soon) as "
    r"possible|own language|following points|guidelines)\b.*:$",
    re.IGNORECASE,
)
_TRAILING = re.compile(r"(?:\s*[;,]\s*(?:and|or)?|\s+and)\s*$")
_LETTER_START = re.compile(r"^(?:dear|estimad[oa]|excelent[íi]simo|monsieur|madame)\b.{0,80}$",
                           re.IGNORECASE)
_LETTER_END = re.compile(
    r"^(?:yours\s+(?:sincerely|faithfully|truly)|sincerely|respectfully|kind regards|"
    r"atentamente)\b.*$",
    re.IGNORECASE,
)
_ASK = re.compile(
    r"\b(?:I|we)\s+(?:\w+\s+)?(?:urge|urging|call\s+(?:up)?on|calling\s+(?:up)?on|ask|asking|"
    r"request|appeal\s+to|implore|"
    r"respectfully\s+(?:urge|ask))\s+(?:you|your\s+(?:government|excellency|office)|the\s+"
    r"authorities)\s+(?:to\s+)?",
    re.IGNORECASE,
)
_VERBS = (
    "release|free|ensure|drop|quash|stop|halt|end|grant|allow|provide|protect|investigate|"
    "guarantee|commute|repeal|amend|bring|take|conduct|cease|refrain|lift|return|give|respect|"
    "order|publish|disclose|reveal|reinstate|withdraw|restore|establish|carry|launch|open|"
    "immediately|promptly|urgently|make|put|abolish|close|revoke|cancel|recognise|recognize|"
    "adopt|implement|permit|let|transfer|treat|inform|tell|stay|halt|suspend|prevent|uphold|"
    "hold|compensate|remove|review|reform|acquit"
)
_SPLIT = re.compile(
    rf"(?:\s*;\s*(?:and\s+)?(?:to\s+)?|,?\s+and\s+(?:for\s+(?:you|them)\s+)?to\s+|"
    rf",?\s+and\s+(?:I|we)\s+(?:also\s+)?(?:urge|ask|call\s+(?:up)?on)\s+you\s+to\s+|"
    rf",?\s+and\s+(?=(?:{_VERBS})\b)|,\s+(?:to\s+)?(?=(?:{_VERBS})\b))",
    re.IGNORECASE,
)


@dataclass
class Letter:
    text: str = ""
    opening: str = ""
    asks: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


def is_instruction(line: str) -> bool:
    """A line telling how to act ("Write a letter, send an email, call, fax or tweet:")."""
    return bool(_INSTRUCTION.match(line))


def clean_demand(line: str) -> str:
    """A list item without its bullet or its trailing ";"/"; and" (a final "." is kept)."""
    return _TRAILING.sub("", _BULLET.sub("", line.strip())).strip()


def list_demands(lines: list[tuple[int, str]]) -> tuple[list[str], list[int], list[str]]:
    """Demands from a list; also the instruction lines (for their language notes) and used lines.

    With bullets, a line without one continues the item before it (hard-wrapped text).
    """
    items: list[str] = []
    used: list[int] = []
    instructions: list[str] = []
    bulleted = any(_BULLET.match(text) for _, text in lines)
    for i, text in lines:
        if not text.strip():
            continue
        if not items and is_instruction(text):
            instructions.append(text)
            used.append(i)
            continue
        if bulleted and items and not _BULLET.match(text):
            items[-1] = items[-1].rstrip() + " " + text.strip()
        else:
            items.append(text)
        used.append(i)
    return [clean_demand(item) for item in items if clean_demand(item)], used, instructions


def find_letter(lines: list[tuple[int, str]]) -> tuple[list[tuple[int, str]], Letter | None]:
    """Split a section at a model letter: the lines before it, and the letter (or ``None``)."""
    start = next((k for k, (_, t) in enumerate(lines) if _LETTER_START.match(t)), None)
    if start is None:
        return lines, None
    end = next(
        (k for k in range(start + 1, len(lines)) if _LETTER_END.match(lines[k][1])), len(lines) - 1
    )
    # The signature: up to two short lines after the closing ("[Your name]").
    stop = end
    for k in range(end + 1, min(end + 3, len(lines))):
        if lines[k][1] and len(lines[k][1]) < 40 and not lines[k][1].endswith(":"):
            stop = k
        else:
            break
    body = lines[start : stop + 1]
    letter = Letter(
        text="\n".join(t for _, t in body if t),
        opening=lines[start][1].rstrip(",").strip(),
        lines=[i for i, _ in body],
    )
    letter.asks = letter_asks(" ".join(t for _, t in lines[start + 1 : end] if t))
    return lines[:start] + lines[stop + 1 :], letter


def letter_asks(text: str) -> list[str]:
    """The asks in a letter's "I urge you to ..." sentences, one demand each."""
    asks: list[str] = []
    for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text):
        m = _ASK.search(sentence)
        if not m:
            continue
        clause = sentence[m.end() :].strip().rstrip(".!")
        for part in _SPLIT.split(clause):
            part = part.strip(" ,;")
            if len(part.split()) >= 2:
                asks.append(part[0].upper() + part[1:])
    return asks

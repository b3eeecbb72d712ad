"""A translation of a case's texts, in a file beside its document: ``UA-253-17.es.txt``.

The file is plain text with labelled parts, in any order (labels in English)::

    Title: MADRE E HIJO EN PELIGRO DE DEVOLUCIÓN FORZADA
    People: Lee Su-jung, su hijo
    Summary:
    Lee Su-jung y su hijo están detenidos en Shenyang (China).
    Demands:
    - Que detengan la devolución forzada de cualquier persona a Corea del Norte
    Salutations:
    1: Señor Presidente
    Update:
    Lee Su-jung ha vuelto a ser detenida.
    Outcome: liberada

A part left out keeps the English text; a salutation is given by the target's number. The
update and the outcome translate the case's latest update and outcome when it is stored.
"""

from __future__ import annotations

import re
from pathlib import Path

from ua_bot.model import CaseText

LABELS = ("title", "people", "summary", "demands", "salutations", "update", "outcome")
_LABEL = re.compile(rf"^\s*({'|'.join(LABELS)})\s*:\s*(.*)$", re.I)
_LANG = re.compile(r"^[a-z]{2,3}$")
_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s*")
_NUMBERED = re.compile(r"^\s*(\d+)\s*[:.)]\s*(.*)$")
MAX_BYTES = 200_000


def parse_translation(text: str) -> CaseText:
    """The labelled parts of a translation file (unknown lines before a label are ignored)."""
    parts: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        m = _LABEL.match(line)
        if m:
            current = m.group(1).lower()
            parts[current] = [m.group(2)] if m.group(2).strip() else []
        elif current is not None:
            parts[current].append(line)

    def lines(name: str) -> list[str]:
        return [ln.strip() for ln in parts.get(name, []) if ln.strip()]

    salutations: dict[int, str] = {}
    for ln in lines("salutations"):
        m = _NUMBERED.match(ln)
        if m and m.group(2).strip():
            salutations[int(m.group(1))] = m.group(2).strip()
    people = " ".join(lines("people"))
    return CaseText(
        title=" ".join(lines("title")),
        summary="\n".join(lines("summary")),
        demands=[_ITEM.sub("", ln) for ln in lines("demands") if _ITEM.sub("", ln)],
        salutations=[salutations.get(i, "") for i in range(1, max(salutations, default=0) + 1)],
        persons=[p.strip() for p in people.split(",") if p.strip()],
        update="\n".join(lines("update")),
        outcome=" ".join(lines("outcome")),
    )


def translations_beside(document: Path) -> dict[str, CaseText]:
    """Every ``<name>.<lang>.txt`` beside ``document`` (``<name>.<ext>``), by language."""
    out: dict[str, CaseText] = {}
    for path in sorted(document.parent.glob(f"{document.stem}.*.txt")):
        lang = path.name[len(document.stem) + 1 : -len(".txt")].lower()
        if path == document or not _LANG.match(lang) or path.stat().st_size > MAX_BYTES:
            continue
        try:
            text = parse_translation(path.read_text("utf-8-sig"))
        except (OSError, UnicodeDecodeError):
            continue
        if any(vars(text).values()):
            out[lang] = text
    return out

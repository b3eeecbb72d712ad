"""Translations tied to what they translate, and out of date when that English changes.

A translation keeps the English each of its parts was made from (``CaseText.sources``);
salutations are kept by target key in the store, so they follow their official when the
targets move. A part whose English has changed since is *out of date*: the organiser sees
it on the review page, and readers of that language get the English text (told once, as
for a case not translated at all) until an organiser updates the translation.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ua_bot.model import Case, CaseText


def sources_of(case: Case) -> dict[str, Any]:
    """The case's English as a translation records it (salutations in target order)."""
    return {
        "title": case.title,
        "summary": case.summary,
        "persons": list(case.persons),
        "demands": list(case.demands),
        "salutations": [t.salutation for t in case.targets],
    }


def demands_in_order(case: Case, text: CaseText) -> list[str] | None:
    """The translated demands in the order of the case's English demands (they follow a
    reorder); ``None`` when none are translated or the English demands changed since."""
    if not text.demands:
        return None
    made_from = text.sources.get("demands")
    if made_from is None:  # kept before sources were: by position, as it is
        return list(text.demands)
    if sorted(made_from) != sorted(case.demands):
        return None
    by_source = dict(zip(made_from, text.demands, strict=False))
    return [by_source[d] for d in case.demands if d in by_source]


def outdated(case: Case, lang: str) -> list[str]:
    """The parts of the ``lang`` translation whose English changed since (readable names)."""
    text = case.translations.get(lang)
    if text is None or not text.sources:
        return []
    src = text.sources
    out = []
    if text.title and src.get("title") != case.title:
        out.append("title")
    if text.summary and src.get("summary") != case.summary:
        out.append("summary")
    if text.persons and src.get("persons") != list(case.persons):
        out.append("people")
    if text.demands and demands_in_order(case, text) is None:
        out.append("demands")
    made_from = [*src.get("salutations", []), *[""] * len(case.targets)]
    for i, (t, s) in enumerate(zip(case.targets, text.salutations, strict=False), 1):
        if s and made_from[i - 1] != t.salutation:
            out.append(f"salutation of target {i} ({t.name})")
    return out


def restamp(old: CaseText | None, new: CaseText, before: Case, after: Case) -> CaseText:
    """``new`` (as an organiser saved it) with its sources: a part the organiser wrote or
    changed is made from the English of ``after``; a part left as it was keeps its source,
    so it stays out of date until someone updates it. Salutations are compared by target."""
    now = sources_of(after)
    if old is None:
        return dataclasses.replace(new, sources=now)
    was = {**now, **old.sources} if old.sources else now
    src: dict[str, Any] = {}
    for part in ("title", "summary", "persons", "demands"):
        src[part] = now[part] if getattr(new, part) != getattr(old, part) else was[part]
    old_by_key = dict(zip([t.key for t in before.targets], old.salutations, strict=False))
    old_src = dict(zip([t.key for t in before.targets], was["salutations"], strict=False))
    salutations = []
    for t, s in zip(after.targets, [*new.salutations, *[""] * len(after.targets)], strict=False):
        kept = t.key in old_by_key and old_by_key[t.key] == s
        salutations.append(old_src.get(t.key, t.salutation) if kept else t.salutation)
    src["salutations"] = salutations
    return dataclasses.replace(new, sources=src)


def up_to_date(text: CaseText, case: Case) -> CaseText:
    """``text`` declared current for the case's English as it is now."""
    return dataclasses.replace(text, sources=sources_of(case))

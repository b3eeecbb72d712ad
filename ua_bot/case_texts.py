"""A case's texts in the reader's language: an organiser's translation, or English said so.

:func:`localise` gives the case with its translated title, summary, demands, people and
salutations for a language; without a translation the case stays in English and
:func:`untranslated` says so, for drafts to keep that text as a quoted block and for the
reader to be told once (:class:`TellOnce`).
"""

from __future__ import annotations

import dataclasses

from ua_bot.lru import LRU
from ua_bot.model import Case

SOURCE = "en"


def _code(lang: str | None) -> str:
    return (lang or SOURCE).lower()


def untranslated(case: Case, lang: str | None) -> bool:
    """Whether a reader of ``lang`` gets this case's text in English."""
    code = _code(lang)
    return code != SOURCE and code != case.text_lang and code not in case.translations


def localise(case: Case, lang: str | None) -> Case:
    """The case with its texts in ``lang`` where an organiser translated them."""
    code = _code(lang)
    tr = case.translations.get(code)
    if tr is None or case.text_lang == code:
        return case
    targets = [
        dataclasses.replace(t, salutation=s) if s else t
        for t, s in zip(case.targets, [*tr.salutations, *[""] * len(case.targets)], strict=False)
    ]
    return dataclasses.replace(
        case,
        title=tr.title or case.title,
        summary=tr.summary or case.summary,
        demands=list(tr.demands) or list(case.demands),
        persons=list(tr.persons) or list(case.persons),
        targets=targets,
        text_lang=code,
    )


class TellOnce:
    """Remembers what a reader was told (bounded, in memory): ``once(key)`` is true once."""

    def __init__(self, size: int = 50_000) -> None:
        self._told: LRU[tuple, None] = LRU(size)

    def once(self, *key: object) -> bool:
        if key in self._told:
            return False
        self._told.put(key, None)
        return True

"""A case's texts in the reader's language: an organiser's translation, or English said so.

:func:`localise` gives the case with its translated title, summary, demands, people and
salutations for a language; without a translation the case stays in English and
:func:`untranslated` says so, for drafts to keep that text as a quoted block and for the
reader to be told once (:class:`TellOnce`). A translation whose English changed since it
was made counts as missing (``ua_bot.cases.translations``).
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict

from ua_bot.cases.translations import demands_in_order, outdated
from ua_bot.model import Case

SOURCE = "en"


def _code(lang: str | None) -> str:
    return (lang or SOURCE).lower()


def untranslated(case: Case, lang: str | None) -> bool:
    """Whether a reader of ``lang`` gets this case's text in English."""
    code = _code(lang)
    if code == SOURCE or code == case.text_lang:
        return False
    return code not in case.translations or bool(outdated(case, code))


def localise(case: Case, lang: str | None) -> Case:
    """The case with its texts in ``lang`` where an organiser translated them."""
    code = _code(lang)
    tr = case.translations.get(code)
    if tr is None or case.text_lang == code or outdated(case, code):
        return case  # a translation out of date waits for an organiser: English till then
    targets = [
        dataclasses.replace(t, salutation=s) if s else t
        for t, s in zip(case.targets, [*tr.salutations, *[""] * len(case.targets)], strict=False)
    ]
    return dataclasses.replace(
        case,
        title=tr.title or case.title,
        summary=tr.summary or case.summary,
        demands=demands_in_order(case, tr) or list(case.demands),
        persons=list(tr.persons) or list(case.persons),
        targets=targets,
        text_lang=code,
    )


class TellOnce:
    """Remembers what a reader was told (bounded, in memory): ``once(key)`` is true once."""

    def __init__(self, size: int = 50_000) -> None:
        self.size = size
        self._told: OrderedDict[tuple[object, ...], None] = OrderedDict()

    def once(self, *key: object) -> bool:
        if key in self._told:
            return False
        self._told[key] = None
        if len(self._told) > self.size:
            self._told.popitem(last=False)
        return True

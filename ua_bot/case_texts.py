"""A case's texts in the reader's language: an organiser's translation, or English said so.

:func:`localise` gives the case with its translated title, summary, demands, people and
salutations for a language; without a translation the case stays in English and
:func:`untranslated` says so, for drafts to keep that text as a quoted block and for the
reader to be told once (remembered in the store: ``Tx.tell_once``).
"""

from __future__ import annotations

import dataclasses

from ua_bot.model import Case, CaseUpdate

SOURCE = "en"


def _code(lang: str | None) -> str:
    return (lang or SOURCE).lower()


def untranslated(case: Case, lang: str | None) -> bool:
    """Whether a reader of ``lang`` gets this case's text in English."""
    code = _code(lang)
    return code != SOURCE and code != case.text_lang and code not in case.translations


def update_words(update: CaseUpdate) -> str:
    """An update as one text, ``released: she was freed``: what a translation translates."""
    if update.outcome and update.text:
        return f"{update.outcome}: {update.text}".strip()
    return (update.text or update.outcome).strip()


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
    update = case.latest_update
    if update is not None and tr.update and tr.update_source.strip() == update_words(update):
        update = dataclasses.replace(update, text=tr.update, outcome="", lang=code)
    outcome = case.outcome
    shown = tr.outcome if tr.outcome and tr.outcome_source.strip() == outcome.strip() else ""
    return dataclasses.replace(
        case,
        latest_update=update,
        outcome_text=shown,
        title=tr.title or case.title,
        summary=tr.summary or case.summary,
        demands=list(tr.demands) or list(case.demands),
        persons=list(tr.persons) or list(case.persons),
        targets=targets,
        text_lang=code,
    )

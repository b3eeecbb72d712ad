"""A case's texts in the reader's language: an organiser's translation, or English said so.

:func:`localise` gives the case with its translated title, summary, demands, people and
salutations for a language; without a translation the case stays in English and
:func:`untranslated` says so, for drafts to keep that text as a quoted block and for the
reader to be told once (remembered in the store: ``Tx.tell_once``). A translation whose
English changed since it was made counts as missing (``ua_bot.cases.translations``).
"""

from __future__ import annotations

import dataclasses
import re

from ua_bot.cases.translations import demands_in_order, outdated
from ua_bot.model import Case, CaseUpdate

SOURCE = "en"

# An English salutation's office, as each language greets it (a man; a woman).
OFFICES: dict[str, dict[str, tuple[str, str]]] = {
    "president": {
        "es": ("Señor Presidente", "Señora Presidenta"),
        "fr": ("Monsieur le Président", "Madame la Présidente"),
        "ar": ("سيادة الرئيس", "سيادة الرئيسة"),
    },
    "prime minister": {
        "es": ("Señor Primer Ministro", "Señora Primera Ministra"),
        "fr": ("Monsieur le Premier ministre", "Madame la Première ministre"),
        "ar": ("دولة رئيس الوزراء", "دولة رئيسة الوزراء"),
    },
    "minister": {
        "es": ("Señor Ministro", "Señora Ministra"),
        "fr": ("Monsieur le Ministre", "Madame la Ministre"),
        "ar": ("معالي الوزير", "معالي الوزيرة"),
    },
    "ambassador": {
        "es": ("Señor Embajador", "Señora Embajadora"),
        "fr": ("Monsieur l'Ambassadeur", "Madame l'Ambassadrice"),
        "ar": ("سعادة السفير", "سعادة السفيرة"),
    },
    "governor": {
        "es": ("Señor Gobernador", "Señora Gobernadora"),
        "fr": ("Monsieur le Gouverneur", "Madame la Gouverneure"),
        "ar": ("سعادة المحافظ", "سعادة المحافظة"),
    },
    "attorney general": {
        "es": ("Señor Fiscal General", "Señora Fiscal General"),
        "fr": ("Monsieur le Procureur général", "Madame la Procureure générale"),
        "ar": ("سعادة النائب العام", "سعادة النائبة العامة"),
    },
    "prosecutor": {
        "es": ("Señor Fiscal", "Señora Fiscal"),
        "fr": ("Monsieur le Procureur", "Madame la Procureure"),
        "ar": ("سعادة المدعي العام", "سعادة المدعية العامة"),
    },
}
_WOMAN = re.compile(r"\b(madam|ms|mrs|miss)\b", re.I)


def office_greeting(salutation: str, code: str) -> str:
    """An English salutation's office as ``code`` greets it (``Dear Ambassador``:
    ``Señor Embajador``); "" when the office or the language is not known."""
    words = " ".join(re.findall(r"[a-z]+", salutation.lower()))
    for office, greetings in OFFICES.items():  # "prime minister" before "minister"
        if re.search(rf"\b{office}\b", words) and code in greetings:
            return greetings[code][1 if _WOMAN.search(salutation) else 0]
    return ""


def _code(lang: str | None) -> str:
    return (lang or SOURCE).lower()


def untranslated(case: Case, lang: str | None) -> bool:
    """Whether a reader of ``lang`` gets this case's text in English."""
    code = _code(lang)
    if code == SOURCE or code == case.text_lang:
        return False
    return code not in case.translations or bool(outdated(case, code))


def update_words(update: CaseUpdate) -> str:
    """An update as one text, ``released: she was freed``: what a translation translates."""
    if update.outcome and update.text:
        return f"{update.outcome}: {update.text}".strip()
    return (update.text or update.outcome).strip()


def english_part(case: Case, lang: str | None, part: str) -> bool:
    """Whether ``part`` (``summary``, ``persons``, ...) of the localised case reaches a reader
    of ``lang`` in English: no translation at all, or one that leaves that part out."""
    return untranslated(case, lang) or part in case.english_parts


def localise(case: Case, lang: str | None) -> Case:
    """The case with its texts in ``lang`` where an organiser translated them."""
    code = _code(lang)
    tr = case.translations.get(code)
    if tr is None or case.text_lang == code or outdated(case, code):
        return case  # a translation out of date waits for an organiser: English till then
    # A target with no translated salutation: its office as the language greets it, else
    # none (the drafts then use the language's own), never the English one in a translation.
    own = [*tr.salutations, *[""] * len(case.targets)]
    targets = [
        dataclasses.replace(t, salutation=s or office_greeting(t.salutation, code))
        for t, s in zip(case.targets, own, strict=False)
    ]
    update = case.latest_update
    if update is not None and tr.update and tr.update_source.strip() == update_words(update):
        update = dataclasses.replace(update, text=tr.update, outcome="", lang=code)
    outcome = case.outcome
    shown = tr.outcome if tr.outcome and tr.outcome_source.strip() == outcome.strip() else ""
    parts = ("title", "summary", "persons", "demands")
    missing = [p for p in parts if getattr(case, p) and not getattr(tr, p)]
    return dataclasses.replace(
        case,
        english_parts=missing,
        latest_update=update,
        outcome_text=shown,
        title=tr.title or case.title,
        summary=tr.summary or case.summary,
        demands=demands_in_order(case, tr) or list(case.demands),
        persons=list(tr.persons) or list(case.persons),
        targets=targets,
        text_lang=code,
    )

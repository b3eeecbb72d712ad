"""Sentences in two languages: a check of each sentence of a reply against the reader's
language (its catalogue, its draft templates, CLDR's month, day and country names) and the
case's own texts, never against a list of phrases.

A word is *foreign* to a reader when another language (its catalogue, or the case's English
texts) has it and nothing the reader's language says has it. Names (of people, officials,
places, languages), commands, links, addresses and the lines of a quoted block (``> ...``) are
no language's words.
"""

from __future__ import annotations

import re
from functools import lru_cache

from babel import Locale

from ua_bot.drafting.drafts import LANGUAGES, TEMPLATES
from ua_bot.i18n import catalogue, locale
from ua_bot.model import Case

WORD = re.compile(r"[^\W\d_]+")
# Not words of a sentence: commands, links, e-mail addresses, command syntax.
NOISE = re.compile(
    r"<[^>]*>|https?://\S+|mailto:\S+|tel:\S+|\S+@\S+|/[a-z_]+|#\w+|@\w+|\[[^\]]*\]"
    r"|\b[A-Z]{2,}\b|\w+(?:\|\w+)+"
    r'|"[^"]*"|«[^»]*»'  # a quotation is marked as one
)
SENTENCE = re.compile(r"(?<=[.!?؟:;])\s+")
TEMPLATE_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


def words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(NOISE.sub(" ", text)) if len(w) > 2}


@lru_cache(maxsize=8)
def vocabulary(lang: str) -> frozenset[str]:
    """Every word the reader's language has in the bot: catalogue, templates, CLDR names."""
    texts = list(catalogue()[lang].values())
    folder = TEMPLATES / lang
    texts += [TEMPLATE_CODE.sub(" ", p.read_text("utf-8")) for p in folder.glob("*.j2")]
    loc = locale(lang)
    texts += list(loc.months["format"]["wide"].values())
    texts += list(loc.days["format"]["wide"].values())
    texts += list(loc.territories.values()) + list(loc.languages.values())
    texts += [lang_.salutation + " " + lang_.sign_here for lang_ in [LANGUAGES[lang]]]
    return frozenset(w for t in texts for w in words(t))


def names(case: Case) -> set[str]:
    """Words that name someone or somewhere: no language's."""
    out: set[str] = set()
    for t in case.targets:
        for text in [t.name, t.title, t.organisation, *t.address, *t.emails, *t.handles]:
            out |= words(text)
    for person in case.persons:
        out |= {w.lower() for w in WORD.findall(person) if person[:1].isupper()}
    out |= words(case.title)  # the case's name heads its card, as written
    out |= {w.lower() for lang in LANGUAGES.values() for w in WORD.findall(lang.name)}
    out |= {"washington", "america", "new_york", "york", "shenyang", "beijing", "amnesty"}
    out |= {"pdf", "ua", "bot"}
    return out


def case_words(case: Case) -> set[str]:
    texts = [case.title, case.summary, *case.demands, *case.persons]
    texts += [n for t in case.targets for n in [t.salutation, *t.notes]]
    if case.latest_update:
        texts += [case.latest_update.text, case.latest_update.outcome]
    texts.append(case.outcome or "")
    return {w for t in texts for w in words(t)}


def mixed_sentences(text: str, lang: str, case: Case, translated: Case) -> list[str]:
    """The sentences of ``text`` (outside quoted blocks) that hold a foreign word."""
    own = vocabulary(lang) | names(case)
    if translated.text_lang == lang:  # the case's own words are the reader's language
        own |= case_words(translated)
    foreign = set(case_words(case))
    for other in LANGUAGES:
        if other != lang:
            foreign |= vocabulary(other)
    foreign -= own
    bad = []
    for line in text.splitlines():
        if line.lstrip().startswith(">"):
            continue
        for sentence in SENTENCE.split(line):
            strange = words(sentence) & foreign
            if strange:
                bad.append(f"{sentence!r}: {sorted(strange)}")
    return bad


__all__ = ["Locale", "mixed_sentences"]

"""Drafts of an action for one target of a case, rendered from Jinja2 templates per language."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from babel.dates import format_date

from ua_bot.case_texts import localise, office_greeting, untranslated
from ua_bot.drafting import phones, weight
from ua_bot.i18n import isolate, locale
from ua_bot.model import Case, Target

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
KINDS = ("letter", "email", "call", "tweet", "fax")
MAILTO_LIMIT = 2000
# The channel a draft needs, in words, for "X has no ... in this case".
NEEDS = {
    "letter": "postal address",
    "email": "email address",
    "call": "phone number",
    "fax": "fax number",
}


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    salutation: str  # when the case gives none for the target
    sign_here: str  # in place of a signature the supporter has not given
    and_word: str
    your_name: str = "[your name]"  # in a call script, before the supporter has signed
    rtl: bool = False  # written right to left: left-to-right runs are isolated

    def join(self, items: list[str]) -> str:
        """``a, b and c``."""
        if len(items) < 2:
            return "".join(items)
        if self.rtl:  # "و" is written joined to the word it links
            return f"{'، '.join(items[:-1])} {self.and_word}{items[-1]}"
        return f"{', '.join(items[:-1])} {self.and_word} {items[-1]}"


LANGUAGES: dict[str, Language] = {
    "en": Language("en", "English", "Dear Sir or Madam", "[your name, your city]", "and"),
    "es": Language("es", "Español", "Señor/a", "[tu nombre, tu ciudad]", "y", "[tu nombre]"),
    "fr": Language(
        "fr", "Français", "Madame, Monsieur", "[votre nom, votre ville]", "et", "[votre nom]"
    ),
    "ar": Language(
        "ar", "العربية", "حضرة المسؤول المحترم", "[اسمك، مدينتك]", "و", "[اسمك]", rtl=True
    ),
}
DEFAULT_LANG = "en"


class MissingChannel(Exception):
    """The target has no address, number or handle for this kind of draft."""

    def __init__(self, target: Target, kind: str) -> None:
        self.target = target
        self.kind = kind
        super().__init__(f"{target.name} has no {NEEDS.get(kind, kind)}")


@dataclass
class Draft:
    """A ready-to-send text (plain, unescaped) with what helps to send it."""

    kind: str
    lang: str
    text: str
    subject: str = ""
    link: str = ""  # mailto:, tel: or a tweet intent URL; "" when there is none
    number: str = ""  # the phone or fax number as people read it; ``link`` has E.164
    local_time: dt.datetime | None = None
    place: str = ""  # where the number is, for "Local time in Beijing"
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@lru_cache(maxsize=4)
def environment(templates_dir: str = "") -> jinja2.Environment:
    """Templates from ``templates_dir`` (an organiser's edits) first, then the built-in ones."""
    loaders = [jinja2.FileSystemLoader(templates_dir)] if templates_dir else []
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([*loaders, jinja2.FileSystemLoader(str(TEMPLATES))]),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["ltr"] = isolate  # a left-to-right run inside a right-to-left sentence
    return env


def language(code: str | None) -> Language:
    return LANGUAGES.get((code or "").lower()[:2], LANGUAGES[DEFAULT_LANG])


def long_date(d: dt.date, lang: Language) -> str:
    """``27 December 2017``, ``27 de diciembre de 2017``, ``27 décembre 2017`` (CLDR)."""
    return format_date(d, "long", locale=locale(lang.code))


def salutation(target: Target, lang: Language, text_lang: str = "en") -> str:
    """The case's salutation for the target when the case's text is in ``lang`` (English,
    or a translation); else the office it names as ``lang`` greets it (``Dear Ambassador``:
    ``Señor Embajador``); else the language's own."""
    if target.salutation and lang.code == text_lang:
        return target.salutation.rstrip(",: ")
    if target.salutation and text_lang == "en":
        return office_greeting(target.salutation, lang.code) or lang.salutation
    return lang.salutation


def address_block(target: Target) -> list[str]:
    head = [target.name]
    if target.title:
        head.append(target.title)
    if target.organisation:
        head.append(target.organisation)
    return head + list(target.address)


def _render(name: str, lang: Language, templates_dir: str = "", **values: Any) -> str:
    template = environment(templates_dir).get_template(f"{lang.code}/{name}")
    text = template.render(**values)
    text = "\n".join(line.rstrip() for line in text.strip().splitlines())
    return re.sub(r"\n{3,}", "\n\n", text)  # an empty optional block leaves one blank line


def caller(signature: str | None, lang: Language) -> dict[str, str]:
    """``Ana, Lima`` as a caller says it: ``{"caller_name": "Ana", "caller_city": "Lima"}``."""
    name, _, city = (signature or "").strip().partition(",")
    return {"caller_name": name.strip() or lang.your_name, "caller_city": city.strip()}


def make_draft(
    case: Case,
    target_no: int,
    kind: str,
    *,
    now: dt.datetime,
    lang: str | None = None,
    signature: str | None = None,
    templates_dir: Path | None = None,
) -> Draft:
    """A draft of ``kind`` for target ``target_no`` (1-based) of ``case``.

    Raises :class:`MissingChannel` when the target cannot receive it, ``ValueError`` for an
    unknown kind or target number.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown draft kind {kind!r}")
    target = case.target(target_no)
    if target is None:
        raise ValueError(f"no target {target_no}")
    if kind != "tweet" and kind not in target.channels():
        raise MissingChannel(target, kind)
    language_ = language(lang)
    original, case = case, localise(case, language_.code)
    target = case.target(target_no) or target
    english = untranslated(case, language_.code)
    if case.english_parts:  # a partial translation: the case's words are quoted in
        english = True  # English together, never mixed into a sentence
        case = dataclasses.replace(case, summary=original.summary, demands=original.demands)
    values = dict(
        untranslated=english,
        case=case,
        ua=case.ua_number,
        target=target,
        persons=language_.join(case.persons) or case.title.capitalize(),
        subject_title=case.title.capitalize(),
        demands=list(case.demands),
        salutation=salutation(target, language_, case.text_lang),
        address_block=address_block(target),
        date=long_date(now.date(), language_),
        signature=(signature or "").strip() or language_.sign_here,
        **caller(signature, language_),
        handle=(target.handles[0] if target.handles else ""),
        hashtag="UA" + "_".join(case.ua_number.split("/")),
        templates_dir=str(templates_dir or ""),
    )
    return BUILDERS[kind](language_, values, now)


def _letter(lang: Language, values: dict[str, Any], now: dt.datetime) -> Draft:
    return Draft("letter", lang.code, _render("letter.txt.j2", lang, **values))


def _email(lang: Language, values: dict[str, Any], now: dt.datetime) -> Draft:
    target: Target = values["target"]
    subject = _render("email_subject.txt.j2", lang, **values)
    body = _render("email.txt.j2", lang, **values)
    draft = Draft("email", lang.code, body, subject=subject)
    link = mailto(target.emails, subject, body)
    if len(link) <= MAILTO_LIMIT:
        draft.link = link
    else:
        draft.notes.append("too long for a link")
    return draft


def mailto(emails: list[str], subject: str, body: str) -> str:
    """A ``mailto:`` URL: to the first address, copies to the others (RFC 6068)."""
    to = quote(emails[0], safe="@")
    query = []
    if emails[1:]:
        query.append("cc=" + quote(",".join(emails[1:]), safe="@,"))
    query.append("subject=" + quote(subject, safe=""))
    query.append("body=" + quote(body, safe=""))
    return f"mailto:{to}?" + "&".join(query)


def _call(lang: Language, values: dict[str, Any], now: dt.datetime) -> Draft:
    target: Target = values["target"]
    number, shown = phones.e164(target.phones[0]), phones.readable(target.phones[0])
    draft = Draft(
        "call",
        lang.code,
        _render("call.txt.j2", lang, number=shown, **values),
        link=f"tel:{number}",
        number=shown,
    )
    local = phones.local_time(number, now)
    draft.local_time = local
    draft.place = phones.place(number)
    if local is not None and not phones.in_office_hours(local):
        alt = [w for w in ("email", "fax") if w in target.channels()]
        instead = f" Try {' or '.join(alt)} instead." if alt else ""
        draft.warnings.append(
            f"It is {local:%H:%M} on {local:%A} there, outside office hours "
            f"(9:00 to 17:00, Monday to Friday).{instead}"
        )
    return draft


def _tweet(lang: Language, values: dict[str, Any], now: dt.datetime) -> Draft:
    demands = list(values["demands"])

    def render() -> str:
        return " ".join(_render("tweet.txt.j2", lang, **{**values, "demands": demands}).split())

    text = render()
    # Drop demands from the end before cutting words: whole demands read better.
    while weight.weighted_length(text) > weight.LIMIT and len(demands) > 1:
        demands.pop()
        text = render()
    text = weight.fit(text)
    return Draft(
        "tweet",
        lang.code,
        text,
        link="https://twitter.com/intent/tweet?text=" + quote(text, safe=""),
    )


def _fax(lang: Language, values: dict[str, Any], now: dt.datetime) -> Draft:
    target: Target = values["target"]
    number = phones.readable(target.faxes[0])
    cover = _render("fax_cover.txt.j2", lang, number=number, **values)
    letter = _render("letter.txt.j2", lang, **values)
    return Draft("fax", lang.code, f"{cover}\n\n{letter}", number=number)


BUILDERS = {"letter": _letter, "email": _email, "call": _call, "tweet": _tweet, "fax": _fax}

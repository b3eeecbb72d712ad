"""The supporter's language: interface texts from gettext catalogues, English the source.

The English texts are ``ua_bot/locale/messages.pot``; each language translates them in
``ua_bot/locale/<lang>/LC_MESSAGES/messages.po``, read directly with Babel (no compile step).
An entry's ``msgctxt`` is the key the code asks for (``case.persons``), its ``msgid`` the
English text. A text is markup (:mod:`ua_bot.markup`) with ``{name}`` placeholders that callers
fill with values they have escaped already. A plural (``msgid_plural``) has one form per plural
category of the language (Arabic six, Spanish three, French two) and gets the count as ``{n}``.
A text that is missing, blank, fuzzy or broken in a language falls back to English.

An organiser's ``UA_BOT_TEMPLATES_DIR/<lang>/messages.po`` (or ``messages.toml``, keys as
``[case] persons = "..."``) replaces texts key by key. How to add a message: docs/drafting.md.
Dates, numbers and country names come from CLDR through Babel. Right-to-left languages get
every left-to-right value (a name, a number, an address) wrapped in Unicode isolation marks.
"""

from __future__ import annotations

import datetime as dt
import gettext
import logging
import re
import string
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po
from babel.numbers import format_decimal

log = logging.getLogger("ua_bot.i18n")
SOURCE = "en"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
TEMPLATE = LOCALE_DIR / "messages.pot"
PO = "messages.po"
TOML = "messages.toml"
Catalogue = dict[str, dict[str, str]]
# The CLDR locale a language code speaks with: British English dates (27 December 2017).
LOCALES = {"en": "en_GB"}
FSI, PDI = "\u2068", "\u2069"
_LTR = re.compile(r"[A-Za-z0-9\u00c0-\u024f@+]")
_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        elif isinstance(value, str):
            out[name] = value
    return out


def plural_categories(catalog: Catalog) -> list[str]:
    """The CLDR category (``one``, ``few``, ...) of each ``msgstr[i]`` of the catalogue."""
    index = gettext.c2py(catalog.plural_expr)
    loc = catalog.locale or Locale.parse(SOURCE)
    found: dict[int, str] = {}
    for n in [*range(0, 1001), 1_000_000]:
        found.setdefault(index(n), loc.plural_form(n))
    return [found.get(i, "other") for i in range(catalog.num_plurals)]


def read_catalogue(path: Path, *, source: bool = False) -> dict[str, str]:
    """A ``.po`` (or, with ``source``, the ``.pot``) as ``{key: text}``; a plural's forms
    as ``key.one``, ``key.other``, ... by CLDR category. Fuzzy and empty entries are left out."""
    with path.open("rb") as f:
        catalog = read_po(f, abort_invalid=True)
    forms = ["one", "other"] if source else plural_categories(catalog)
    out: dict[str, str] = {}
    for m in catalog:
        if not m.id or not m.context or (m.fuzzy and not source):
            continue
        if m.pluralizable:
            texts = m.id if source else m.string
            for form, text in zip(forms, texts or (), strict=False):
                if text:
                    out[f"{m.context}.{form}"] = text
        else:
            one = m.id if source else m.string
            if isinstance(one, str) and one:
                out[m.context] = one
    return out


def _read(folder: Path) -> Catalogue:
    """Every language in ``folder``: ``<lang>/LC_MESSAGES/messages.po``, ``<lang>/messages.po``
    or ``<lang>/messages.toml`` (an organiser's folder)."""
    texts: Catalogue = {}
    paths = sorted([*folder.glob(f"*/{TOML}"), *folder.glob(f"*/{PO}")])
    for path in paths + sorted(folder.glob(f"*/LC_MESSAGES/{PO}")):
        lang = (path.parent.parent if path.parent.name == "LC_MESSAGES" else path.parent).name
        try:
            if path.suffix == ".toml":
                own = _flatten(tomllib.loads(path.read_text("utf-8")))
            else:
                own = read_catalogue(path)
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, PoFileError) as e:
            log.warning("skipping %s: %s", path, e)
            continue
        texts.setdefault(lang.lower(), {}).update(own)
    return texts


@lru_cache(maxsize=4)
def catalogue(templates_dir: str = "") -> Catalogue:
    """Every language's texts: the built-in ones, then an organiser's folder over them."""
    texts = {SOURCE: read_catalogue(TEMPLATE, source=True), **_read(LOCALE_DIR)}
    if templates_dir:
        for lang, more in _read(Path(templates_dir)).items():
            texts[lang] = {**texts.get(lang, {}), **more}
    return texts


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of a text."""
    try:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
    except ValueError:
        return {"<unbalanced braces>"}


@lru_cache(maxsize=64)
def locale(lang: str | None) -> Locale:
    """The CLDR locale of a language code; British English for one Babel does not know."""
    code = (lang or SOURCE).lower()
    try:
        return Locale.parse(LOCALES.get(code, code).replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(LOCALES[SOURCE])


def isolate(value: str) -> str:
    """A left-to-right run (a name, a number, an e-mail) set apart from the right-to-left
    sentence around it (FSI ... PDI), so that it reads in order; Arabic text stays as it is."""
    if not value or not _LTR.search(value) or _RTL.search(value) or value.startswith(FSI):
        return value
    return f"{FSI}{value}{PDI}"


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    names = {name.lower(): code for code, name in Locale.parse("en").territories.items()}
    names.update({"usa": "US", "united states of america": "US", "uk": "GB"})
    return names


def country_name(name: str, lang: str | None) -> str:
    """``Egypt`` in the reader's language (``Egipto``, ``Égypte``, ``مصر``); as given when
    CLDR does not know it."""
    code = _countries().get(name.strip().lower())
    if code is None:
        return name
    return str(locale(lang).territories.get(code, name))


class Translator:
    """Texts in one language, English where that language has none."""

    def __init__(self, lang: str | None, texts: Catalogue | None = None) -> None:
        self.texts = catalogue() if texts is None else texts
        self.lang = (lang or SOURCE).lower()
        self._own = self.texts.get(self.lang, {}) if self.lang != SOURCE else {}
        self._source = self.texts.get(SOURCE, {})
        spoken = self.lang if self._own or self.lang == SOURCE else SOURCE
        self.locale = locale(spoken)
        self.rtl = self.locale.character_order == "right-to-left"

    def __call__(self, key: str, **values: object) -> str:
        own = self._own.get(key, "")
        if own.strip():
            if self.rtl:  # a command's name (``/{name}``) stays part of the command
                values = {
                    k: isolate(v) if isinstance(v, str) and f"/{{{k}}}" not in own else v
                    for k, v in values.items()
                }
            try:
                return own.format_map(values)
            except (KeyError, IndexError, ValueError, AttributeError):
                log.warning("text %s in %s does not fit its placeholders", key, self.lang)
        return self._source[key].format_map(values)

    @property
    def english(self) -> bool:
        """Whether this reader gets the interface in English (a text in English is no
        foreign text to them)."""
        return not self._own

    def get(self, key: str, default: str) -> str:
        """A text without placeholders that may not be in the catalogue at all."""
        own = self._own.get(key, "") or self._source.get(key, "")
        return own if own.strip() else default

    def n(self, key: str, count: int, **values: object) -> str:
        """The plural text of ``key`` for ``count`` by the language's CLDR rules (``{n}``)."""
        number = self.number(count)
        for form in (self.locale.plural_form(count), "other"):
            if self._own.get(f"{key}.{form}", "").strip():
                return self(f"{key}.{form}", n=number, **values)
        return self(f"{key}.{'one' if count == 1 else 'other'}", n=number, **values)

    def number(self, count: int) -> str:
        """``1,234``, ``1.234``, ``1 234`` as the language writes it."""
        return format_decimal(count, locale=self.locale)

    def date(self, d: dt.date) -> str:
        """``5 March 2026``, ``5 de marzo de 2026``, ``5 mars 2026``, ``5 مارس 2026``."""
        return format_date(d, "long", locale=self.locale)

    def country(self, name: str) -> str:
        """A country's name as the reader's language writes it."""
        return country_name(name, self.locale.language)


ENGLISH = Translator(SOURCE)

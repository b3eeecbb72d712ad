"""The supporter's language: interface texts from a catalogue per language, English the source.

Texts live beside the draft templates, in ``ua_bot/templates/<lang>/messages.toml``; an
organiser's ``UA_BOT_TEMPLATES_DIR/<lang>/messages.toml`` replaces them key by key. A text is
markup (:mod:`ua_bot.markup`) with ``{name}`` placeholders that callers fill with values they
have escaped already, as before. A plural is a table with ``one`` and ``other`` and gets the
count as ``{n}``. A text that is missing, blank or broken in a language falls back to English.
"""

from __future__ import annotations

import datetime as dt
import logging
import string
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from ua_bot.drafting.drafts import TEMPLATES, language
from ua_bot.drafting.drafts import long_date as _long_date

log = logging.getLogger("ua_bot.i18n")
SOURCE = "en"
FILE = "messages.toml"
Catalogue = dict[str, dict[str, str]]


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        elif isinstance(value, str):
            out[name] = value
    return out


def _read(folder: Path) -> Catalogue:
    texts: Catalogue = {}
    for path in sorted(folder.glob(f"*/{FILE}")):
        try:
            texts[path.parent.name.lower()] = _flatten(tomllib.loads(path.read_text("utf-8")))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
            log.warning("skipping %s: %s", path, e)
    return texts


@lru_cache(maxsize=4)
def catalogue(templates_dir: str = "") -> Catalogue:
    """Every language's texts: the built-in ones, then an organiser's folder over them."""
    texts = _read(TEMPLATES)
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


class Translator:
    """Texts in one language, English where that language has none."""

    def __init__(self, lang: str | None, texts: Catalogue | None = None) -> None:
        self.texts = catalogue() if texts is None else texts
        self.lang = (lang or SOURCE).lower()
        self._own = self.texts.get(self.lang, {}) if self.lang != SOURCE else {}
        self._source = self.texts.get(SOURCE, {})

    def __call__(self, key: str, **values: object) -> str:
        own = self._own.get(key, "")
        if own.strip():
            try:
                return own.format_map(values)
            except (KeyError, IndexError, ValueError, AttributeError):
                log.warning("text %s in %s does not fit its placeholders", key, self.lang)
        return self._source[key].format_map(values)

    def get(self, key: str, default: str) -> str:
        """A text without placeholders that may not be in the catalogue at all."""
        own = self._own.get(key, "") or self._source.get(key, "")
        return own if own.strip() else default

    def n(self, key: str, count: int, **values: object) -> str:
        """The plural text ``key.one`` or ``key.other`` for ``count`` (given as ``{n}``)."""
        form = "one" if count == 1 else "other"
        return self(f"{key}.{form}", n=f"{count:,}", **values)

    def date(self, d: dt.date) -> str:
        """``5 March 2026``, ``5 de marzo de 2026``."""
        return _long_date(d, language(self.lang))


ENGLISH = Translator(SOURCE)

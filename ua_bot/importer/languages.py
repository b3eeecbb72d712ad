"""The languages to write in: "in English, Chinese or your own language", or the 2017
template's ``PREFERRED LANGUAGE TO ADDRESS TARGET: Spanish`` (docs/ua-format.md §8)."""

from __future__ import annotations

import re

_NAMES = """
Albanian Amharic Arabic Armenian Azerbaijani Azeri Basque Belarusian Bengali Bosnian
Bulgarian Burmese Catalan Chinese Mandarin Cantonese Croatian Czech Danish Dari Dutch
English Farsi Filipino Finnish French Georgian German Greek Hausa Hebrew Hindi Hungarian
Igbo Indonesian Italian Japanese Kazakh Khmer Kinyarwanda Kirundi Korean Kurdish Kyrgyz
Lao Lingala Macedonian Malay Mongolian Nepali Norwegian Oromo Pashto Persian Polish
Portuguese Romanian Russian Serbian Sinhala Slovak Somali Spanish Swahili Swedish Tagalog
Tajik Tamil Thai Tibetan Tigrinya Turkish Turkmen Ukrainian Urdu Uyghur Uzbek Vietnamese
Wolof Yoruba Zulu
"""
LANGUAGES = {name.lower(): name for name in _NAMES.split()}
_INLINE = re.compile(
    r"\bin\s+(?P<langs>[A-Z][a-z]+(?:\s*(?:,|/|\bor\b|\band\b)\s*[A-Z][a-z]+)*)\s*,?\s*"
    r"(?:or|and)\s+(?:in\s+)?your\s+own\s+language",
)


def split_languages(text: str) -> list[str]:
    """Known language names in a list such as "Spanish, English" or "Arabic or French"."""
    out: list[str] = []
    for word in re.split(r"\s*(?:,|/|\bor\b|\band\b|;)\s*", text):
        name = LANGUAGES.get(word.strip(" .").lower())
        if name and name not in out:
            out.append(name)
    return out


def inline_languages(text: str) -> list[str]:
    """The languages named before "or your own language" in an instruction line."""
    m = _INLINE.search(text)
    return split_languages(m.group("langs")) if m else []

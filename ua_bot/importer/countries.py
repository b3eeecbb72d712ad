"""Country names in documents and addresses, and their region codes (for phone numbers)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ua_bot.importer.country_names import NAMES

# Forms seen in UA documents that the generated table lacks, and short display names.
ALIASES: dict[str, str] = {
    "People's Republic of China": "CN",
    "PRC": "CN",
    "Democratic People's Republic of Korea": "KP",
    "DPRK": "KP",
    "Republic of Korea": "KR",
    "USA": "US",
    "U.S.A.": "US",
    "United States of America": "US",
    "Washington DC": "US",
    "Washington, DC": "US",
    "Washington D.C.": "US",
    "UK": "GB",
    "Great Britain": "GB",
    "England": "GB",
    "Russian Federation": "RU",
    "Islamic Republic of Iran": "IR",
    "Syrian Arab Republic": "SY",
    "Viet Nam": "VN",
    "Burma": "MM",
    "Ivory Coast": "CI",
    "Democratic Republic of the Congo": "CD",
    "DRC": "CD",
    "Democratic Republic of Congo": "CD",
    "DR Congo": "CD",
    "Republic of the Congo": "CG",
    "Eswatini": "SZ",
    "North Macedonia": "MK",
    "Occupied Palestinian Territories": "PS",
    "Czechia": "CZ",
    "The Gambia": "GM",
    "Kingdom of Saudi Arabia": "SA",
    "United Mexican States": "MX",
    "México": "MX",
    "Türkiye": "TR",
}

DISPLAY: dict[str, str] = {
    "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo",
    "US": "USA",
}

_US_ZIP = re.compile(r"\b(?:A[KLRZ]|C[AOT]|D[CE]|FL|GA|HI|I[ADLN]|K[SY]|LA|M[ADEINOST]|N[CDEHJMVY]"
                     r"|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[AT]|W[AIVY])\s+\d{5}(?:-\d{4})?\b")


def _fold(text: str) -> str:
    """Lower case without accents, one character for one, so positions still hold."""
    return "".join((unicodedata.normalize("NFKD", c)[:1] or c).lower()[:1] for c in text)


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, str], re.Pattern[str]]:
    names: dict[str, str] = {}
    for region, forms in NAMES.items():
        for form in forms:
            names.setdefault(_fold(form), region)
    for form, region in ALIASES.items():
        names[_fold(form)] = region
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return names, re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])")


def region_for(name: str) -> str | None:
    """The region code for a country name (any listed language or alias), else ``None``."""
    names, _ = _table()
    return names.get(_fold(name.strip().strip(".,")))


def display_name(region: str) -> str:
    """A short English name for a region code."""
    return DISPLAY.get(region) or (NAMES[region][0] if region in NAMES else region)


def countries_in(text: str) -> list[tuple[str, int]]:
    """The region codes of the country names in ``text``, with their positions, in order.

    Names are matched on capitalised words only, so "china" in a URL or "oman" in a
    word do not count.
    """
    names, pattern = _table()
    out: list[tuple[str, int]] = []
    for m in pattern.finditer(_fold(text)):
        original = text[m.start() : m.end()]
        if original[:1].isupper():
            out.append((names[m.group()], m.start()))
    return out


def country_of_address(lines: list[str]) -> str | None:
    """The region of an address block: a country name (last wins) or a US state and ZIP."""
    for line in reversed(lines):
        found = countries_in(line)
        if found:
            return found[-1][0]
        if _US_ZIP.search(line):
            return "US"
    return None

"""Clean extracted text into lines: one paragraph (or address line) a line, artefacts removed.

Handles Word-export bookmarks (``[bookmark: Text17]``), curly quotes, odd spaces, control
characters, UTF-8 read as Windows-1252 ("â€™"), the AIUSA spaced-letter banner, Wingdings
bullets that came out as a lone ``n`` or ``v``, page numbers, form feeds, words hyphenated
across lines and plain text hard-wrapped at a fixed width.
"""

from __future__ import annotations

import re

from ua_bot.importer.reflow import dehyphenate, reflow, wrap_width

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]", re.IGNORECASE)
_QUOTES = str.maketrans(
    {
        "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'",
        "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"',
        "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ", "\u2002": " ", "\u2003": " ",
        "\t": " ", "\f": "\n", "\v": "\n", "\u2028": "\n", "\u2029": "\n",
        "\u200b": None, "\u200c": None, "\u200d": None, "\ufeff": None, "\u00ad": None,
    }
)  # fmt: skip
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# UTF-8 bytes shown as Windows-1252: a lead byte (Â-ô) and one to three continuation bytes.
_CP1252_HIGH = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_MOJIBAKE = re.compile(f"[\u00c2-\u00f4][\u0080-\u00bf{_CP1252_HIGH}]{{1,3}}")
_SPACED = re.compile(r"(?:[A-Z] +){2,}[A-Z]")
_BANNER_WORDS = ("URGENT", "ACTION", "APPEAL", "AMNESTY", "INTERNATIONAL", "USA", "EXTRA")
_BULLET = re.compile(r"^(?:[•●▪◦■□➢►✓*·]|[-–—](?=\s)|[nvØü§](?=\s+\S))\s*")
_PAGE_NUMBER = re.compile(
    r"^(?:page\s+\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?|\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?|-\s*\d{1,3}\s*-)$",
    re.IGNORECASE,
)
_SPACES = re.compile(r"[ ]{2,}")


def _unmangle(m: re.Match[str]) -> str:
    try:
        return m.group().encode("cp1252").decode("utf-8")
    except UnicodeError:
        return m.group()


def fix_mojibake(text: str) -> str:
    """Repair UTF-8 text that was decoded as Windows-1252 ("Peopleâ€™s" -> "People’s")."""
    return _MOJIBAKE.sub(_unmangle, text)


def normalise_chars(text: str) -> str:
    """Character-level clean-up; line structure is kept."""
    text = fix_mojibake(text).replace("\r\n", "\n").replace("\r", "\n")
    text = _BOOKMARK.sub("", text.translate(_QUOTES))
    return _CONTROL.sub("", text)


def _unspace(line: str) -> str:
    """ "U R G E N T   A C T I O N" -> "URGENT ACTION", also when the wide gaps were lost."""
    if re.search(r"\s{2,}", line):
        return " ".join(word.replace(" ", "") for word in re.split(r"\s{2,}", line))
    letters, words = line.replace(" ", ""), []
    while letters:
        word = next((w for w in _BANNER_WORDS if letters.startswith(w)), None)
        if word is None:
            return line.replace(" ", "")
        words.append(word)
        letters = letters[len(word) :]
    return " ".join(words)


def clean_line(line: str) -> str:
    """One line: spaces collapsed and trimmed, spaced banner joined, bullets made ``- ``."""
    line = line.strip()
    if _SPACED.fullmatch(line):
        line = _unspace(line)
    line = _SPACES.sub(" ", line)
    m = _BULLET.match(line)
    if m and len(line) > m.end():
        line = "- " + line[m.end() :]
    return line


def is_page_number(line: str) -> bool:
    """A line that is only a page number ("2", "Page 2 of 3", "- 2 -"); "41/16" is not."""
    m = _PAGE_NUMBER.match(line)
    if not m:
        return False
    numbers = [int(n) for n in re.findall(r"\d+", line)]
    return len(numbers) < 2 or numbers[0] <= numbers[1]


def squeeze_blank(lines: list[str]) -> list[str]:
    """At most one blank line in a row, none at the start or the end."""
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return out


def normalise_text(text: str, *, plain: bool = True) -> list[str]:
    """Normalised lines of a document.

    ``plain`` marks text from a .txt file, which is reflowed only when it looks hard-wrapped;
    readers that know the layout (PDF) reflow before calling this.
    """
    lines = [clean_line(line) for line in normalise_chars(text).split("\n")]
    lines = [line for line in lines if not is_page_number(line)]
    width = wrap_width(lines) if plain else None
    if width:
        from ua_bot.importer.sections import starts_paragraph

        widths = [len(line) for line in lines]  # as wrapped, before words are rejoined
        lines = dehyphenate(lines, keep=True)
        lines = reflow(
            lines, widths=widths, full=width, is_break=starts_paragraph, fixed_width=True
        )
    return squeeze_blank([line.strip() for line in lines])

"""``python -m ua_bot.catalogue_check``: every language has every message, with its placeholders.

Run by ``make lint``. It reads the English template (``ua_bot/locale/messages.pot``) and each
``ua_bot/locale/<lang>/LC_MESSAGES/messages.po`` (or the folders given as arguments), prints one
line per problem (a message missing, empty, fuzzy, stale or unknown; a placeholder missing or
extra) and exits 1 when there is any. A plural form may leave out ``{n}`` (Arabic says "two
letters" in one word) but keeps every other placeholder.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po

from ua_bot.i18n import LOCALE_DIR, PO, TEMPLATE, placeholders


def _read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, abort_invalid=True)


def _texts(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    """A message's text, or its plural forms, as a list."""
    if value is None:
        return [""]
    return [value] if isinstance(value, str) else list(value)


def check_language(template: Catalog, po: Path) -> list[str]:
    """The problems of one language's catalogue against the template."""
    try:
        own = _read(po)
    except (OSError, PoFileError, UnicodeDecodeError) as e:
        return [f"{po}: unreadable: {e}"]
    lang = po.parent.parent.name
    problems = []
    known = set()
    for m in template:
        if not m.id:
            continue
        key = m.context
        known.add(key)
        tr = own.get(m.id, context=key)
        if tr is None:
            others = [x for x in own if x.context == key]
            what = "stale: its English text changed (pybabel update)" if others else "missing"
            problems.append(f"{lang}: {key}: {what}")
            continue
        if tr.fuzzy:
            problems.append(f"{lang}: {key}: fuzzy: review the translation")
        texts = _texts(tr.string)
        wanted = placeholders(_texts(m.id)[-1])
        for text in texts:
            if not text.strip():
                problems.append(f"{lang}: {key}: empty")
                continue
            have = placeholders(text)
            missing = wanted - have - ({"n"} if tr.pluralizable else set())
            if missing or have - wanted:
                problems.append(
                    f"{lang}: {key}: placeholders {sorted(have)} instead of {sorted(wanted)}"
                )
    for m in own:
        if m.id and m.context not in known:
            problems.append(f"{lang}: {m.context}: not in the English template")
    return problems


def check(folder: Path = LOCALE_DIR, template_path: Path = TEMPLATE) -> list[str]:
    """Every problem of every language in ``folder``."""
    template = _read(template_path)
    problems: list[str] = []
    languages = sorted(folder.glob(f"*/LC_MESSAGES/{PO}"))
    if not languages:
        return [f"{folder}: no catalogue"]
    for po in languages:
        problems += check_language(template, po)
    return problems


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else LOCALE_DIR
    problems = check(folder, folder / TEMPLATE.name if args else TEMPLATE)
    for line in problems:
        print(line)
    if not problems:
        print(f"catalogues: {len(list(folder.glob(f'*/LC_MESSAGES/{PO}')))} languages complete")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())

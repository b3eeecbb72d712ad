"""The unseen-layout fixtures (tests/fixtures/ua_unseen): each document in .txt, .docx and .pdf,
and a field-by-field score of what the importer reads from them.

Each ``<name>.txt`` (one paragraph a line, ``[[table]]`` blocks side by side in Word and in
the two-column PDFs of family C) has a ``<name>.json`` beside it: its layout family, the width
its .txt export is hard-wrapped at (0: one paragraph a line, as Word saves text), the
expected fields, and ``held_out`` for the documents written after the rules.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.ua_builders import build_docx, build_pdf, plain

UNSEEN = Path(__file__).resolve().parent / "fixtures" / "ua_unseen"
# Written to the failure kinds of issue 27, before the rules for them (docs/importing.md)
KINDS = Path(__file__).resolve().parent / "fixtures" / "ua_kinds"
FORMATS = ("txt", "docx", "pdf")
FIELDS = (
    "ua_number", "title", "country", "persons", "summary", "demands", "targets", "deadline",
    "issue_date",
)  # fmt: skip
TARGET_KEYS = ("name", "title", "salutation")
RUNNING_HEADER = "Amnesty International - Urgent Action Network"


@dataclass(frozen=True)
class Fixture:
    name: str
    family: str
    text: str
    wrap: int
    expect: dict[str, Any]
    held_out: bool = False  # written after the rules, measured before any change for it
    columns: bool = False  # the .pdf in two columns (family C always)
    kinds: tuple[str, ...] = ()  # the failure kinds it exercises (ua_kinds)


def fixtures(directory: Path = UNSEEN) -> list[Fixture]:
    out = []
    for path in sorted(directory.glob("*.json")):
        meta = json.loads(path.read_text("utf-8"))
        text = path.with_suffix(".txt").read_text("utf-8")
        out.append(
            Fixture(
                path.stem,
                meta["family"],
                text,
                meta["txt_wrap"],
                meta["expect"],
                meta.get("held_out", False),
                meta.get("columns", False),
                tuple(meta.get("kinds", ())),
            )
        )
    return out


def hard_wrapped(text: str, width: int) -> str:
    """Text as an old e-mail or a PDF-to-text tool gives it: long lines wrapped at ``width``,
    a blank line after each wrapped paragraph of prose."""
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        out += textwrap.wrap(line, width, break_on_hyphens=False)
        if line.rstrip().endswith((".", "!", "?", ";", '"')):
            out.append("")
    return "\n".join(out)


def document(fx: Fixture, fmt: str) -> bytes:
    """The fixture's bytes in one format."""
    if fmt == "txt":
        text = plain(fx.text)
        return (hard_wrapped(text, fx.wrap) if fx.wrap else text).encode("utf-8")
    if fmt == "docx":
        return build_docx(fx.text)
    two_columns = fx.family == "C" or fx.columns
    return build_pdf(
        fx.text,
        header=RUNNING_HEADER,
        footer="www.amnesty.org" if two_columns else "",
        columns=two_columns,
    ).data


def actual(json_out: dict[str, Any], field: str) -> Any:
    """One field of the import JSON, as the fixtures state it."""
    if field == "targets":
        return [{k: t[k] for k in TARGET_KEYS} for t in json_out["targets"]]
    return json_out[field]


def score(
    importer: Callable[[bytes, str], Any] | None = None, directory: Path = UNSEEN
) -> dict[tuple[str, str, str], bool]:
    """(document, format, field) -> read right, over every fixture."""
    if importer is None:
        from ua_bot.importer import import_bytes as importer
    out = {}
    for fx in fixtures(directory):
        for fmt in FORMATS:
            got = importer(document(fx, fmt), f"{fx.name}.{fmt}").to_json()
            for field in FIELDS:
                out[(fx.name, fmt, field)] = actual(got, field) == fx.expect[field]
    return out


def by_family(
    results: dict[tuple[str, str, str], bool], directory: Path = UNSEEN
) -> dict[tuple[str, str], tuple[int, int]]:
    """(family, format) -> (fields right, fields in all); family "all" sums them."""
    family = {fx.name: fx.family for fx in fixtures(directory)}
    table: dict[tuple[str, str], list[int]] = {}
    for (name, fmt, _), ok in results.items():
        for key in ((family[name], fmt), ("all", fmt)):
            cell = table.setdefault(key, [0, 0])
            cell[0] += ok
            cell[1] += 1
    return {k: (v[0], v[1]) for k, v in sorted(table.items())}

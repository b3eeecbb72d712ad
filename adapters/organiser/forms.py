"""The case form: every field of a case as HTML form fields, read back and validated.

Lists (people, demands, languages, a target's address lines, emails, phones...) are one
item per line, so an organiser adds, removes and reorders them by editing lines. Targets
are numbered blocks ``t1.name``...; a block with ``remove`` ticked is dropped, and the
empty block after the last one adds a target. Translations are blocks ``tr1.lang``,
``tr1.title``... the same way, with one salutation per target block (``tr1.s2`` for the
target in block ``t2``), so removing a target also removes its translated salutation. A
target block carries its target's key (``t2.key``, hidden): the store keeps salutations by it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import secrets
from collections.abc import Mapping
from typing import Any

from email_validator import EmailNotValidError, validate_email

from case_store.tables import cases as cases_table
from ua_bot.cases.edits import version
from ua_bot.drafting.phones import parse as parse_phone
from ua_bot.import_store import tie_news
from ua_bot.model import Case, CaseText, Target
from ua_bot.ua_number import try_normalise_ua

CASE_LINES = ("persons", "demands", "languages")
CASE_TEXT = ("title", "country", "summary", "additional_information")
TARGET_TEXT = ("name", "title", "organisation", "salutation")
TARGET_LINES = ("address", "emails", "phones", "faxes", "handles", "notes")
MAX_TARGETS = 30
MAX_TRANSLATIONS = 30
TRANSLATION_TEXT = ("title", "summary", "update", "outcome")
LANG_CODE = re.compile(r"[a-z]{2,3}")
MAX_FIELD = 20_000
# the case's text fields stored in a column of bounded length (country: 128): the schema's
# bound is the form's, so PostgreSQL never refuses a save that SQLite would have kept
SCHEMA_LENGTHS = {f: n for f in CASE_TEXT if (n := getattr(cases_table.c[f].type, "length", None))}

LABELS = {
    "ua_number": "UA number",
    "title": "Title",
    "persons": "People at risk (one a line)",
    "country": "Country",
    "summary": "Summary",
    "demands": "Demands (one a line, in order)",
    "deadline": "Deadline",
    "languages": "Languages (one a line)",
    "additional_information": "Additional information",
    "name": "Name",
    "organisation": "Organisation",
    "salutation": "Salutation",
    "address": "Address lines",
    "emails": "Emails (one a line)",
    "phones": "Phones (one a line, +country code)",
    "faxes": "Faxes (one a line, +country code)",
    "handles": "Social media handles",
    "notes": "Notes",
    "lang": "Language code (like es)",
    "update": "Latest update",
    "outcome": "Outcome",
}


def lines(text: str) -> list[str]:
    return [x.strip() for x in text.replace("\r", "").split("\n") if x.strip()]


def form_values(case: Case) -> dict[str, str]:
    """The form's fields filled from a case (one empty target block to add one)."""
    v: dict[str, str] = {"ua_number": case.ua_number, "deadline": "", "version": version(case)}
    if case.deadline:
        v["deadline"] = case.deadline.isoformat()
    for f in CASE_TEXT:
        v[f] = getattr(case, f)
    for f in CASE_LINES:
        v[f] = "\n".join(getattr(case, f))
    for i, t in enumerate([*case.targets, Target(name="")], 1):
        for f in TARGET_TEXT:
            v[f"t{i}.{f}"] = getattr(t, f)
        for f in TARGET_LINES:
            v[f"t{i}.{f}"] = "\n".join(getattr(t, f))
        v[f"t{i}.is_copy"] = "on" if t.is_copy else ""
        v[f"t{i}.key"] = t.key
    v["targets"] = str(len(case.targets) + 1)
    blocks = [*sorted(case.translations.items()), ("", CaseText())]
    for i, (lang, tr) in enumerate(blocks, 1):
        v[f"tr{i}.lang"] = lang
        for f in TRANSLATION_TEXT:
            v[f"tr{i}.{f}"] = getattr(tr, f)
        v[f"tr{i}.demands"] = "\n".join(tr.demands)
        v[f"tr{i}.persons"] = "\n".join(tr.persons)
        for j, s in enumerate(tr.salutations[: len(case.targets)], 1):
            v[f"tr{i}.s{j}"] = s
    v["translations"] = str(len(blocks))
    return v


def _get(form: Mapping[str, Any], key: str) -> str:
    value = form.get(key, "")
    return value[:MAX_FIELD] if isinstance(value, str) else ""


def _numbers(key: str, items: list[str], errors: dict[str, str]) -> None:
    bad = [x for x in items if parse_phone(x) is None]
    if bad:
        errors[key] = f"Not a phone number (write it with +country code): {bad[0]}"


def _count(form: Mapping[str, Any], key: str, most: int) -> int:
    try:
        return min(int(_get(form, key) or 0), most)
    except ValueError:
        return 0


def _target(form: Mapping[str, Any], i: int, errors: dict[str, str]) -> Target | None:
    p = f"t{i}."
    if _get(form, p + "remove"):
        return None
    values: dict[str, Any] = {f: _get(form, p + f).strip() for f in TARGET_TEXT}
    values |= {f: lines(_get(form, p + f)) for f in TARGET_LINES}
    values["is_copy"] = bool(_get(form, p + "is_copy"))
    # the target's identity, which its translated salutations and re-imports refer to
    values["key"] = _get(form, p + "key").strip()[:32] or secrets.token_hex(6)
    if not values["name"]:
        if any(values[f] for f in (*TARGET_TEXT, *TARGET_LINES) if f != "key"):
            errors[p + "name"] = "A target needs a name (or tick remove)."
        return None
    for e in values["emails"]:
        try:
            validate_email(e, check_deliverability=False)
        except EmailNotValidError:
            errors[p + "emails"] = f"Not an email address: {e}"
            break
    _numbers(p + "phones", values["phones"], errors)
    _numbers(p + "faxes", values["faxes"], errors)
    return Target(**values)


def read_case(form: Mapping[str, Any], old: Case) -> tuple[Case, dict[str, str]]:
    """The case as edited, and the errors by field name (empty: it may be saved; whether
    it is still the version the form was opened at is the save's own check)."""
    errors: dict[str, str] = {}
    ua = try_normalise_ua(_get(form, "ua_number"))
    if ua is None:
        errors["ua_number"] = "Not a UA number: write it like 253/17."
    edited: dict[str, Any] = {f: _get(form, f).strip() for f in CASE_TEXT}
    edited |= {f: lines(_get(form, f)) for f in CASE_LINES}
    if not edited["title"]:
        errors["title"] = "A case needs a title."
    for f, most in SCHEMA_LENGTHS.items():
        if len(edited[f]) > most:
            errors[f] = f"At most {most:,} characters (this is {len(edited[f]):,})."
    deadline = None
    raw = _get(form, "deadline").strip()
    if raw:
        try:
            deadline = dt.date.fromisoformat(raw)
        except ValueError:
            errors["deadline"] = "Not a date: write it as YYYY-MM-DD."
    found = [_target(form, i, errors) for i in range(1, _count(form, "targets", MAX_TARGETS) + 1)]
    kept = [i for i, t in enumerate(found, 1) if t is not None]
    case = dataclasses.replace(
        old,
        ua_number=ua or old.ua_number,
        deadline=deadline,
        targets=[t for t in found if t is not None],
        translations=_translations(form, old, kept, errors),
        **edited,
    )
    return case, errors


def _translations(
    form: Mapping[str, Any], old: Case, kept: list[int], errors: dict[str, str]
) -> dict[str, CaseText]:
    """The translation blocks as edited; ``kept`` numbers the target blocks that stay."""
    if "translations" not in form:  # a form from before translations: keep them
        return dict(old.translations)
    out: dict[str, CaseText] = {}
    for i in range(1, _count(form, "translations", MAX_TRANSLATIONS) + 1):
        p = f"tr{i}."
        lang = _get(form, p + "lang").strip()
        text = CaseText(
            title=_get(form, p + "title").strip(),
            summary=_get(form, p + "summary").strip(),
            demands=lines(_get(form, p + "demands")),
            salutations=[_get(form, f"{p}s{j}").strip() for j in kept],
            persons=lines(_get(form, p + "persons")),
            update=_get(form, p + "update").strip(),
            outcome=_get(form, p + "outcome").strip(),
        )
        written = text.title or text.summary or text.demands or any(text.salutations)
        written = written or text.persons or text.update or text.outcome
        if _get(form, p + "remove") or not (lang or written):
            continue
        if not LANG_CODE.fullmatch(lang):
            errors[p + "lang"] = "Not a language code: write two or three small letters, like es."
        elif lang == old.text_lang:
            errors[p + "lang"] = f"The case itself is in {lang}: choose another language."
        elif lang in out:
            errors[p + "lang"] = f"There is a translation into {lang} already: edit that one."
        elif not written:
            errors[p + "title"] = "Write the translated title, summary, demands or a salutation."
        else:
            while text.salutations and not text.salutations[-1]:
                text.salutations.pop()
            before = old.translations.get(lang)
            if p + "persons" not in form:  # a form from before that field: keep them
                text.persons = list(before.persons) if before else []
            out[lang] = _tie_news(text, before, old)
    return out


def _tie_news(text: CaseText, before: CaseText | None, old: Case) -> CaseText:
    """The translated update and outcome beside the words they translate: as before when
    unchanged, else the case's current update and outcome."""
    now = tie_news(text, old)
    if before is not None and before.update == text.update:
        now.update_source = before.update_source
    if before is not None and before.outcome == text.outcome:
        now.outcome_source = before.outcome_source
    return now


"""The revision diff and its application, and translation sources, without a store: taking
every field gives the document's case; taking some changes only those; a translated demand
follows its English demand and goes out of date with it."""

from __future__ import annotations

import dataclasses
import datetime as dt

from tests.conftest import make_case
from ua_bot.case_texts import localise, untranslated
from ua_bot.cases.revisions import ORDER, apply, changes, match_targets
from ua_bot.cases.translations import outdated, sources_of
from ua_bot.model import Case, CaseText, Target


def keyed(case: Case) -> Case:
    targets = [dataclasses.replace(t, key=f"k{i}") for i, t in enumerate(case.targets)]
    return dataclasses.replace(case, targets=targets)


def content(case: Case) -> dict:
    return {**case.to_json(), "targets": [t.to_json() for t in case.targets]}


def test_taking_every_field_gives_the_documents_case():
    case = keyed(make_case())
    doc = make_case(
        summary="New summary.",
        demands=["Only one demand now"],
        deadline=dt.date(2018, 2, 1),
    )
    doc.targets = [
        Target(name="Wang Yi", emails=["wang@example.org"]),
        dataclasses.replace(doc.targets[0], salutation="Your Excellency"),
    ]  # Cui Tiankai removed, Wang Yi added first, Xi Jinping second
    proposed = match_targets(case, doc)
    assert proposed.targets[1].key == "k0"  # Xi Jinping keeps his key
    found = changes(case, proposed)
    fields = {c.field for c in found}
    assert {"summary", "demand 1", "demand 2", "demand 3", "deadline"} <= fields
    assert "target k0 salutation" in fields and "target k1" in fields
    assert content(apply(case, proposed, fields)) == content(proposed)
    assert changes(apply(case, proposed, fields), proposed) == []


def test_a_reorder_is_one_field():
    case = keyed(make_case())
    proposed = match_targets(case, dataclasses.replace(case, targets=case.targets[::-1]))
    assert [c.field for c in changes(case, proposed)] == [ORDER]
    assert [t.name for t in apply(case, proposed, {ORDER}).targets] == [
        "Cui Tiankai", "Xi Jinping",
    ]  # fmt: skip


def test_taking_some_fields_changes_only_those():
    case = keyed(make_case())
    doc = make_case(summary="New summary.", demands=[*case.demands, "A fourth demand"])
    doc.targets[1].emails = ["new@example.org"]
    proposed = match_targets(case, doc)
    after = apply(case, proposed, {"demand 4"})
    assert after.demands == [*case.demands, "A fourth demand"]
    assert after.summary == case.summary and after.targets[1].emails == case.targets[1].emails
    hand = {c.field: c.hand for c in changes(case, proposed, {"summary"})}
    assert hand == {"summary": True, "demand 4": False, "target k1 emails": False}


def test_a_translated_demand_follows_its_english_and_goes_out_of_date_with_it():
    case = keyed(make_case())
    es = CaseText(demands=["Uno", "Dos", "Tres"], sources=sources_of(case))
    case.translations = {"es": es}
    reordered = dataclasses.replace(case, demands=list(reversed(case.demands)))
    assert localise(reordered, "es").demands == ["Tres", "Dos", "Uno"]
    assert outdated(reordered, "es") == [] and not untranslated(reordered, "es")
    edited = dataclasses.replace(case, demands=[*case.demands[:2], "Ensure a lawyer"])
    assert outdated(edited, "es") == ["demands"] and untranslated(edited, "es")
    assert localise(edited, "es").demands == edited.demands  # English until updated
    legacy = dataclasses.replace(case, translations={"es": CaseText(demands=["Uno"])})
    assert outdated(legacy, "es") == [] and localise(legacy, "es").demands == ["Uno"]

"""Edits of a case: atomic against a concurrent edit, text normalised as forms send it,
targets compared by identity in the change log."""

from __future__ import annotations

import asyncio
import dataclasses
import json

from case_store import Store
from tests.conftest import ORGANISER, make_case
from tests.organiser_kit import edit_form, signed_in_on_case
from ua_bot.cases import Who
from ua_bot.cases.edits import Stale, save_edit, version
from ua_bot.model import CaseStatus, Target

ROUNDS = 5


async def _rows(store, case_id: int) -> list[tuple[str, str, str]]:
    async with store.unit() as tx:
        return [(r.field, r.before, r.after) for r in await tx.case_changes_of(case_id)]


async def test_two_simultaneous_saves_of_one_form_version_one_wins(settings, store, core):
    """Through the real HTTP endpoint, both requests in flight at once: exactly one is
    stored; the other is told, and its page keeps what that organiser typed."""
    async with signed_in_on_case(settings, store, core, CaseStatus.DRAFT) as (http, case):
        url = f"/organiser/cases/{case.id}/edit"
        for n in range(ROUNDS):
            form = await edit_form(http, case.id)
            a, b = await asyncio.gather(
                http.post(url, data={**form, "title": f"Ann's title {n}"}),
                http.post(url, data={**form, "title": f"Bob's title {n}"}),
            )
            assert sorted([a.status_code, b.status_code]) == [303, 409], n
            loser, lost = (b, "Bob") if a.status_code == 303 else (a, "Ann")
            assert "Someone changed this case" in loser.text
            assert f"{lost}&#39;s title {n}" in loser.text  # what they typed is still there
            async with store.unit() as tx:
                title = (await tx.get_case(case_id=case.id)).title
            assert title != f"{lost}'s title {n}"
    titles = [r for r in await _rows(store, case.id) if r[0] == "title"]
    assert len(titles) == ROUNDS


async def test_two_processes_saving_one_version_one_wins(db_url, core, sample):
    """Two stores (two processes' connection pools) on one database save the same version
    at once: the version is checked in the UPDATE itself."""
    stores = [Store.from_url(db_url) for _ in range(2)]
    who = Who(core.hasher.supporter(ORGANISER))
    try:
        for n in range(ROUNDS):
            async with stores[0].unit() as tx:
                case = await tx.get_case(case_id=sample.id)
            seen = version(case)

            results = await asyncio.gather(
                *(
                    save_edit(
                        _On(core, stores[i]), who, case.id, seen,
                        dataclasses.replace(case, title=f"title {n}.{i}"),
                    )
                    for i in range(2)
                ),
                return_exceptions=True,
            )  # fmt: skip
            stale = [r for r in results if isinstance(r, Stale)]
            saved = [r for r in results if not isinstance(r, BaseException)]
            assert len(stale) == 1 and len(saved) == 1, results
    finally:
        for s in stores:
            await s.close()


class _On:
    """The core's services on another store: another process's view of the database."""

    def __init__(self, core, store: Store) -> None:
        self.store, self.settings, self.hasher, self.cases = (
            store, core.settings, core.hasher, core.cases,
        )  # fmt: skip
        self.now = core.now


async def test_a_save_of_an_unchanged_form_changes_nothing(settings, store, core):
    """Browsers send text areas with \\r\\n line ends; typing stray trailing spaces is no
    change either."""
    summary = "Lee Su-jung was detained.\n\nHer son is with her."
    async with signed_in_on_case(settings, store, core, CaseStatus.DRAFT) as (http, case):
        async with store.unit() as tx:
            await tx.save_case(dataclasses.replace(case, summary=summary))
        form = await edit_form(http, case.id)
        sent = {k: v.replace("\n", "\r\n") for k, v in form.items()}
        sent["summary"] = sent["summary"].replace("detained.", "detained.   ")
        r = await http.post(f"/organiser/cases/{case.id}/edit", data=sent)
        assert r.status_code == 303 and r.headers["location"].endswith("saved=0")
        assert await _rows(store, case.id) == []
        sent["summary"] = sent["summary"].replace("with her", "with her in Shenyang")
        r = await http.post(f"/organiser/cases/{case.id}/edit", data=sent)
        assert r.status_code == 303 and r.headers["location"].endswith("saved=1")
    async with store.unit() as tx:
        after = await tx.get_case(case_id=case.id)
    assert after.summary == "Lee Su-jung was detained.\n\nHer son is with her in Shenyang."
    assert await _rows(store, case.id) == [
        ("summary", summary, "Lee Su-jung was detained.\n\nHer son is with her in Shenyang.")
    ]


async def test_removing_target_2_of_3_is_one_removal_in_the_change_log(settings, store, core):
    third = Target(name="Wang Yi", title="Minister", emails=["wang@mfa.example.cn"])
    async with signed_in_on_case(settings, store, core, CaseStatus.DRAFT) as (http, case):
        async with store.unit() as tx:
            case = await tx.save_case(dataclasses.replace(case, targets=[*case.targets, third]))
        removed = case.targets[1]
        form = await edit_form(http, case.id)
        r = await http.post(f"/organiser/cases/{case.id}/edit", data={**form, "t2.remove": "on"})
        assert r.status_code == 303 and r.headers["location"].endswith("saved=1")
    async with store.unit() as tx:
        after = await tx.get_case(case_id=case.id)
    assert [t.name for t in after.targets] == ["Xi Jinping", "Wang Yi"]
    assert await _rows(store, case.id) == [
        ("target 2", json.dumps(removed.to_json(), ensure_ascii=False), "")
    ]


async def test_a_stale_form_is_refused_by_the_use_case_whatever_the_door(store, core):
    case = make_case()
    async with store.unit() as tx:
        case = await tx.save_case(case)
    who = Who(core.hasher.supporter(ORGANISER))
    seen = version(case)
    await save_edit(core, who, case.id, seen, dataclasses.replace(case, title="First"))
    try:
        await save_edit(core, who, case.id, seen, dataclasses.replace(case, title="Second"))
    except Stale:
        pass
    else:
        raise AssertionError("a save from an older version was stored")
    async with store.unit() as tx:
        assert (await tx.get_case(case_id=case.id)).title == "First"

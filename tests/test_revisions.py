"""A re-import of a published case is a pending revision: nothing changes until an organiser
accepts it (in chat, on the pages, with ``ua-bot import``), a salutation corrected by hand is
kept, and what is accepted reaches /case, /targets and /letter. Translations follow their
target and fall back to English (said once) when their English changes."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from sqlalchemy import text

from tests.chat import TestChat
from tests.conftest import ORGANISER
from tests.organiser_kit import edit_form, served, sign_in
from tests.revision_kit import (
    CORRECTED,
    NEW_DEMAND,
    NEW_EMAIL,
    SPANISH_AMBASSADOR,
    changed_text,
    sample_text,
    swapped_text,
    write,
)
from ua_bot.app import App
from ua_bot.cases import revisions

UA = "253/17"


async def _published_with_a_hand_correction(settings, store, core, tmp_path: Path) -> TestChat:
    """The sample imported in chat, target 1's salutation corrected on the pages (over real
    HTTP), then published."""
    org = TestChat(core, user=ORGANISER)
    assert "as a draft" in await org.say(f"/import {write(tmp_path / 'ua.txt', sample_text())}")
    app = App(settings, store, core)
    async with served(app) as http:
        await sign_in(app, http)
        case = await core.cases.get(UA)
        form = await edit_form(http, case.id)
        form["t1.salutation"] = CORRECTED
        r = await http.post(f"/organiser/cases/{case.id}/edit", data=form)
        assert r.status_code == 303
    assert "is published" in await org.say(f"/publish {UA}")
    return org


async def _changes_log(store) -> dict[str, tuple[str, str]]:
    async with store.unit() as tx:
        rows = await tx.recent_case_changes(100)
    return {r.field: (r.before, r.after) for r in rows}


async def test_a_reimport_in_chat_waits_keeps_the_hand_correction_and_is_accepted(
    settings, store, core, tmp_path
):
    org = await _published_with_a_hand_correction(settings, store, core, tmp_path)
    ana = TestChat(core, user="console:ana")
    before = (await ana.say(f"/case {UA}"), await ana.say(f"/targets {UA}"))

    reply = await org.say(f"/import {write(tmp_path / 'again.txt', changed_text())}")
    assert "nothing is changed yet" in reply
    assert "Summary" in reply and "aged 5" in reply
    assert "Demand 4" in reply and NEW_DEMAND.rstrip(".") in reply
    assert "Target 2 (Cui Tiankai): email" in reply and NEW_EMAIL in reply
    # the corrected salutation: both values, and kept unless taken by number
    assert "Target 1 (Xi Jinping): salutation" in reply
    assert f"now: {CORRECTED}" in reply and "document: Dear President" in reply
    assert "You corrected this by hand" in reply
    assert [b.label for r in org.replies for b in r.buttons] == [
        "Accept all", "Review on the pages", "Discard",
    ]  # fmt: skip
    assert (await ana.say(f"/case {UA}"), await ana.say(f"/targets {UA}")) == before

    taken = await org.press("Accept all")
    assert "field(s) taken" in taken and "still wait" in taken
    assert "aged 5" in await ana.say(f"/case {UA}")
    targets = await ana.say(f"/targets {UA}")
    assert NEW_EMAIL in targets and CORRECTED in targets
    letter = await ana.say(f"/letter {UA} 1")
    assert f"{CORRECTED}," in letter and NEW_DEMAND.rstrip(".") in letter
    log = await _changes_log(store)
    assert log["revision: Summary"][1].count("aged 5") == 1
    assert log["revision: Target 2 (Cui Tiankai): email"][1].startswith(NEW_EMAIL)
    assert "revision: Target 1 (Xi Jinping): salutation" not in log

    left = await org.say(f"/revision {UA}")
    assert "1. *Target 1" not in left and "Target 1 (Xi Jinping): salutation" in left
    assert "1 field(s) taken" in await org.say(f"/revision {UA} accept 1")
    assert "Dear President," in await ana.say(f"/letter {UA} 1")
    log = await _changes_log(store)
    assert log["revision: Target 1 (Xi Jinping): salutation"] == (CORRECTED, "Dear President")
    assert "no re-imported document waiting" in await org.say(f"/revision {UA}")


async def test_a_revision_can_be_discarded_and_bad_numbers_are_refused(core, tmp_path):
    org = TestChat(core, user=ORGANISER)
    await org.say(f"/import {write(tmp_path / 'ua.txt', sample_text())}")
    await org.say(f"/import {write(tmp_path / 'again.txt', changed_text())}")
    assert "no field 99" in await org.say(f"/revision {UA} accept 99")
    assert "is discarded" in await org.press("Discard")
    assert NEW_EMAIL not in await org.say(f"/targets {UA}")
    assert "no re-imported document waiting" in await org.say(f"/revision {UA} accept")
    assert "for organisers only" in await TestChat(core, user="console:x").say(f"/revision {UA}")
    same = await org.say(f"/import {write(tmp_path / 'same.txt', sample_text())}")
    assert "changes nothing in UA 253/17" in same and not org.replies[0].buttons


async def test_a_spanish_salutation_follows_its_official_and_goes_out_of_date(
    settings, store, core, tmp_path
):
    org = TestChat(core, user=ORGANISER)
    await org.say(f"/import {write(tmp_path / 'ua.txt', sample_text())}")
    await org.say(f"/publish {UA}")
    app = App(settings, store, core)
    async with served(app) as http:
        await sign_in(app, http)
        case = await core.cases.get(UA)
        form = await edit_form(http, case.id)
        form["tr1.lang"] = "es"
        form["tr1.s2"] = SPANISH_AMBASSADOR  # target 2: the ambassador
        assert (await http.post(f"/organiser/cases/{case.id}/edit", data=form)).status_code == 303

        reply = await org.say(f"/import {write(tmp_path / 'swapped.txt', swapped_text())}")
        assert "Order of the targets" in reply
        assert "field(s) taken" in await org.press("Accept all")
        ana = TestChat(core, user="console:ana")
        await ana.say("/lang es")
        assert (await ana.say(f"/targets {UA}")).index("Cui Tiankai") < (
            await ana.say(f"/targets {UA}")
        ).index("Xi Jinping")
        assert f"{SPANISH_AMBASSADOR}:" in await ana.say(f"/letter {UA} 1")
        assert SPANISH_AMBASSADOR not in await ana.say(f"/letter {UA} 2")
        edit = (await http.get(f"/organiser/cases/{case.id}/edit")).text
        assert 'id="outdated-es"' not in edit

        # The English salutation the Spanish one was made from changes: out of date.
        text = swapped_text().replace("Salutation: Dear Ambassador", "Salutation: Dear Sir")
        await org.say(f"/import {write(tmp_path / 'sir.txt', text)}")
        assert "field(s) taken" in await org.press("Accept all")
        bea = TestChat(core, user="console:bea")
        await bea.say("/lang es")
        first = await bea.say(f"/letter {UA} 1")
        assert SPANISH_AMBASSADOR not in first and "Carta para Cui Tiankai" in first
        assert "El texto de este caso está en inglés" in first  # English, said once
        assert "El texto de este caso está en inglés" not in await bea.say(f"/case {UA}")
        edit = (await http.get(f"/organiser/cases/{case.id}/edit")).text
        assert 'id="outdated-es"' in edit and "salutation of target 1 (Cui Tiankai)" in edit

        # Translating another part does not make the old salutation current.
        form = await edit_form(http, case.id)
        form["tr1.title"] = "MADRE E HIJO EN PELIGRO"
        assert (await http.post(f"/organiser/cases/{case.id}/edit", data=form)).status_code == 303
        edit = (await http.get(f"/organiser/cases/{case.id}/edit")).text
        assert "salutation of target 1 (Cui Tiankai)" in edit
        assert SPANISH_AMBASSADOR not in await bea.say(f"/letter {UA} 1")

        # The organiser says the Spanish is still right: it is used again.
        form = await edit_form(http, case.id)
        form["tr1.current"] = "on"
        assert (await http.post(f"/organiser/cases/{case.id}/edit", data=form)).status_code == 303
    assert f"{SPANISH_AMBASSADOR}:" in await bea.say(f"/letter {UA} 1")


async def _cli(db_url: str, *args: str) -> tuple[int, str, str]:
    env = {**os.environ, "DATABASE_URL": db_url, "UA_BOT_SECRET": "test-secret-0123456789abcdef"}
    env.pop("UA_BOT_SECRET_FILE", None)
    p = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "adapters", *args, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await p.communicate()
    return p.returncode, out.decode(), err.decode()


async def test_ua_bot_import_prints_the_diff_and_takes_it_with_accept(
    settings, store, core, db_url, tmp_path
):
    await _published_with_a_hand_correction(settings, store, core, tmp_path)
    doc = write(tmp_path / "again.txt", changed_text())
    ana = TestChat(core, user="console:ana")
    before = await ana.say(f"/targets {UA}")

    code, out, err = await _cli(db_url, "import", str(doc))
    assert code == 0, err
    assert "would change UA 253/17" in out and NEW_EMAIL in out
    assert f"now: {CORRECTED}" in out and "You corrected this by hand" in out
    assert "is unchanged" in out and "--accept" in out
    core.cases.invalidate()
    assert await ana.say(f"/targets {UA}") == before

    code, out, err = await _cli(db_url, "import", str(doc), "--accept")
    assert code == 0, err
    assert "field(s) taken" in out
    core.cases.invalidate()
    targets = await ana.say(f"/targets {UA}")
    assert NEW_EMAIL in targets and CORRECTED in targets
    assert "aged 5" in await ana.say(f"/case {UA}")
    assert NEW_DEMAND.rstrip(".") in await ana.say(f"/letter {UA} 1")
    log = await _changes_log(store)
    assert "revision: Summary" in log
    async with store.unit() as tx:
        rows = await tx.audit_entries(100)
    case = await core.cases.get(UA)
    rev = await revisions.pending(store, case.id)
    assert rev is not None and [c.hand for c in rev.changes] == [True]  # only the correction
    assert rows  # the chat commands before were audited

    code, out, err = await _cli(db_url, "import", str(doc), "--accept", "7")
    assert code == 2 and "no field 7" in err and "Traceback" not in err


async def test_two_simultaneous_accepts_take_each_field_once(core, store, tmp_path):
    org = TestChat(core, user=ORGANISER)
    await org.say(f"/import {write(tmp_path / 'ua.txt', sample_text())}")
    await org.say(f"/import {write(tmp_path / 'again.txt', changed_text())}")
    case = await core.cases.get(UA)

    async def accept() -> int:
        try:
            return len((await revisions.accept(store, case.id, "a", None))[1])
        except revisions.NoRevision:
            return 0

    for _ in range(3):
        async with store.unit() as tx:  # the log from here on: the two accepts' rows only
            await tx.conn.execute(text("DELETE FROM case_changes"))
        taken = await asyncio.gather(accept(), accept())
        assert sorted(taken)[0] == 0 and sorted(taken)[1] > 0
        log = await _changes_log_rows(store)
        assert len(log) == len(set(log)) == max(taken)
        await org.say(f"/import {write(tmp_path / 'ua.txt', sample_text())}")
        await org.press("Accept all")
        await org.say(f"/import {write(tmp_path / 'again.txt', changed_text())}")


async def _changes_log_rows(store) -> list[str]:
    """The fields the change log says a revision took (a first import logs its own row)."""
    async with store.unit() as tx:
        rows = await tx.recent_case_changes(100)
    return [r.field for r in rows if r.field.startswith("revision")]

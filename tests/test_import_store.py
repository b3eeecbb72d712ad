"""Importing into the store: drafts, publishing, re-imports, updates, broken files.

The parser itself is tested in tests/test_import_*.py; these tests are about what an
organiser sees and what the database holds afterwards.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from case_store.tables import case_updates, cases, targets
from tests.chat import TestChat
from tests.conftest import ORGANISER
from ua_bot.messages import Incoming, Kind

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "ua_bot" / "samples" / "ua_253_17.txt"
SHARED = ROOT.parent / "shared" / "ua_samples" / "ua_253_17.txt"
FIX = ROOT / "tests" / "fixtures" / "ua"


async def n_rows(store, table) -> int:
    async with store.unit() as tx:
        return (await tx.conn.execute(select(func.count()).select_from(table))).scalar_one()


def test_cli_import_json_field_by_field():
    path = SHARED if SHARED.exists() else SAMPLE
    r = subprocess.run(
        [sys.executable, "-m", "adapters", "import", str(path), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["ua_number"] == "253/17"
    assert d["title"] == "MOTHER AND CHILD AT RISK OF FORCIBLE RETURN"
    assert "Lee Su-jung" in d["persons"]
    assert d["country"] == "China"
    assert d["summary"].startswith("Lee Su-jung (name being used in China, aged 24)")
    assert d["summary"].endswith("possibly execution.")
    assert [x[:20] for x in d["demands"]] == [
        "Stop the forced retu",
        "Grant refugee status",
        "Ensure Lee Su-jung, ",
    ]
    xi, cui = d["targets"]
    assert (xi["name"], xi["title"], xi["organisation"]) == (
        "Xi Jinping",
        "President",
        "The State Council General Office",
    )
    assert xi["address"] == [
        "2 Fuyoujie",
        "Xichengqu, Beijing Shi 100017",
        "People's Republic of China",
    ]
    assert xi["faxes"] == ["+861062381025"] and xi["emails"] == ["gov@govonline.cn"]
    assert xi["phones"] == [] and xi["salutation"] == "Dear President"
    assert (cui["name"], cui["title"]) == ("Cui Tiankai", "Ambassador")
    assert cui["organisation"] == "Embassy of the People's Republic of China"
    assert cui["address"] == ["3505 International Place NW, Washington DC 20008"]
    assert cui["phones"] == ["+12024952266"] and cui["faxes"] == ["+12024952138"]
    assert cui["emails"] == ["chinaembpress_us@mfa.gov.cn", "chineseembassyspokesperson@gmail.com"]
    assert cui["salutation"] == "Dear Ambassador"
    assert cui["notes"] == ["If you receive an error message, please try calling instead!"]
    assert d["deadline"] == "2017-12-27"
    assert d["additional_information"].startswith("In February 2014 the UN Commission")
    assert "Name: Group" not in d["additional_information"]
    sources = d["report"]["sources"]  # where each field came from (line numbers from 1)
    assert set(d["report"]) >= {"missing", "checks", "warnings", "sources"}
    assert sources["title"] and sources["targets.1"] and sources["deadline"]
    lines = path.read_text(encoding="utf-8").split("\n")
    assert "Contact these two officials by 27 December, 2017" in lines[sources["deadline"][0] - 1]


async def test_import_in_chat_draft_preview_then_publish(core, store):
    org = TestChat(core, user=ORGANISER)
    text = await org.say(f"/import {SAMPLE}")
    assert "Imported UA 253/17 as a draft" in text
    assert "Draft: supporters cannot see this case" in text  # the preview
    assert "Not found" in text or "found" in text.lower()  # the validation report
    supporter = TestChat(core, user="console:sue")
    assert "no open case" in await supporter.say("/case")
    await org.press("Publish")
    assert "MOTHER AND CHILD" in await supporter.say("/case")


async def test_chat_report_names_the_lines_of_each_check(core, store):
    org = TestChat(core, user=ORGANISER)
    text = await org.say(f"/import {SAMPLE}")
    assert "check: Target 2 (Cui Tiankai): salutation 'Dear Ambassador' matched by its role " in (
        text
    )
    assert "(lines 23-28)" in text


async def test_a_ua_with_people_but_no_demands_or_officials_is_stored_as_a_draft(
    core, store, tmp_path
):
    """Issue 27: never an empty case for a UA; the organiser completes the draft."""
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    start = next(n for n, line in enumerate(lines) if line.startswith("1) TAKE ACTION"))
    end = next(n for n, line in enumerate(lines) if line.startswith("2) LET US KNOW"))
    partial = tmp_path / "partial.txt"
    partial.write_text("\n".join(lines[:start] + lines[end:]), encoding="utf-8")
    org = TestChat(core, user=ORGANISER)
    text = await org.say(f"/import {partial}")
    assert "Imported UA 253/17 as a draft" in text
    assert "missing: demands, targets" in text
    assert await n_rows(store, cases) == 1


async def test_an_uploaded_file_is_imported(core, store):
    inc = Incoming(
        Kind.FILE, "console:o", ORGANISER, file_name="ua.txt", file_data=SAMPLE.read_bytes()
    )
    replies = await core.handle(inc)
    assert "Imported UA 253/17 as a draft" in replies[0].markup
    assert await n_rows(store, cases) == 1
    refused = await core.handle(
        Incoming(Kind.FILE, "console:s", "console:sue", file_name="ua.txt", file_data=b"x")
    )
    assert "for organisers only" in refused[0].markup


async def test_reimport_updates_rather_than_duplicates(core, store, tmp_path):
    org = TestChat(core, user=ORGANISER)
    await org.say(f"/import {SAMPLE}")
    await org.say("/publish 253/17")
    changed = tmp_path / "again.txt"
    changed.write_text(SAMPLE.read_text().replace("Dear Ambassador", "Dear Mr Ambassador"))
    assert "nothing is changed yet" in await org.say(f"/import {changed}")
    assert await n_rows(store, cases) == 1 and await n_rows(store, targets) == 2
    assert "Dear Mr Ambassador" not in await org.say("/targets 253/17")
    assert "1 field(s) taken" in await org.press("Accept all")
    assert "Dear Mr Ambassador" in await org.say("/targets 253/17")
    assert "MOTHER AND CHILD" in await TestChat(core, user="console:x").say("/case"), (
        "a re-import keeps the case published"
    )


async def test_an_update_attaches_to_its_case(core, store):
    org = TestChat(core, user=ORGANISER)
    await org.say(f"/import {FIX / 'c_further_2013.txt'}")  # update of an unknown UA
    assert await n_rows(store, cases) == 1
    text = await org.say(f"/import {FIX / 'c_further_2013.txt'}")
    assert "update of UA 93/13" in text
    assert await n_rows(store, case_updates) == 1
    assert await n_rows(store, cases) == 1


async def test_an_update_of_an_unknown_case_is_a_draft_with_a_warning(core, store):
    org = TestChat(core, user=ORGANISER)
    text = await org.say(f"/import {FIX / 'c_further_2013.txt'}")
    assert "which I do not know" in text and "draft" in text
    assert await n_rows(store, case_updates) == 0


async def test_broken_files_get_one_line_and_store_nothing(core, store, tmp_path):
    org = TestChat(core, user=ORGANISER)
    inputs = {
        "empty.txt": b"",
        "garbage.bin": os.urandom(4096),
        "fake.docx": b"PK\x03\x04" + os.urandom(2000),
        "notext.pdf": b"%PDF-1.4\n%%EOF\n",
        "nodemands.txt": b"URGENT ACTION\nA TITLE\nSome text.\n",
    }
    for name, data in inputs.items():
        replies = await core.handle(
            Incoming(Kind.FILE, "console:o", ORGANISER, file_name=name, file_data=data)
        )
        text = replies[0].markup
        assert "Not imported" in text, (name, text)
        assert "something went wrong" not in text
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * (30 * 1024 * 1024))
    text = await org.say(f"/import {big}")
    assert "Not imported" in text or "too large" in text
    assert await n_rows(store, cases) == 0 and await n_rows(store, targets) == 0

"""One application layer for every change to a case: the same change through the chat, the
organiser pages (real HTTP) and the command line makes the same change-log rows."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from tests.chat import TestChat
from tests.conftest import ORGANISER, SECRET, add_case, make_case
from tests.organiser_kit import csrf, served, sign_in
from ua_bot.app import App, sample_path

ROOT = Path(__file__).resolve().parent.parent


def _document(tmp_path: Path, ua: str, door: str) -> Path:
    """The sample UA renumbered (``901.26``), as ``ua.txt`` in its own folder."""
    folder = tmp_path / door
    folder.mkdir()
    path = folder / "ua.txt"
    path.write_text(sample_path().read_text(encoding="utf-8").replace("253.17", ua), "utf-8")
    return path


async def _rows(store, ua: str) -> list[tuple[str, str, str, str]]:
    """The case's change log: (who, field, before, after), oldest first."""
    async with store.unit() as tx:
        case = await tx.get_case(ua=ua)
        assert case is not None, ua
        rows = await tx.case_changes_of(case.id)
    return [(r.actor, r.field, r.before, r.after) for r in rows]


async def _cli(db_url: str, *args: str) -> str:
    import os

    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "UA_BOT_SECRET": SECRET.decode(),
        "UA_BOT_ORGANISERS": ORGANISER,
        "PYTHONPATH": str(ROOT),
    }
    env.pop("UA_BOT_SECRET_FILE", None)
    p = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "adapters", *args, env=env, cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await p.communicate()
    assert p.returncode == 0, err.decode()
    assert b"Traceback" not in out + err
    return out.decode()


async def test_import_and_publish_make_the_same_change_log_through_every_door(
    settings, store, core, db_url, tmp_path
):
    actor = core.hasher.supporter(ORGANISER)
    expected = [(actor, "import", "", "ua.txt"), (actor, "status", "draft", "published")]

    # the command line: `ua-bot import --publish`
    out = await _cli(db_url, "import", str(_document(tmp_path, "901.26", "cli")), "--publish",
                     "--user", ORGANISER)  # fmt: skip
    assert "UA 901/26 imported and published" in out
    assert await _rows(store, "901/26") == expected

    # the console chat: /import PATH, then /publish
    chat = TestChat(core, user=ORGANISER)
    assert "as a draft" in await chat.say(f"/import {_document(tmp_path, '902.26', 'chat')}")
    assert "is published" in await chat.say("/publish 902/26")
    assert await _rows(store, "902/26") == expected

    # the organiser pages: upload, then the Publish button
    app = App(settings, store, core)
    async with served(app) as http:
        await sign_in(app, http)
        token = csrf((await http.get("/organiser/")).text)
        doc = _document(tmp_path, "903.26", "pages").read_bytes()
        r = await http.post(
            "/organiser/upload", data={"csrf": token}, files={"document": ("ua.txt", doc)}
        )
        assert r.status_code == 303
        async with store.unit() as tx:
            case = await tx.get_case(ua="903/26")
        page = f"/organiser/cases/{case.id}"
        r = await http.post(page, data={"csrf": csrf((await http.get(page)).text), "do": "publish"})
        assert "is published" in r.text
    assert await _rows(store, "903/26") == expected


async def test_close_and_reopen_log_the_same_rows_from_chat_and_pages(settings, store, core):
    actor = core.hasher.supporter(ORGANISER)
    by_chat = await add_case(store, make_case("1/26"))
    by_page = await add_case(store, make_case("2/26"))
    chat = TestChat(core, user=ORGANISER)
    await chat.say("/close 1/26 released")
    await chat.say("/reopen 1/26")
    app = App(settings, store, core)
    async with served(app) as http:
        await sign_in(app, http)
        page = f"/organiser/cases/{by_page.id}"
        for data in ({"do": "close", "outcome": "released"}, {"do": "reopen"}):
            token = csrf((await http.get(page)).text)
            assert (await http.post(page, data={"csrf": token, **data})).status_code == 200
    expected = [
        (actor, "status", "published", "closed"),
        (actor, "outcome", "", "released"),
        (actor, "status", "closed", "published"),
        (actor, "outcome", "released", ""),
    ]
    assert await _rows(store, by_chat.ua_number) == expected
    assert await _rows(store, by_page.ua_number) == expected


async def test_a_csv_download_on_the_pages_audits_as_the_chat_export(settings, store, core):
    case = await add_case(store, make_case())
    await TestChat(core, user=ORGANISER).say("/export 253/17")
    app = App(settings, store, core)
    async with served(app) as http:
        await sign_in(app, http)
        r = await http.get(f"/organiser/cases/{case.id}/export.csv")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    async with store.unit() as tx:
        rows = [(e.actor, e.command, e.args) for e in await tx.audit_entries(10)]
    exports = [r for r in rows if r[1] == "export"]
    assert len(exports) == 2 and exports[0] == exports[1], rows

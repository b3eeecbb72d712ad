"""Uploads that are small on the wire and huge inside (issues 25 and 26): each is refused in
one line by a bound counted while reading, in a reader process killed at the time limit,
while the web process keeps answering /healthz; through the pages and the Telegram webhook."""

from __future__ import annotations

import asyncio
import os
import time
from html import unescape

import httpx
import pytest

from tests import bombs
from tests.fakes.telegram_api import private_chat, user
from tests.organiser_kit import csrf, served, sign_in
from tests.test_telegram_webhook import post, webhook_app
from ua_bot.app import App
from ua_bot.importer import limits
from ua_bot.importer.isolated import reader_pids

ORG = "telegram:77"


def _comments(size: int) -> bytes:
    """Page content that is ``size`` bytes of comments: cheap to parse, large to count."""
    line = b"%" + b"c" * 1000 + b"\n"
    return line * (size // len(line))


# The documents; each bound alone refuses one of them (removing it changes the answer)
DOCUMENTS = {
    "million empty paragraphs": (
        "ua.docx",
        lambda: bombs.empty_paragraphs(1_000_000),
        "The document has over 5,000 paragraphs",
    ),
    "a 16 MB page": (
        "ua.pdf",
        lambda: bombs.zero_tokens(16 * 2**20),
        "A page of the PDF unpacks to over 0.5 MB",
    ),
    "a 300 MB zero stream": (
        "ua.pdf",
        lambda: bombs.zero_stream(300 * 2**20),
        "A page of the PDF unpacks to over 0.5 MB",
    ),
    "pages each under the page bound, over the total": (
        "ua.pdf",
        lambda: bombs.pdf([_comments(500 * 1024)] * 5),
        "The PDF's pages unpack to over 2 MB",
    ),
    "41 pages": ("ua.pdf", lambda: bombs.text_pages(41), "The document has 41 pages"),
    "10,000 short lines": (
        "ua.txt",
        lambda: b"\n".join([b"a"] * 10_000),
        "The document has 10,000 lines",
    ),
    "runs in one paragraph": (
        "ua.docx",
        lambda: bombs.docx_with_body(b"<w:p>" + b"<w:r/>" * 200_001 + b"</w:p>"),
        "The document has over 200,000 XML elements",
    ),
    "images in a PDF": (
        "ua.pdf",
        lambda: bombs.inline_images(101),
        "The document has over 100 images",
    ),
    "images in a .docx": (
        "ua.docx",
        lambda: bombs.docx_with_body(b"", {f"word/media/image{i}.png": b"png" for i in range(101)}),
        "The document has over 100 images",
    ),
    "PDF objects": (
        "ua.pdf",
        lambda: bombs.pdf([bombs.text_page(["UA 1/26"])], spare_objects=20_001),
        "The document has over 20,000 objects",
    ),
    ".docx parts": (
        "ua.docx",
        lambda: bombs.docx_with_body(
            b"", {f"customXml/extra{i}.xml": b"<a/>" for i in range(1001)}
        ),
        "The document has over 1,000 parts",
    ),
}


def slow_pdf() -> bytes:
    """Within every bound, and seconds of parsing: 8 pages of 400 KB of ``0 ``."""
    return bombs.pdf([b"0 " * (200 * 1024)] * 8)


def _cpu_of_children() -> dict[int, int]:
    """CPU ticks used so far by each child process of this (the web) process."""
    me, ticks = os.getpid(), {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == me:  # ppid
            ticks[int(entry)] = int(fields[11]) + int(fields[12])  # utime + stime
    return ticks


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in "ZX"
    except OSError:
        return True


class Watch:
    """Polls /healthz while a request runs: the slowest answer, and the readers seen busy."""

    def __init__(self, base: str) -> None:
        self.base, self.slowest, self.readers = base, 0.0, set()

    async def _poll(self, done: asyncio.Event) -> None:
        async with httpx.AsyncClient(base_url=self.base, timeout=10) as http:
            while not done.is_set():
                self.readers |= reader_pids()
                start = time.monotonic()
                r = await http.get("/healthz")
                assert r.status_code == 200
                self.slowest = max(self.slowest, time.monotonic() - start)
                await asyncio.sleep(0.02)

    async def during(self, request):
        done = asyncio.Event()
        poller = asyncio.create_task(self._poll(done))
        try:
            return await request
        finally:
            done.set()
            await poller


async def _nothing_keeps_reading(readers: set[int]) -> None:
    """Every reader seen busy is gone or idle, and no child process uses the CPU."""
    assert reader_pids() == set()
    before = _cpu_of_children()
    await asyncio.sleep(0.5)
    after = _cpu_of_children()
    busy = {pid for pid, t in after.items() if t - before.get(pid, t) > 2}
    assert busy == set(), f"child processes still working: {busy}"
    for pid in readers - set(after):
        assert _gone(pid)


async def _upload(http: httpx.AsyncClient, name: str, data: bytes) -> httpx.Response:
    token = csrf((await http.get("/organiser/")).text)
    files = {"document": (name, data)}
    return await http.post("/organiser/upload", data={"csrf": token}, files=files, timeout=60)


async def _case_count(store) -> int:
    async with store.unit() as tx:
        return await tx.count_cases()


@pytest.mark.parametrize("what", list(DOCUMENTS))
async def test_each_bound_refuses_its_upload_in_one_line(settings, store, core, what):
    name, build, reason = DOCUMENTS[what]
    app = App(settings, store, core)
    async with served(app) as http:
        await sign_in(app, http)
        r = await _upload(http, name, build())
    assert r.status_code == 400 and "Not imported" in r.text
    assert reason in unescape(r.text)
    assert "Traceback" not in r.text
    assert await _case_count(store) == 0


@pytest.mark.parametrize("what", ["million empty paragraphs", "a 16 MB page"])
async def test_the_pages_keep_answering_while_a_bomb_is_uploaded(settings, store, core, what):
    name, build, reason = DOCUMENTS[what]
    data = build()
    assert len(data) < 64 * 1024
    app = App(settings, store, core)
    async with served(app) as http:
        await sign_in(app, http)
        watch = Watch(str(http.base_url))
        r = await watch.during(_upload(http, name, data))
        assert r.status_code == 400 and reason in unescape(r.text)
        await _nothing_keeps_reading(watch.readers)
    assert watch.slowest < 1.0
    assert await _case_count(store) == 0


@pytest.mark.parametrize("what", ["million empty paragraphs", "a 16 MB page"])
async def test_chat_import_keeps_the_web_process_answering(core, settings, store, sample, what):
    name, build, reason = DOCUMENTS[what]
    settings.ua_bot_organisers = ORG
    settings.__dict__.pop("organisers", None)
    async with webhook_app(core, settings, store) as (api, url, http):
        watch = Watch(url.removesuffix("/telegram/webhook"))
        upd = api.document(private_chat(77), user(77), name, build())
        r = await watch.during(post(http, url, {"update_id": 1, **upd}))
        assert r.status_code == 200
        (answer,) = api.sent(chat_id=77)
        await _nothing_keeps_reading(watch.readers)
    assert answer.params["text"].startswith("<b>Not imported.</b>")
    assert reason in unescape(answer.params["text"])
    assert watch.slowest < 1.0
    assert await _case_count(store) == 1  # the sample only


async def test_a_reader_over_its_time_is_killed(settings, store, core, monkeypatch):
    """A document within every bound but slow to read: the reader is killed at the limit,
    the organiser is told, and the next upload is read by a fresh reader."""
    from tests.ua_builders import build_pdf
    from ua_bot.app import sample_path

    slow = slow_pdf()
    monkeypatch.setattr(limits, "IMPORT_SECONDS", 0.5)
    app = App(settings, store, core)
    async with served(app) as http:
        await sign_in(app, http)
        watch = Watch(str(http.base_url))
        r = await watch.during(_upload(http, "slow.pdf", slow))
        assert r.status_code == 400 and "took over" in r.text
        assert watch.readers, "no reader was seen reading"
        await _nothing_keeps_reading(watch.readers)
        assert all(_gone(pid) for pid in watch.readers)
        monkeypatch.setattr(limits, "IMPORT_SECONDS", 60)
        pdf = build_pdf(sample_path().read_text(encoding="utf-8")).data
        r = await _upload(http, "ua_253_17.pdf", pdf)
        assert r.status_code == 303
    assert watch.slowest < 1.0
    assert await _case_count(store) == 1


async def test_a_chat_import_over_its_time_is_killed(core, settings, store, sample, monkeypatch):
    settings.ua_bot_organisers = ORG
    settings.__dict__.pop("organisers", None)
    monkeypatch.setattr(limits, "IMPORT_SECONDS", 0.5)
    async with webhook_app(core, settings, store) as (api, url, http):
        watch = Watch(url.removesuffix("/telegram/webhook"))
        upd = api.document(private_chat(77), user(77), "slow.pdf", slow_pdf())
        assert (await watch.during(post(http, url, {"update_id": 1, **upd}))).status_code == 200
        (answer,) = api.sent(chat_id=77)
        assert watch.readers, "no reader was seen reading"
        await _nothing_keeps_reading(watch.readers)
    assert "took over" in answer.params["text"]
    assert all(_gone(pid) for pid in watch.readers)
    assert watch.slowest < 1.0


def test_ua_bot_import_refuses_a_bomb_in_one_line(db_url, tmp_path):
    from tests.cli import cli_env, run_cli

    bomb = tmp_path / "ua.docx"
    bomb.write_bytes(bombs.empty_paragraphs(1_000_000))
    done = run_cli(["import", str(bomb)], cli_env(tmp_path, db_url), cwd=tmp_path)
    assert done.returncode == 1
    assert "error: The document has over 5,000 paragraphs" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr

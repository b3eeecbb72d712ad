"""Telegram updates per second through the real ``Application.process_update``.

No sockets: a :class:`telegram.request.BaseRequest` subclass records every Bot API call
(its JSON parameters are built, as for the wire) and answers canned JSON. Measured in
one run, taking turns for ``ROUNDS`` rounds (the best of each counts, so that other load
on the machine hits all three alike): PTB's own minimal echo bot, and our adapter on a
migrated temporary SQLite database for the first ``/case`` in each of 1,000 new chats (it
stores the chat's current case), for ``/case`` (repeat readers in the first round's 1,000
chats) and for ``/took_action 253/17 letter`` (each update a new supporter, so each is a new
action).
Updates are processed concurrently (200 in flight), as the adapter's update processor
does, so the store's batcher can share commits.

Where the time goes for ``/case`` (cProfile, the adapter's share is a few per cent):
PTB's ``send_message`` about 57%, ``ua_bot/core.py:Core.handle`` about 23% (of which
``ua_bot/present.py:case_card`` with ``ua_bot/markup.py:esc`` about 10%). When the
core's totals cache expires (``UA_BOT_CACHE_SECONDS``), every ``/case`` in flight runs
its own transaction in ``ua_bot/core_state.py:Totals.get`` (no single flight: 200
serialised SQLite transactions), and that round is about 30% slower.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from pydantic import SecretStr
from telegram import Update
from telegram.ext import AIORateLimiter, ApplicationBuilder, MessageHandler, filters
from telegram.request import BaseRequest, RequestData

from adapters.settings import DeploymentSettings
from case_store import Store, create_engine_for
from case_store.migrate import upgrade_async
from ua_bot.core import Core
from ua_bot.handlers import command_table
from ua_bot.identity import Hasher
from ua_bot.model import CaseStatus

TOKEN = "123456:BENCH"
SECRET = "bench-secret-0123456789"
CONCURRENCY = 200  # updates in flight at once
ROUNDS = 3  # the best round counts
PER_ROUND = 5_000  # echo and /case updates per round
ACTIONS_PER_ROUND = 2_000  # /took_action updates per round, each from a new supporter
CHATS = 1_000  # /case comes from this many chats

_BOT = {"id": 123456, "is_bot": True, "first_name": "Bench", "username": "bench_bot"}
_CANNED = {
    "getMe": json.dumps({"ok": True, "result": _BOT}).encode(),
    "sendMessage": json.dumps(
        {
            "ok": True,
            "result": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": 1, "type": "private"},
                "text": "ok",
            },
        }
    ).encode(),
}
_TRUE = b'{"ok":true,"result":true}'


class RecordingRequest(BaseRequest):
    """Records each call's endpoint and JSON parameters; answers canned JSON, no sockets."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.last: dict | None = None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float:
        return 5.0

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout=None,
        write_timeout=None,
        connect_timeout=None,
        pool_timeout=None,
    ) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1]
        self.calls[endpoint] += 1
        if request_data is not None:
            self.last = request_data.json_parameters
        return 200, _CANNED.get(endpoint, _TRUE)


def _message(update_id: int, user_id: int, text: str) -> dict:
    msg = {
        "message_id": update_id,
        "date": 0,
        "chat": {"id": user_id, "type": "private"},
        "from": {"id": user_id, "is_bot": False, "first_name": "S"},
        "text": text,
    }
    if text.startswith("/"):
        msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": update_id, "message": msg}


async def _drive(app, updates: list[Update]) -> tuple[float, float]:
    """Updates per second and CPU ms per update (this process: the bot, its store, the
    canned Bot API), ``CONCURRENCY`` in flight at once."""
    sem = asyncio.Semaphore(CONCURRENCY)

    async def one(u: Update) -> None:
        async with sem:
            await app.process_update(u)

    t0, c0 = time.perf_counter(), time.process_time()
    await asyncio.gather(*(one(u) for u in updates))
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return len(updates) / wall, 1000 * cpu / len(updates)


def _echo_app(req: RecordingRequest):
    """PTB's minimal echo bot: one handler that sends the text back."""

    async def echo(update, context) -> None:
        await update.message.reply_text(update.message.text)

    app = ApplicationBuilder().token(TOKEN).request(req).get_updates_request(req)
    app = app.updater(None).build()
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    return app


async def _adapter(db: Path):
    from adapters.telegram import TelegramAdapter
    from tests.conftest import make_case  # the sample case, written out

    url = f"sqlite+aiosqlite:///{db}"
    engine = create_engine_for(url)
    await upgrade_async(engine)
    await engine.dispose()
    store = Store.from_url(url)
    settings = DeploymentSettings(
        database_url=url,
        ua_bot_secret=SECRET,
        telegram_bot_token=SecretStr(TOKEN),
        _env_file=None,
    )
    core = Core(
        store,
        settings,
        Hasher(SECRET.encode()),
        command_table(),
        clock=lambda: dt.datetime(2017, 12, 1, 12, tzinfo=dt.UTC),
    )
    async with store.unit() as tx:
        case = await tx.save_case(make_case())
        await tx.set_status(case.id, CaseStatus.PUBLISHED)
    req = RecordingRequest()
    # Telegram's pacing (30 messages/s) is not ours to measure: rates off, retries on.
    limiter = AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=3)
    adapter = TelegramAdapter(core, settings, webhook=True, request=req, rate_limiter=limiter)
    return adapter, req, store


async def measure(db: Path) -> tuple[dict[str, float], dict[str, float]]:
    """Best-of-``ROUNDS`` rates and median CPU ms per update, the kinds taking turns (other
    load hits all alike; CPU time per update hardly depends on it)."""
    echo_req = RecordingRequest()
    echo_app = _echo_app(echo_req)
    adapter, req, store = await _adapter(db)
    app = adapter.application
    best = {"echo": 0.0, "first_case": 0.0, "case": 0.0, "took_action": 0.0}
    cpus: dict[str, list[float]] = {k: [] for k in best}

    async def drive(kind: str, a, ups: list[Update]) -> None:
        rate, cpu = await _drive(a, ups)
        best[kind] = max(best[kind], rate)
        cpus[kind].append(cpu)

    ids = iter(range(1, 10**9))

    def updates(bot, n: int, text: str, fresh_user: bool = False, chat: int = 1) -> list[Update]:
        out = []
        for k in range(n):
            i = next(ids)
            who = 10_000_000 + i if fresh_user else chat + k % CHATS
            out.append(Update.de_json(_message(i, who, text), bot))
        return out

    async with echo_app, app:
        for r in range(ROUNDS):
            # CHATS new chats (the first round's are the repeat readers): each stores its case
            firsts = updates(app.bot, CHATS, "/case", chat=1 + r * 1_000_000)
            await drive("first_case", app, firsts)
            await drive("echo", echo_app, updates(echo_app.bot, PER_ROUND, "hello"))
            await drive("case", app, updates(app.bot, PER_ROUND, "/case"))
            acts = updates(app.bot, ACTIONS_PER_ROUND, "/took_action 253/17 letter", True)
            await drive("took_action", app, acts)
    async with store.unit() as tx:
        _, recorded = await tx.case_totals(1)
    await store.close()
    if recorded != ROUNDS * ACTIONS_PER_ROUND:
        raise RuntimeError(f"{recorded} actions recorded, {ROUNDS * ACTIONS_PER_ROUND} expected")
    if echo_req.calls["sendMessage"] != ROUNDS * PER_ROUND:
        raise RuntimeError("the echo bot did not answer every update")
    expected = ROUNDS * (CHATS + PER_ROUND + ACTIONS_PER_ROUND)
    if req.calls["sendMessage"] != expected:
        raise RuntimeError(f"{req.calls['sendMessage']} messages sent, {expected} expected")
    return best, {k: statistics.median(v) for k, v in cpus.items()}


async def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as d:
        rates, cpu = await measure(Path(d) / "bench.db")
    echo = rates["echo"]
    figs = [
        {
            "name": "PTB minimal echo bot: CPU per update",
            "value": round(cpu["echo"], 3),
            "unit": "ms",
            "goal": None,
        }
    ]
    # CPU per update against the echo bot's in the same run: the goals (steady on a busy
    # machine); rates over wall time are information.
    kinds = (
        ("first_case", "first /case in a chat (writes the chat's case)", 3.3),
        ("case", "/case", 2.0),
        ("took_action", "/took_action (SQLite, each a new action)", 3.0),
    )
    for kind, what, goal in kinds:
        figs += [
            {
                "name": f"Telegram {what}: CPU per update",
                "value": round(cpu[kind], 3),
                "unit": "ms",
                "goal": None,
            },
            {
                "name": f"Telegram {what.split(' (')[0]}: CPU per update / echo's",
                "value": round(cpu[kind] / cpu["echo"], 2),
                "unit": "ratio",
                "goal": goal,
                "better": "lower",
            },
        ]
    figs.append(
        {
            "name": "PTB minimal echo bot, updates/s",
            "value": round(echo),
            "unit": "1/s",
            "goal": None,
        }
    )
    for kind, what, _ in kinds:
        figs += [
            {
                "name": f"Telegram {what}, updates/s",
                "value": round(rates[kind]),
                "unit": "1/s",
                "goal": None,
            },
            {
                "name": f"Telegram {what.split(' (')[0]} rate / echo rate (information)",
                "value": round(rates[kind] / echo, 2),
                "unit": "ratio",
                "goal": None,
            },
        ]
    return figs


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    for fig in asyncio.run(run()):
        print(fig)

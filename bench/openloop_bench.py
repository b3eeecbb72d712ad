"""What a supporter waits: ``/took_action`` offered at a fixed rate to one web process.

Open loop: requests leave at fixed intervals whatever the answers, so a slow answer does not
slow the load down (the ``http`` group is closed loop: it measures saturation, and its
latency grows with the queue). For each way in, over signed Slack HTTP (slash commands to
``/slack/events``) and over the Telegram webhook (``/telegram/webhook``), one web process on
PostgreSQL is first driven closed loop (``http_bench``'s clients, 50 at a time) to measure
its capacity, then offered 40% and 80% of it for ``UA_BOT_BENCH_OPENLOOP_SECONDS`` (default
10) each, on a fresh database and process each time (after a short warm-up). Latency runs
from writing a request to its reply reaching the fake platform (``bench/thin_slack_api.py``,
which answers the Bot API too). Goals: p99 under 100 ms at 40%, under 250 ms at 80%.

Through Telegram every reply draws on the bot's shared sending budget
(``adapters/telegram/rate_limit.py``: 0.97 of Telegram's 30 messages/s, all processes
together), so that path's capacity is that limit, not the process: its rates are a share of it.

It also prints the web process's CPU per Slack ``/took_action`` (goal at most 1 ms): its CPU
over the capacity run from ``/proc``, divided by the requests (at 40% and 80% a request costs
more: fewer share each transaction and each wake-up; those are printed on stderr).
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.http_bench import (  # noqa: E402
    CONCURRENCY,
    Responses,
    _Client,
    serving,
    skipped,
    slack_request,
)
from bench.procstat import cpu_seconds  # noqa: E402


def fig(name: str, value: float, unit: str, goal: float | None = None) -> dict:
    return {
        "name": name,
        "value": round(value) if unit == "req/s" else value,
        "unit": unit,
        "goal": goal,
    }


SECONDS = float(os.environ.get("UA_BOT_BENCH_OPENLOOP_SECONDS", "10"))
CAPACITY_REQUESTS = {"slack": 2000, "telegram": 300}  # closed loop, to measure capacity
WARMUP = 50
LOADS = ((0.4, 100.0), (0.8, 250.0))  # share of capacity, p99 goal in ms
TG_TOKEN = "123456:BENCH"
TG_SECRET = "bench-telegram-webhook-secret"
TG_ENV = {
    "TELEGRAM_BOT_TOKEN": TG_TOKEN,
    "TELEGRAM_WEBHOOK_SECRET": TG_SECRET,
    "TELEGRAM_API_BASE_URL": "{api}",
    "SLACK_SIGNING_SECRET": "",
    "SLACK_BOT_TOKEN": "",
}


def telegram_request(i: int, port: int) -> tuple[bytes, str]:
    """The i-th supporter's ``/took_action`` as a webhook POST, and the chat it answers."""
    chat = 20_000_000 + i
    text = "/took_action 253/17 email"
    update = {
        "update_id": 1 + i,
        "message": {
            "message_id": 1 + i,
            "date": int(time.time()),
            "chat": {"id": chat, "type": "private"},
            "from": {"id": chat, "is_bot": False, "first_name": "S"},
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len("/took_action")}],
        },
    }
    body = json.dumps(update)
    head = (
        f"POST /telegram/webhook HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"X-Telegram-Bot-Api-Secret-Token: {TG_SECRET}\r\n\r\n"
    )
    return (head + body).encode(), str(chat)


BUILD = {"slack": slack_request, "telegram": telegram_request}


class _Conn(Responses):
    """A keep-alive connection of the open-loop pool: idle in ``pool`` between requests."""

    def __init__(self, pool: list[_Conn], errors: list[str]) -> None:
        self.pool, self.errors = pool, errors
        self.ready: asyncio.Future = asyncio.get_running_loop().create_future()

    def connection_made(self, transport) -> None:
        self.transport = transport
        self.ready.set_result(self)

    def send(self, data: bytes) -> None:
        self.transport.write(data)

    def answered(self) -> None:
        self.pool.append(self)

    def _fail(self, why: str) -> None:
        self.errors.append(why)
        self.transport.close()

    def connection_lost(self, exc) -> None:
        if self in self.pool:
            self.pool.remove(self)


async def _closed_loop(reqs: list[tuple[bytes, str]], port: int, sent: dict) -> None:
    """``http_bench``'s clients: ``CONCURRENCY`` connections, each sending on each answer."""
    loop = asyncio.get_running_loop()
    queue, acks, finished = iter(reqs), [], []
    for _ in range(min(CONCURRENCY, len(reqs))):
        done = loop.create_future()
        finished.append(done)
        await loop.create_connection(
            lambda d=done: _Client(queue, sent, acks, d), "127.0.0.1", port
        )
    await asyncio.gather(*finished)


async def _open_loop(reqs: list[tuple[bytes, str]], port: int, rate: float, sent: dict) -> float:
    """Write each request at its time, ``rate`` a second; the latest a write was late (s)."""
    loop = asyncio.get_running_loop()
    pool: list[_Conn] = []
    errors: list[str] = []

    async def connect() -> _Conn:
        _, conn = await loop.create_connection(lambda: _Conn(pool, errors), "127.0.0.1", port)
        return await conn.ready

    pool += [await connect() for _ in range(32)]
    start, late = loop.time(), 0.0
    for i, (data, key) in enumerate(reqs):
        due = start + i / rate
        if (wait := due - loop.time()) > 0:
            await asyncio.sleep(wait)
        late = max(late, loop.time() - due)
        conn = pool.pop() if pool else await connect()
        sent[key] = time.monotonic()
        conn.send(data)
        if errors:
            raise AssertionError(errors[0])
    return late


async def _session(way: str, n: int, drive) -> dict:
    """One fresh web process: a warm-up, then ``drive(requests, port, sent)`` over ``n``
    requests; latencies to each reply and the web process's CPU over the drive."""
    env = TG_ENV if way == "telegram" else None
    async with serving(1, 28300, WARMUP + n, env) as srv:
        port, web = srv.ports[0], srv.procs[0]
        reqs = [BUILD[way](i, port) for i in range(WARMUP + n)]
        warm: dict[str, float] = {}
        await _closed_loop(reqs[:WARMUP], port, warm)
        sent: dict[str, float] = {}
        cpu0, t0 = cpu_seconds(web.pid), time.monotonic()
        late = await drive(reqs[WARMUP:], port, sent)
        try:
            line = await asyncio.wait_for(srv.api.stdout.readline(), 120)
        except TimeoutError:
            line = b""
        cpu = cpu_seconds(web.pid) - cpu0
        srv.api.stdin.close()
        report = json.loads((await srv.api.stdout.read()).splitlines()[-1])
    if line != b"done\n":  # a reply lost: say how many, not a bare timeout
        got = len(report["thanked"])
        raise RuntimeError(f"{way}: {got} of {WARMUP + n} replies reached the fake API in 120 s")
    thanked: dict[str, float] = report["thanked"]
    lat = sorted(thanked[k] - t for k, t in sent.items())
    return {
        "rps": n / (max(thanked[k] for k in sent) - t0),
        "p50": statistics.median(lat) * 1000,
        "p99": lat[max(int(len(lat) * 0.99) - 1, 0)] * 1000,
        "cpu_ms": cpu * 1000 / n,
        "late_ms": (late or 0.0) * 1000,
    }


async def _closed(reqs, port, sent) -> float:
    await _closed_loop(reqs, port, sent)
    return 0.0


async def _way(way: str) -> list[dict]:
    label = "Slack" if way == "slack" else "Telegram webhook"
    cap = await _session(way, CAPACITY_REQUESTS[way], _closed)
    print(
        f"openloop, {label}: capacity {cap['rps']:.0f} req/s closed loop "
        f"({CONCURRENCY} at a time), web CPU {cap['cpu_ms']:.2f} ms a request",
        file=sys.stderr,
    )
    figs = [
        fig(f"{label} /took_action capacity, one web process (closed loop)", cap["rps"], "req/s")
    ]
    if way == "slack":
        name = "web process CPU per Slack /took_action (closed loop, at capacity)"
        figs.append(fig(name, round(cap["cpu_ms"], 2), "ms", 1.0))
    for share, goal in LOADS:
        rate = share * cap["rps"]
        n = max(int(rate * SECONDS), 20)

        async def drive(reqs, port, sent, rate=rate):
            return await _open_loop(reqs, port, rate, sent)

        r = await _session(way, n, drive)
        pct = f"{share:.0%}"
        print(
            f"openloop, {label} at {pct} ({rate:.0f}/s offered, {r['rps']:.0f}/s served): "
            f"p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms, web CPU {r['cpu_ms']:.2f} ms a "
            f"request, latest write {r['late_ms']:.1f} ms late",
            file=sys.stderr,
        )
        at = f"{label} /took_action at {pct} of capacity"
        figs += [
            fig(f"{at}: p50 to the reply", round(r["p50"], 1), "ms"),
            fig(f"{at}: p99 to the reply", round(r["p99"], 1), "ms", goal),
        ]
    return figs


async def run() -> list[dict]:
    if (skip := await skipped("openloop", "open-loop /took_action")) is not None:
        return skip
    return await _way("slack") + await _way("telegram")

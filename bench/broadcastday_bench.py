"""Broadcast day: a broadcast to many subscribers while a tenth of them answer, on PostgreSQL
with two web processes and two workers sharing one Telegram budget.

A fake Telegram Bot API in its own process (``bench/thin_telegram_api.py``) enforces one
limit for the bot, whichever process sends (30/s, and 1,000/s as with paid broadcasts), and
answers 429 with ``retry_after`` past it. The case goes out to ``N`` subscribers (chats
``1..N``); meanwhile ``N / 10`` supporters (chats from 50,000,000) each post ``/case 253/17``
and, three seconds later, ``/took_action 253/17 letter`` to the webhook of one of the two
web processes, at random moments over the first two thirds of the broadcast. When 40% is
sent one worker is killed (SIGKILL) and restarted a second later under the same name.

Figures per limit: the platform's 429s; p50/p99 from posting an update to its reply reaching
the fake; the broadcast's rate as a share of what replies left of the budget
(``UA_BOT_WORKER_PACE_MARGIN`` x the limit, less the replies' rate over the broadcast);
subscribers who got nothing (lost) and messages sent twice (duplicates; goal: at most the
in-flight count of the killed worker).

``UA_BOT_BENCH_DAY_SUBSCRIBERS=100000`` runs the issue's full size at both limits (about an
hour at 30/s); by default 1,500 at 30/s and 20,000 at 1,000/s. Without PostgreSQL the group is
skipped (``UA_BOT_BENCH_POSTGRES_URL``, as the http group).
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import random
import signal
import statistics
import sys
import time
from pathlib import Path

import aiohttp
from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.http_bench import _cmd, _pg_url, _reset, skipped  # noqa: E402
from bench.procstat import cpu_seconds  # noqa: E402
from case_store import Store  # noqa: E402

TOKEN = "123456:BENCH"
WEBHOOK_SECRET = "bench-webhook-secret-0123456789"
SECRET = "bench-secret-0123456789"
ORGANISER = "console:org"
STAMP_FROM = 50_000_000  # supporters' chats: their replies are stamped by the fake
MARGIN = 0.97
FULL = os.environ.get("UA_BOT_BENCH_DAY_SUBSCRIBERS")
# (limit per second, subscribers, reply p99 goal in ms)
SCENARIOS = [
    (30.0, int(FULL or 1_500), 2000.0),
    (1000.0, int(FULL or 20_000), 1000.0),
]
WARM = STAMP_FROM + 10_000_000  # warm-up chats, left out of the figures
GAP = 3.0  # seconds between a supporter's /case and /took_action


async def _fake(limit: float) -> tuple[asyncio.subprocess.Process, str]:
    p = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bench" / "thin_telegram_api.py"),
        "--limit",
        str(limit),
        "--stamp-from",
        str(STAMP_FROM),
        stdout=asyncio.subprocess.PIPE,
    )
    line = (await p.stdout.readline()).decode().split()
    assert line[:1] == ["port"], line
    return p, f"http://127.0.0.1:{line[1]}"


def _env(url: str, api: str, limit: float) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "UA_BOT_SECRET": SECRET,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api,
        "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "UA_BOT_WORKER_PACING": json.dumps({"telegram": {"per_second": limit}}),
        "UA_BOT_WORKER_PACE_MARGIN": str(MARGIN),
        "UA_BOT_WORKER_LEASE_SECONDS": "20",
        "UA_BOT_WORKER_POLL_SECONDS": "0.2",
        "UA_BOT_ORGANISERS": ORGANISER,
        "PYTHONPATH": str(ROOT),
        "UA_BOT_LOG_LEVEL": "WARNING",
    }
    for k in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_CLIENT_ID", "PUBLIC_BASE_URL"):
        env.pop(k, None)
    env.pop("UA_BOT_WEBHOOK_URL", None)
    return env


async def _spawn(env: dict, *args: str, worker_id: str | None = None):
    e = dict(env, UA_BOT_WORKER_ID=worker_id) if worker_id else env
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "adapters",
        *args,
        env=e,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


async def _seed(url: str, n: int) -> None:
    store = Store.from_url(url)
    async with store.unit() as tx:
        await tx.conn.execute(
            text(
                "INSERT INTO supporters (key, created_at) SELECT 'day-' || lpad(i::text, 8, '0'),"
                " now() FROM generate_series(1, :n) i"
            ),
            {"n": n},
        )
        await tx.conn.execute(
            text(
                "INSERT INTO subscriptions (supporter_id, address, platform, topics, created_at)"
                " SELECT id, 'telegram:' || id, 'telegram', 'all', created_at FROM supporters"
                " WHERE key LIKE 'day-%'"
            )
        )
    await store.close()


async def _broadcast(url: str, n: int) -> None:
    from ua_bot.config import Settings
    from ua_bot.core import Core
    from ua_bot.handlers import command_table
    from ua_bot.identity import Hasher
    from ua_bot.messages import Incoming

    store = Store.from_url(url)
    settings = Settings(
        database_url=url, ua_bot_secret=SECRET, ua_bot_organisers=ORGANISER, _env_file=None
    )
    core = Core(store, settings, Hasher(SECRET.encode()), command_table())
    inc = Incoming.command_line("/broadcast 253/17", address=ORGANISER, user=ORGANISER)
    replies = await core.handle(inc)
    await store.close()
    said = " ".join(getattr(p, "markup", "") for r in replies for p in r.parts)
    assert f"{n:,} recipients added" in said, said


def _update(update_id: int, chat: int, line: str) -> dict:
    msg = {
        "message_id": update_id,
        "date": int(time.time()),
        "chat": {"id": chat, "type": "private"},
        "from": {"id": chat, "is_bot": False, "first_name": "S"},
        "text": line,
        "entities": [{"type": "bot_command", "offset": 0, "length": len(line.split()[0])}],
    }
    return {"update_id": update_id, "message": msg}


async def _supporters(ports: list[int], n: int, spread: float, sent: dict[int, list[float]]):
    """``n`` supporters, each ``/case`` then ``/took_action``, starting over ``spread`` s."""
    rng = random.Random(29)
    headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
    t0 = time.monotonic()
    async with aiohttp.ClientSession() as http:

        async def one(k: int) -> None:
            chat = STAMP_FROM + k
            await asyncio.sleep(max(0.0, t0 + rng.uniform(0, spread) - time.monotonic()))
            port = ports[k % len(ports)]
            for j, line in enumerate(("/case 253/17", "/took_action 253/17 letter")):
                if j:
                    await asyncio.sleep(GAP)
                sent.setdefault(chat, []).append(time.time())
                body = _update(2 * k + j + 1, chat, line)
                url = f"http://127.0.0.1:{port}/telegram/webhook"
                async with http.post(url, json=body, headers=headers) as r:
                    await r.read()

        await asyncio.gather(*(one(k) for k in range(n)))


def _latencies(sent: dict[int, list[float]], stamps: dict[str, list[float]]) -> list[float]:
    """For each update, ms until the first message to its chat after it was posted."""
    out = []
    for chat, times in sent.items():
        arrived = sorted(stamps.get(str(chat), []))
        for t in times:
            after = [a for a in arrived if a >= t]
            out.append(1000 * (after[0] - t) if after else math.inf)
    return out


async def _count(url_engine, sql: str) -> int:
    async with url_engine.connect() as conn:
        return int((await conn.execute(text(sql))).scalar_one())


async def scenario(limit: float, n: int, base_port: int) -> dict:
    from case_store import create_engine_for

    url = _pg_url()
    await _reset(url)
    fake, api = await _fake(limit)
    env = _env(url, api, limit)
    procs: list[asyncio.subprocess.Process] = []
    try:
        await _cmd("migrate", env=env)
        await _cmd("import", str(ROOT / "ua_bot/samples/ua_253_17.txt"), "--publish", env=env)
        await _seed(url, n)
        ports = [base_port, base_port + 1]
        for port in ports:
            procs.append(await _spawn(env, "serve", "--host", "127.0.0.1", "--port", str(port)))
        async with aiohttp.ClientSession() as http:
            for port in ports:
                for _ in range(300):
                    try:
                        async with http.get(f"http://127.0.0.1:{port}/healthz") as r:
                            if r.status == 200:
                                break
                    except aiohttp.ClientError:
                        pass
                    await asyncio.sleep(0.1)
            # Warm each web process (imports and templates done on first use), off the figures.
            headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
            for k, port in enumerate(ports):
                for j, line in enumerate(("/case 253/17", "/took_action 253/17 letter")):
                    body = _update(10**8 + 2 * k + j, WARM + k, line)
                    hook = f"http://127.0.0.1:{port}/telegram/webhook"
                    async with http.post(hook, json=body, headers=headers) as r:
                        await r.read()
        await _broadcast(url, n)
        workers = [await _spawn(env, "worker", worker_id=f"day-w{i}") for i in range(2)]
        procs += workers
        webs = procs[:2]
        cpu: dict[int, float] = {}  # the last CPU seen per process
        base: dict[int, float] = {}  # CPU when the broadcast was under way (start-up done)

        def sample() -> None:
            for p in procs:
                if p.returncode is None:
                    cpu[p.pid] = max(cpu.get(p.pid, 0.0), cpu_seconds(p.pid))

        expected = n / (limit * MARGIN)  # seconds, were replies not there
        sent: dict[int, list[float]] = {}
        engine = create_engine_for(url)
        killed = False
        t0 = time.monotonic()
        try:
            # The supporters answer once the broadcast is under way (the workers have started).
            sql = "SELECT count(*) FROM outbox WHERE state = 'sent'"
            while not await _count(engine, sql) and time.monotonic() - t0 < 120:
                await asyncio.sleep(0.1)
            base = {p.pid: cpu_seconds(p.pid) for p in procs}
            supporters = _supporters(ports, max(1, n // 10), expected * 0.66, sent)
            load = asyncio.create_task(supporters)
            while time.monotonic() - t0 < 4 * expected + 120:
                await asyncio.sleep(0.5)
                sample()
                done = await _count(engine, "SELECT count(*) FROM outbox WHERE state = 'sent'")
                if not killed and done >= 0.4 * n:
                    sample()
                    workers[0].send_signal(signal.SIGKILL)
                    await workers[0].wait()
                    await asyncio.sleep(1.0)
                    procs.append(await _spawn(env, "worker", worker_id="day-w0"))
                    killed = True
                pending = await _count(
                    engine, "SELECT count(*) FROM outbox WHERE state = 'pending'"
                )
                if not pending and load.done():
                    break
            await load
            sample()
        finally:
            await engine.dispose()
        async with aiohttp.ClientSession() as http, http.get(f"{api}/stats") as r:
            stats = await r.json()
    finally:
        for p in procs:
            if p.returncode is None:
                p.terminate()
        for p in procs:
            await p.wait()
        fake.terminate()
        await fake.wait()
    received = stats["received"]
    got = [received.get(str(i), 0) for i in range(1, n + 1)]
    lat = sorted(_latencies(sent, stats["stamps"]))
    # Over the broadcast's span (its first to its last message at the fake): its rate, and
    # the replies' rate in the same span.
    first, last = stats["first"], stats["last"]
    span = max(last - first, 1e-6)
    replies = sum(1 for ts in stats["stamps"].values() for t in ts if first <= t <= last)
    bcast = sum(got)
    web_pids = {p.pid for p in webs}
    web_cpu = sum(cpu[p.pid] - base[p.pid] for p in webs)
    # the restarted worker's start-up counts: a kill costs that much
    worker_cpu = sum(v - base.get(pid, 0.0) for pid, v in cpu.items() if pid not in web_pids)
    updates = sum(len(v) for v in sent.values())
    return {
        "limit": limit,
        "n": n,
        "too_many": stats["too_many"],
        "p50": statistics.median(lat) if lat else math.inf,
        "p99": lat[min(len(lat) - 1, int(0.99 * len(lat)))] if lat else math.inf,
        "lost": sum(1 for g in got if g == 0),
        "duplicates": sum(g - 1 for g in got if g > 1),
        "inflight": max(1, math.ceil(limit / 30.0)),
        "rate": bcast / span,
        "reply_rate": replies / span,
        "budget": limit * MARGIN,
        "worker_ms": 1000 * worker_cpu / max(bcast, 1),
        "web_ms": 1000 * web_cpu / max(updates, 1),
    }


async def run() -> list[dict]:
    if (skip := await skipped("broadcastday", "broadcast day")) is not None:
        return skip
    figs: list[dict] = []
    only = os.environ.get("UA_BOT_BENCH_DAY_LIMITS")  # e.g. "30": one limit only
    for k, (limit, n, p99_goal) in enumerate(SCENARIOS):
        if only and f"{limit:g}" not in only.split(","):
            continue
        r = await scenario(limit, n, 28500 + 10 * k)
        left = max(r["budget"] - r["reply_rate"], 1e-6)
        share = r["rate"] / left
        tag = f"broadcast day {limit:g}/s, {n:,} subscribers"
        print(
            f"{tag}: 429s {r['too_many']}, reply p50 {r['p50']:.0f} ms p99 {r['p99']:.0f} ms,"
            f" broadcast {r['rate']:.1f}/s, replies {r['reply_rate']:.1f}/s,"
            f" lost {r['lost']}, duplicates {r['duplicates']}; CPU ms: workers per message"
            f" {r['worker_ms']:.2f}, web processes per update {r['web_ms']:.2f}",
            file=sys.stderr,
        )
        figs += [
            {"name": f"{tag}: platform 429s", "value": r["too_many"], "unit": "429s", "goal": 0},
            {
                "name": f"{tag}: reply p50 (update to reply at the platform)",
                "value": round(r["p50"], 1),
                "unit": "ms",
                "goal": None,
            },
            {
                "name": f"{tag}: reply p99",
                "value": round(r["p99"], 1),
                "unit": "ms",
                "goal": p99_goal,
            },
            {
                "name": f"{tag}: broadcast rate / what replies left of the budget",
                "value": round(share, 2),
                "unit": "share",
                "goal": 0.9,
            },
            {
                "name": f"{tag}: CPU per message, workers / per update, web processes",
                "value": f"{r['worker_ms']:.2f} / {r['web_ms']:.2f}",
                "unit": "ms",
                "goal": None,
            },
            {
                "name": f"{tag}: lost after a worker was killed",
                "value": r["lost"],
                "unit": "messages",
                "goal": 0,
                "better": "lower",
            },
            {
                "name": f"{tag}: duplicates after a worker was killed",
                "value": r["duplicates"],
                "unit": "messages",
                "goal": r["inflight"],
                "better": "lower",
            },
        ]
    return figs


if __name__ == "__main__":
    for fig in asyncio.run(run()):
        print(fig)

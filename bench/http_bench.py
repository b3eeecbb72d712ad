"""/took_action over HTTP on PostgreSQL: one web process, then two, at concurrency 50.

Each request is a Telegram webhook update (secret header checked, update handled, the
reply sent to a loopback fake of the Bot API before the 200), load-balanced round-robin
over the processes. Everything (PostgreSQL, the web processes, the fake API and this
load generator) shares the machine's cores, which limits the two-process figure.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from case_store import create_engine_for  # noqa: E402
from tests.fakes.telegram_api import TOKEN, FakeBotAPI, private_chat, user  # noqa: E402

PG = os.environ.get("UA_BOT_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test_bench")
SECRET = "bench-hook-secret-0123"
REQUESTS = 3000
CONCURRENCY = 50


async def _reset(url: str) -> None:
    admin = create_engine_for(url.rsplit("/", 1)[0] + "/test")
    name = url.rsplit("/", 1)[1]
    async with admin.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        exists = (
            await conn.execute(text("SELECT 1 FROM pg_database WHERE datname=:n"), {"n": name})
        ).scalar()
        if not exists:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    engine = create_engine_for(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


async def _cmd(*args: str, env: dict) -> None:
    p = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "ua_bot",
        *args,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await p.communicate()
    if p.returncode:
        raise RuntimeError(err.decode())


async def _round(n_web: int, api: FakeBotAPI, base_port: int) -> dict:
    from ua_bot.config import normalise_database_url

    url = normalise_database_url(PG)
    await _reset(url)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "UA_BOT_SECRET": "bench-secret-0123456789",
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api.url,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "PYTHONPATH": str(ROOT),
        "UA_BOT_RATE_LIMIT": "0",
    }
    await _cmd("migrate", env=env)
    await _cmd("import", str(ROOT / "ua_bot/samples/ua_253_17.txt"), "--publish", env=env)
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "ua_bot",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(base_port + i),
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        for i in range(n_web)
    ]
    urls = [f"http://127.0.0.1:{base_port + i}" for i in range(n_web)]
    lat: list[float] = []
    try:
        limits = httpx.Limits(max_connections=CONCURRENCY * 2)
        async with httpx.AsyncClient(timeout=60, limits=limits) as http:
            for u in urls:
                for _ in range(300):
                    try:
                        if (await http.get(f"{u}/healthz")).status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    await asyncio.sleep(0.1)
            queue = iter(range(REQUESTS))
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}

            async def client() -> None:
                for i in queue:
                    uid = 1_000_000 + i
                    upd = {
                        "update_id": i + 1,
                        **api.message(private_chat(uid), user(uid), "/took_action 253/17 letter"),
                    }
                    t0 = time.perf_counter()
                    r = await http.post(
                        f"{urls[i % n_web]}/telegram/webhook", json=upd, headers=headers
                    )
                    lat.append(time.perf_counter() - t0)
                    assert r.status_code == 200, r.status_code

            t0 = time.perf_counter()
            await asyncio.gather(*(client() for _ in range(CONCURRENCY)))
            elapsed = time.perf_counter() - t0
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            await p.wait()
    lat.sort()
    return {
        "rps": REQUESTS / elapsed,
        "p50": statistics.median(lat) * 1000,
        "p99": lat[int(len(lat) * 0.99) - 1] * 1000,
    }


async def run() -> list[dict]:
    async with FakeBotAPI() as api:
        api_log = __import__("logging").getLogger("aiohttp.access")
        api_log.disabled = True
        one = await _round(1, api, 28100)
        two = await _round(2, api, 28200)
    figs = []
    for n, r in ((1, one), (2, two)):
        figs += [
            {
                "name": f"took_action over HTTP, {n} web process(es), PostgreSQL",
                "unit": "req/s",
                "value": round(r["rps"]),
                "goal": None,
            },
            {
                "name": f"  latency p50 / p99, {n} process(es)",
                "unit": "ms",
                "value": f"{r['p50']:.1f} / {r['p99']:.1f}",
                "goal": None,
            },
        ]
    ratio = two["rps"] / one["rps"]
    figs.append(
        {
            "name": "two processes / one",
            "value": round(ratio, 2),
            "unit": "ratio",
            "goal": 1.6,
            "ratio": round(ratio / 1.6, 2),
        }
    )
    return figs

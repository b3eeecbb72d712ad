"""Broadcasts: the /broadcast enqueue at 100,000 and 1,000,000 subscribers, and the worker's
sustained send rate against a rate-limited fake platform.

Enqueue: the subscribers are seeded in bulk into a temporary SQLite file first (plain SQL,
in this process); then a fresh subprocess runs ``/broadcast`` through the core (one
``INSERT ... SELECT`` into the outbox) and reports the seconds it took and its peak
resident memory (``ru_maxrss``). The goal is that memory does not grow with the audience:
the 1M peak at most 1.5 times the 100k one.

Send rate: ``tests/fakes/webhook_fake.py --limit L`` as a subprocess (429 whenever more
than L messages arrive within a second), the real ``ua-bot worker`` as another, paced at
``per_second = L``; the rate is read from the fake's ``GET /stats`` over a window after a
short warm-up. Goals: at least 0.95 of the limit at 30/s, 0.9 at 1000/s, and no 429 for
going over the limit and no request during a ``retry_after`` wait.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.procstat import cpu_seconds as _cpu_seconds  # noqa: E402
from case_store import Store, create_engine_for  # noqa: E402
from case_store.migrate import upgrade_async  # noqa: E402
from ua_bot.model import CaseStatus  # noqa: E402

SECRET = "bench-secret-0123456789"
ORGANISER = "console:org"  # progress messages go nowhere: no console sender in the worker
UA = "253/17"
SIZES = [100_000, 1_000_000]
RATES = [(30.0, 20.0), (1000.0, 20.0)]  # (limit per second, measured seconds)
WARM_UP = 3.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


async def seed(db: Path, n: int) -> str:
    """A migrated SQLite file with the published sample case and ``n`` subscribed chats."""
    from tests.conftest import make_case

    for f in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        f.unlink(missing_ok=True)
    url = f"sqlite+aiosqlite:///{db}"
    engine = create_engine_for(url)
    await upgrade_async(engine)
    await engine.dispose()
    store = Store.from_url(url)
    async with store.unit() as tx:
        case = await tx.save_case(make_case(UA, deadline=dt.date.today() + dt.timedelta(days=30)))
        await tx.set_status(case.id, CaseStatus.PUBLISHED)
    await store.close()
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    ts = "2017-11-01 00:00:00.000000"
    with con:
        con.execute(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?)"
            " INSERT INTO supporters (key, created_at) SELECT printf('bench-%08d', i), ? FROM n",
            (n, ts),
        )
        con.execute(
            "INSERT INTO subscriptions (supporter_id, address, platform, topics, created_at)"
            " SELECT id, 'webhook:r' || id, 'webhook', 'all', created_at FROM supporters"
        )
    con.execute("ANALYZE")
    con.close()
    return url


# -- (a) the enqueue, in a subprocess of its own ------------------------------------------


async def _enqueue_child(url: str) -> dict:
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
    assert await core.cases.get(UA) is not None
    before = _peak_mb()
    inc = Incoming.command_line(f"/broadcast {UA}", address=ORGANISER, user=ORGANISER)
    t0 = time.perf_counter()
    replies = await core.handle(inc)
    seconds = time.perf_counter() - t0
    await store.close()
    text = " ".join(getattr(part, "markup", "") for r in replies for part in r.parts)
    return {"seconds": seconds, "peak_mb": _peak_mb(), "before_mb": before, "reply": text}


async def _enqueue(d: Path, n: int) -> dict:
    url = await seed(d / f"enqueue-{n}.db", n)
    p = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "--enqueue",
        url,
        stdout=asyncio.subprocess.PIPE,
        cwd=d,
    )
    out, _ = await p.communicate()
    if p.returncode:
        raise RuntimeError(f"enqueue subprocess failed ({p.returncode})")
    result = json.loads(out.decode().strip().splitlines()[-1])
    assert f"{n:,} recipients added" in result["reply"], result["reply"]
    return result


# -- (b) the worker against the fake platform ---------------------------------------------


async def _stats(port: int) -> dict:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /stats HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
    await writer.drain()
    data = await reader.read()
    writer.close()
    return json.loads(data.split(b"\r\n\r\n", 1)[1])


async def _kill(p: asyncio.subprocess.Process) -> None:
    if p.returncode is None:
        p.terminate()
        try:
            await asyncio.wait_for(p.wait(), 10)
        except TimeoutError:
            p.kill()
            await p.wait()


async def _send_rate(d: Path, limit: float, window: float, **worker_env: str) -> dict:
    n = int(limit * (window + WARM_UP + 10))  # never runs dry within the window
    url = await seed(d / f"rate-{int(limit)}.db", n)
    from ua_bot.config import Settings
    from ua_bot.core import Core
    from ua_bot.handlers import command_table
    from ua_bot.identity import Hasher
    from ua_bot.messages import Incoming

    store = Store.from_url(url)
    settings = Settings(
        database_url=url, ua_bot_secret=SECRET, ua_bot_organisers=ORGANISER, _env_file=None
    )
    inc = Incoming.command_line(f"/broadcast {UA}", address=ORGANISER, user=ORGANISER)
    await Core(store, settings, Hasher(SECRET.encode()), command_table()).handle(inc)
    await store.close()

    fake = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.fakes.webhook_fake",
        "--limit",
        str(limit),
        stdout=asyncio.subprocess.PIPE,
        cwd=ROOT,
    )
    worker = None
    try:
        line = (await asyncio.wait_for(fake.stdout.readline(), 30)).decode()
        port = int(line.split()[1])
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("UA_BOT_", "TELEGRAM_", "SLACK_", "DATABASE_URL"))
        }
        env.update(
            DATABASE_URL=url,
            UA_BOT_SECRET=SECRET,
            UA_BOT_ORGANISERS=ORGANISER,
            UA_BOT_WEBHOOK_URL=f"http://127.0.0.1:{port}",
            UA_BOT_WORKER_PACING=json.dumps({"webhook": {"per_second": limit}}),
            UA_BOT_WORKER_POLL_SECONDS="0.1",
        )
        env.update(worker_env)  # e.g. UA_BOT_WORKER_INFLIGHT, to see what bounds the rate
        worker = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "adapters", "worker", env=env, cwd=d
        )
        first = None
        deadline = time.monotonic() + 60
        while first is None and time.monotonic() < deadline:
            s = await _stats(port)
            if s["total"]:
                first = s
            await asyncio.sleep(0.1)
        if first is None:
            raise RuntimeError("the worker sent nothing within a minute")
        await asyncio.sleep(WARM_UP)
        a = await _stats(port)
        cpu_a = _cpu_seconds(worker.pid), _cpu_seconds(fake.pid), os.getloadavg()[0]
        await asyncio.sleep(window)
        b = await _stats(port)
        cpu_b = _cpu_seconds(worker.pid), _cpu_seconds(fake.pid), os.getloadavg()[0]
    finally:
        if worker is not None:
            await _kill(worker)
        await _kill(fake)
    sent = b["total"] - a["total"]
    rate = sent / (b["now"] - a["now"])
    return {
        "rate": rate,
        "worker_ms": 1000 * (cpu_b[0] - cpu_a[0]) / max(sent, 1),
        "fake_ms": 1000 * (cpu_b[1] - cpu_a[1]) / max(sent, 1),
        "load": max(cpu_a[2], cpu_b[2]),
        "over_limit": b["over_limit"],
        "violations": b["violations"],
        "rate_limited": b["rate_limited"],
        "duplicates": b["duplicates"],
    }


async def run() -> list[dict]:
    out: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        enq = {n: await _enqueue(d, n) for n in SIZES}
        for n in SIZES:
            for f in (d / f"enqueue-{n}.db",):
                f.unlink(missing_ok=True)
        for n, r in enq.items():
            label = f"{n:,}" if n < 1_000_000 else "1,000,000"
            out += [
                {
                    "name": f"/broadcast enqueue, {label} subscribers",
                    "value": round(r["seconds"], 2),
                    "unit": "s",
                    "goal": None,
                },
                {
                    "name": f"/broadcast enqueue, {label} subscribers: peak memory",
                    "value": round(r["peak_mb"], 1),
                    "unit": "MB",
                    "goal": None,
                },
                {
                    "name": f"/broadcast enqueue, {label} subscribers: peak growth in it",
                    "value": round(r["peak_mb"] - r["before_mb"], 1),
                    "unit": "MB",
                    "goal": None,
                },
            ]
        mem = enq[SIZES[1]]["peak_mb"] / enq[SIZES[0]]["peak_mb"]
        out.append(
            {
                "name": "/broadcast enqueue peak memory: 1M / 100k",
                "value": round(mem, 2),
                "unit": "ratio",
                "goal": 1.5,
                "better": "lower",
            }
        )
        for limit, window in RATES:
            r = await _send_rate(d, limit, window)
            goal = 0.95 if limit <= 30 else 0.9
            share = r["rate"] / limit
            lim = f"{limit:g}/s"
            out += [
                {
                    "name": f"worker send rate, limit {lim}, {window:g} s",
                    "value": round(r["rate"], 1),
                    "unit": "msg/s",
                    "goal": None,
                },
                {
                    "name": f"worker send rate / limit at {lim} (at least)",
                    "value": round(share, 3),
                    "unit": "ratio",
                    "goal": goal,
                },
                {
                    "name": f"worker / fake CPU per message at {lim} (load average)",
                    "value": f"{r['worker_ms']:.2f} / {r['fake_ms']:.2f} (load {r['load']:.1f})",
                    "unit": "ms",
                    "goal": None,
                },
                {
                    "name": f"429s for going over the limit at {lim}",
                    "value": r["over_limit"],
                    "unit": "429s",
                    "goal": 0,
                },
                {
                    "name": f"requests during a retry_after wait at {lim}",
                    "value": r["violations"],
                    "unit": "requests",
                    "goal": 0,
                },
            ]
    return out


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--enqueue":
        print(json.dumps(asyncio.run(_enqueue_child(sys.argv[2]))))
    else:
        for fig in asyncio.run(run()):
            print(fig)

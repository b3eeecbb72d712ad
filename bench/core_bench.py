"""/took_action confirmations per second through the core and the SQLite store.

50 concurrent supporters confirm actions on the sample case; the same rows are then
inserted by a bare aiosqlite insert-and-commit loop on the same kind of database file
(WAL, synchronous=NORMAL, as the store sets it), and the ratio of the two is reported. The
two take turns for ``ROUNDS`` rounds and the best of each counts. Beside the rates (wall
time, information), each one's CPU time per row (this process's, all threads; the median
of the rounds): the goal is the core's CPU per confirmation against the bare insert's, which
a busy machine moves far less than the rates.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

import aiosqlite

from case_store import Store, create_engine_for
from case_store.migrate import upgrade_async
from ua_bot.config import Settings
from ua_bot.core import Core
from ua_bot.handlers import command_table
from ua_bot.identity import Hasher
from ua_bot.messages import Incoming
from ua_bot.model import ACTION_TYPES, CaseStatus

CONCURRENCY = 50
PER_SUPPORTER = 40  # confirmations per concurrent supporter
ROUNDS = 3  # the best round of each counts


async def _core_rate(db: Path) -> tuple[float, int, float]:
    from tests.conftest import make_case  # the sample case, written out

    url = f"sqlite+aiosqlite:///{db}"
    engine = create_engine_for(url)
    await upgrade_async(engine)
    await engine.dispose()
    store = Store.from_url(url)
    settings = Settings(database_url=url, ua_bot_secret="bench-secret-0123456789", _env_file=None)
    core = Core(
        store,
        settings,
        Hasher(b"bench-secret-0123456789"),
        command_table(),
        clock=lambda: dt.datetime(2017, 12, 1, tzinfo=dt.UTC),
    )
    async with store.unit() as tx:
        case = await tx.save_case(make_case())
        await tx.set_status(case.id, CaseStatus.PUBLISHED)

    async def supporter(n: int) -> int:
        ok = 0
        for i in range(PER_SUPPORTER):
            # Each line is a new action: another supporter (a fresh one every 5 types).
            user = f"bench:{n}-{i // len(ACTION_TYPES)}"
            kind = ACTION_TYPES[i % len(ACTION_TYPES)]
            inc = Incoming.command_line(
                f"/took_action 253/17 {kind}",
                address=f"bench:{n}",
                user=user,
                delivery_id=f"{n}-{i}",
            )
            replies = await core.handle(inc)
            ok += "is recorded" in replies[0].markup
        return ok

    await core.handle(Incoming.command_line("/case", address="bench:w", user="bench:w"))
    t0, c0 = time.perf_counter(), time.process_time()
    counts = await asyncio.gather(*(supporter(n) for n in range(CONCURRENCY)))
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    await store.close()
    total = sum(counts)
    return total / elapsed, total, 1000 * cpu / max(total, 1)


async def _bare_rate(db: Path, rows: int) -> tuple[float, float]:
    async with aiosqlite.connect(db) as conn:
        await conn.execute("PRAGMA journal_mode=WAL")
        await conn.execute("PRAGMA synchronous=NORMAL")
        await conn.execute(
            "CREATE TABLE actions (id INTEGER PRIMARY KEY, case_id INT, supporter_id INT,"
            " action_type TEXT, target_no INT, platform TEXT, workspace TEXT, day DATE,"
            " created_at TIMESTAMP)"
        )
        await conn.commit()
        t0, c0 = time.perf_counter(), time.process_time()
        for i in range(rows):
            await conn.execute(
                "INSERT INTO actions (case_id, supporter_id, action_type, target_no, platform,"
                " workspace, day, created_at) VALUES (?,?,?,?,?,?,?,?)",
                (1, i, ACTION_TYPES[i % 5], 0, "bench", "", "2017-12-01", "2017-12-01 00:00"),
            )
            await conn.commit()
        cpu = time.process_time() - c0
        return rows / (time.perf_counter() - t0), 1000 * cpu / rows


async def run() -> list[dict]:
    rate = bare = 0.0
    cpus: list[float] = []
    bare_cpus: list[float] = []
    for k in range(ROUNDS):  # taking turns, the best of each: other load hits both alike
        with tempfile.TemporaryDirectory() as d:
            r, rows, cpu = await _core_rate(Path(d) / f"core{k}.db")
            rate = max(rate, r)
            cpus.append(cpu)
            b, bare_cpu = await _bare_rate(Path(d) / f"bare{k}.db", rows)
            bare = max(bare, b)
            bare_cpus.append(bare_cpu)
    cpu, bare_cpu = statistics.median(cpus), statistics.median(bare_cpus)
    return [
        {
            "name": "took_action CPU per confirmation (core + SQLite, 50 concurrent)",
            "value": round(cpu, 3),
            "unit": "ms",
            "goal": None,
        },
        {
            "name": "bare aiosqlite insert+commit CPU per row",
            "value": round(bare_cpu, 3),
            "unit": "ms",
            "goal": None,
        },
        {
            "name": "took_action CPU per confirmation / bare insert's",
            "value": round(cpu / bare_cpu, 2),
            "unit": "ratio",
            "goal": 2.0,
            "better": "lower",
        },
        {
            "name": "took_action confirmations/s (core + SQLite, 50 concurrent)",
            "value": round(rate),
            "unit": "1/s",
            "goal": None,
        },
        {
            "name": "bare aiosqlite insert+commit rows/s (same rows)",
            "value": round(bare),
            "unit": "1/s",
            "goal": None,
        },
        {
            "name": "took_action rate / bare insert rate (information)",
            "value": round(rate / bare, 2),
            "unit": "ratio",
            "goal": None,
        },
    ]

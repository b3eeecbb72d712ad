"""/stats UA after 10,000 and 1,000,000 recorded actions: the report must not grow with history.

Each history is seeded straight into a temporary SQLite file (executemany, then the running
totals built from the rows with INSERT ... SELECT, as the store would have kept them). The
population is the same in both (50,000 supporters, 10,000 of them subscribed); only the
history grows, over 4 cases and 30 days, on two platforms and two workspaces.

Figures: the whole ``/stats UA`` through the core (text and chart), and the figures alone
(``case_stats``, no chart), each the median of several runs after a warm-up; the goal is
that the 1M figure is at most 3 times the 10k one.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from case_store import Store, create_engine_for
from case_store.migrate import upgrade_async
from ua_bot.config import Settings
from ua_bot.core import Core
from ua_bot.handlers import command_table
from ua_bot.identity import Hasher
from ua_bot.messages import Incoming
from ua_bot.model import ACTION_TYPES, CaseStatus
from ua_bot.stats import case_stats

POPULATION = 50_000
SUBSCRIBED = 10_000
CASES = 4
DAYS = 30
TARGETS = 3  # 0 (no specific target), 1, 2
FIRST_DAY = dt.date(2017, 11, 20)
PLACES = [("telegram", ""), ("slack", "T1"), ("slack", "T2")]
SECRET = "bench-secret-0123456789"
UAS = ["253/17", "12/18", "13/18", "14/18"]


def _actions(n: int):
    """n distinct actions (one per supporter, case, type, target and day), spread out."""
    for i in range(n):
        s, k = i % POPULATION, i // POPULATION
        case = (k + s) % CASES
        kind = ACTION_TYPES[(k // CASES + s) % len(ACTION_TYPES)]
        target = (k // 20 + s) % TARGETS
        day = FIRST_DAY + dt.timedelta(days=(k // 60 + s) % DAYS)
        platform, workspace = PLACES[s % len(PLACES)]
        at = f"{day} {8 + s % 12:02d}:{s % 60:02d}:{k % 60:02d}.000000"
        yield (case + 1, s + 1, kind, target, platform, workspace, str(day), at)


async def _seed(db: Path, n: int) -> str:
    from tests.conftest import make_case  # the sample case, written out

    url = f"sqlite+aiosqlite:///{db}"
    engine = create_engine_for(url)
    await upgrade_async(engine)
    await engine.dispose()
    store = Store.from_url(url)
    async with store.unit() as tx:
        for ua in UAS:
            case = await tx.save_case(make_case(ua, deadline=FIRST_DAY + dt.timedelta(days=37)))
            await tx.set_status(case.id, CaseStatus.PUBLISHED)
    await store.close()

    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    with con:
        con.execute("UPDATE cases SET published_at = ?", (f"{FIRST_DAY} 07:00:00.000000",))
        con.executemany(
            "INSERT INTO supporters (id, key, created_at) VALUES (?, ?, ?)",
            ((i + 1, f"{i:064x}", "2017-11-01 00:00:00") for i in range(POPULATION)),
        )
        con.executemany(
            "INSERT INTO subscriptions (supporter_id, address, platform, topics, created_at)"
            " VALUES (?, ?, 'telegram', 'all', '2017-11-01 00:00:00')",
            ((i + 1, f"telegram:{i}") for i in range(SUBSCRIBED)),
        )
        con.executemany(
            "INSERT INTO actions (case_id, supporter_id, action_type, target_no, platform,"
            " workspace, day, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            _actions(n),
        )
        con.execute(
            "INSERT INTO action_counts SELECT case_id, action_type, target_no, platform,"
            " workspace, day, count(*) FROM actions"
            " GROUP BY case_id, action_type, target_no, platform, workspace, day"
        )
        con.execute(
            "INSERT INTO case_supporters SELECT DISTINCT case_id, supporter_id FROM actions"
        )
        con.execute(
            "UPDATE cases SET actions_count = (SELECT count(*) FROM actions a"
            " WHERE a.case_id = cases.id), supporters_count = (SELECT count(*)"
            " FROM case_supporters cs WHERE cs.case_id = cases.id)"
        )
    con.execute("ANALYZE")
    con.close()
    return url


async def _median(fn, runs: int) -> float:
    await fn()  # warm-up: caches, imports, fonts
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        await fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


async def _measure(db: Path, n: int) -> tuple[float, float]:
    url = await _seed(db, n)
    store = Store.from_url(url)
    settings = Settings(
        database_url=url, ua_bot_secret=SECRET, ua_bot_organisers="bench:org", _env_file=None
    )
    core = Core(
        store,
        settings,
        Hasher(SECRET.encode()),
        command_table(),
        clock=lambda: dt.datetime(2017, 12, 20, 12, tzinfo=dt.UTC),
    )
    case = await core.cases.get(UAS[0])
    assert case is not None

    async def full() -> None:
        inc = Incoming.command_line(f"/stats {UAS[0]}", address="bench:org", user="bench:org")
        replies = await core.handle(inc)
        assert len(replies) == 2, "text and chart"

    async def figures() -> None:
        st = await case_stats(store, case)
        assert st.actions > 0

    try:
        return await _median(full, 7), await _median(figures, 21)
    finally:
        await store.close()


async def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as d:
        small_full, small_fig = await _measure(Path(d) / "10k.db", 10_000)
        big_full, big_fig = await _measure(Path(d) / "1m.db", 1_000_000)
    out = []
    for label, small, big in (
        ("/stats UA (text + chart)", small_full, big_full),
        ("/stats UA figures only (no chart)", small_fig, big_fig),
    ):
        out += [
            {
                "name": f"{label} at 10,000 actions",
                "value": round(small, 1),
                "unit": "ms",
                "goal": None,
            },
            {
                "name": f"{label} at 1,000,000 actions",
                "value": round(big, 1),
                "unit": "ms",
                "goal": round(3 * small, 1),
            },
            {
                "name": f"{label}: 1M / 10k",
                "value": round(big / small, 2),
                "unit": "ratio",
                "goal": 3,
                "better": "lower",
            },
        ]
    return out

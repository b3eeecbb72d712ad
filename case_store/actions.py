"""Recording actions (batched, once a day per supporter, case, type and target), undo, totals."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from case_store.cases import now
from case_store.supporters import dialect_insert
from case_store.tables import action_counts, actions, case_supporters, cases, deliveries, supporters


@dataclass(frozen=True)
class ActionRequest:
    """One supporter's confirmation of one action."""

    supporter_key: str
    case_id: int
    action_type: str
    target_no: int = 0
    platform: str = ""
    workspace: str = ""
    day: dt.date | None = None
    delivery_key: str | None = None


@dataclass(frozen=True)
class ActionResult:
    """What became of a confirmation."""

    recorded: bool
    duplicate: bool = False  # already recorded today (a double tap)
    replayed: bool = False  # the same platform delivery seen before
    closed: bool = False  # the case no longer accepts actions
    supporters: int = 0
    actions: int = 0
    lang: str | None = None  # the supporter's language, read by the same statement


COUNT_KEYS = ("case_id", "action_type", "target_no", "platform", "workspace", "day")
ACTION_KEY = ("supporter_id", "case_id", "action_type", "target_no", "day")
_STATEMENTS: dict[str, dict[str, Any]] = {}


def _statements(conn: AsyncConnection) -> dict[str, Any]:
    """The hot path's statements, built once per dialect (their cache keys are memoised)."""
    name = conn.dialect.name
    if name in _STATEMENTS:
        return _STATEMENTS[name]
    sup = dialect_insert(conn, supporters)
    cnt = dialect_insert(conn, action_counts)
    ids: Any = bindparam("ids", expanding=True)
    st = {
        "deliveries": dialect_insert(conn, deliveries)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(deliveries.c.key),
        "status": select(cases.c.id, cases.c.status).where(cases.c.id.in_(ids)),
        "supporters": sup.on_conflict_do_update(
            index_elements=["key"], set_={"key": sup.excluded.key}
        ).returning(supporters.c.key, supporters.c.id, supporters.c.lang),
        "actions": dialect_insert(conn, actions)
        .on_conflict_do_nothing(index_elements=list(ACTION_KEY))
        .returning(*(actions.c[k] for k in ACTION_KEY)),
        "counts": cnt.on_conflict_do_update(
            index_elements=list(COUNT_KEYS),
            set_={"count": action_counts.c.count + cnt.excluded.count},
        ),
        "case_supporters": dialect_insert(conn, case_supporters)
        .on_conflict_do_nothing()
        .returning(case_supporters.c.case_id),
        "bump": update(cases)
        .where(cases.c.id == bindparam("cid"))
        .values(
            actions_count=cases.c.actions_count + bindparam("n_act"),
            supporters_count=cases.c.supporters_count + bindparam("n_sup"),
        )
        .returning(cases.c.supporters_count, cases.c.actions_count),
        "totals": select(cases.c.id, cases.c.supporters_count, cases.c.actions_count).where(
            cases.c.id.in_(ids)
        ),
    }
    _STATEMENTS[name] = st
    return st


async def record_actions(conn: AsyncConnection, reqs: Sequence[ActionRequest]) -> list[Any]:
    """Record a batch of confirmations in the caller's transaction.

    A handful of statements whatever the batch size: each ``INSERT ... ON CONFLICT
    DO NOTHING RETURNING`` tells which rows are new, so replays and double taps are
    sorted out by the database's unique keys, also between concurrent processes.
    """
    ts = now()
    today = ts.date()
    st = _statements(conn)
    results: list[ActionResult | None] = [None] * len(reqs)
    live = list(range(len(reqs)))

    # 1. A platform delivery seen before is a replay: answer nothing, change nothing.
    dkeys = list(dict.fromkeys(r.delivery_key for r in reqs if r.delivery_key))
    if dkeys:
        keyed = [{"key": k, "created_at": ts} for k in dkeys]
        fresh_keys = set((await conn.execute(st["deliveries"], keyed)).scalars())
        live = []
        for i, r in enumerate(reqs):
            if r.delivery_key and r.delivery_key not in fresh_keys:
                results[i] = ActionResult(recorded=False, replayed=True)
            else:
                fresh_keys.discard(r.delivery_key)  # a second copy in this batch is a replay
                live.append(i)

    # 2. The cases must still be open.
    case_ids = {reqs[i].case_id for i in live}
    status: dict[int, str] = {}
    if case_ids:
        rows = await conn.execute(st["status"], {"ids": list(case_ids)})
        status = {cid: state for cid, state in rows.all()}
    still = []
    for i in live:
        if status.get(reqs[i].case_id) != "published":
            results[i] = ActionResult(recorded=False, closed=True)
        else:
            still.append(i)

    # 3. Supporters, created on their first action; one statement returns every id.
    skeys = sorted({reqs[i].supporter_key for i in still})
    ids: dict[str, int] = {}
    langs: dict[str, str | None] = {}
    if skeys:
        rows = await conn.execute(st["supporters"], [{"key": k, "created_at": ts} for k in skeys])
        for k, sid, lang in rows.all():
            ids[k], langs[k] = sid, lang

    # 4. Once a day per supporter, case, type and target: a double tap counts once.
    wanted = []
    for i in still:
        r = reqs[i]
        wanted.append(
            {
                "case_id": r.case_id,
                "supporter_id": ids[r.supporter_key],
                "action_type": r.action_type,
                "target_no": r.target_no,
                "platform": r.platform,
                "workspace": r.workspace,
                "day": r.day or today,
                "created_at": ts,
            }
        )
    fresh: list[dict] = []
    if wanted:
        inserted = {tuple(x) for x in (await conn.execute(st["actions"], wanted)).all()}
    else:
        inserted = set()
    fresh_idx = []
    for i, row in zip(still, wanted, strict=True):
        k = tuple(row[c] for c in ACTION_KEY)
        if k in inserted:
            inserted.discard(k)
            fresh.append(row)
            fresh_idx.append(i)
        else:
            results[i] = ActionResult(recorded=False, duplicate=True)

    totals: dict[int, tuple[int, int]] = {}
    if fresh:
        # 5. Running totals, so that reports do not grow with history.
        agg = Counter(tuple(r[c] for c in COUNT_KEYS) for r in fresh)
        await conn.execute(
            st["counts"],
            [dict(zip(COUNT_KEYS, k, strict=True), count=n) for k, n in agg.items()],
        )
        pairs = sorted({(r["case_id"], r["supporter_id"]) for r in fresh})
        links = [{"case_id": c, "supporter_id": s} for c, s in pairs]
        new_sup = Counter((await conn.execute(st["case_supporters"], links)).scalars().all())
        for cid, n in Counter(r["case_id"] for r in fresh).items():
            bump = {"cid": cid, "n_act": n, "n_sup": new_sup.get(cid, 0)}
            bumped = (await conn.execute(st["bump"], bump)).one()
            totals[cid] = (bumped[0], bumped[1])
    missing = {reqs[i].case_id for i, r in enumerate(results) if r is None or r.duplicate}
    missing -= set(totals)
    if missing:
        rows = await conn.execute(st["totals"], {"ids": list(missing)})
        totals.update({cid: (s, a) for cid, s, a in rows.all()})
    for i in fresh_idx:
        s, a = totals[reqs[i].case_id]
        lang = langs.get(reqs[i].supporter_key)
        results[i] = ActionResult(recorded=True, supporters=s, actions=a, lang=lang)
    for i, res in enumerate(results):
        if res is not None and res.duplicate:
            s, a = totals.get(reqs[i].case_id, (0, 0))
            lang = langs.get(reqs[i].supporter_key)
            results[i] = ActionResult(
                recorded=False, duplicate=True, supporters=s, actions=a, lang=lang
            )
    return results


class ActionQueries:
    """Mixin for :class:`case_store.store.Tx`."""

    conn: AsyncConnection

    async def undo_last_action(self, supporter_key: str) -> Any:
        """Remove the supporter's most recent action; returns its row or ``None``."""
        sid = (
            await self.conn.execute(
                select(supporters.c.id).where(supporters.c.key == supporter_key)
            )
        ).scalar()
        if sid is None:
            return None
        row = (
            await self.conn.execute(
                select(actions)
                .where(actions.c.supporter_id == sid)
                .order_by(actions.c.id.desc())
                .limit(1)
            )
        ).first()
        if row is None:
            return None
        await self.conn.execute(delete(actions).where(actions.c.id == row.id))
        await self.conn.execute(
            update(action_counts)
            .where(
                and_(
                    action_counts.c.case_id == row.case_id,
                    action_counts.c.action_type == row.action_type,
                    action_counts.c.target_no == row.target_no,
                    action_counts.c.platform == row.platform,
                    action_counts.c.workspace == row.workspace,
                    action_counts.c.day == row.day,
                )
            )
            .values(count=action_counts.c.count - 1)
        )
        left = (
            await self.conn.execute(
                select(func.count())
                .select_from(actions)
                .where(actions.c.supporter_id == sid, actions.c.case_id == row.case_id)
            )
        ).scalar_one()
        lost_supporter = 0
        if left == 0:
            await self.conn.execute(
                delete(case_supporters).where(
                    case_supporters.c.case_id == row.case_id, case_supporters.c.supporter_id == sid
                )
            )
            lost_supporter = 1
        await self.conn.execute(
            update(cases)
            .where(cases.c.id == row.case_id)
            .values(
                actions_count=cases.c.actions_count - 1,
                supporters_count=cases.c.supporters_count - lost_supporter,
            )
        )
        return row

    async def action_totals(self, case_id: int) -> dict[str, int]:
        """Actions by type for a case, from the running totals."""
        q = (
            select(action_counts.c.action_type, func.sum(action_counts.c.count))
            .where(action_counts.c.case_id == case_id)
            .group_by(action_counts.c.action_type)
        )
        return {t: int(n) for t, n in (await self.conn.execute(q)).all() if n}

    async def case_totals(self, case_id: int) -> tuple[int, int]:
        """(supporters who acted, actions) for a case."""
        row = (
            await self.conn.execute(
                select(cases.c.supporters_count, cases.c.actions_count).where(cases.c.id == case_id)
            )
        ).first()
        return (row[0], row[1]) if row else (0, 0)

    async def supporter_actions(self, supporter_key: str) -> list[Any]:
        """The supporter's own action rows (for /mystats and /my_data)."""
        q = (
            select(actions, cases.c.ua_number)
            .join(supporters, supporters.c.id == actions.c.supporter_id)
            .join(cases, cases.c.id == actions.c.case_id)
            .where(supporters.c.key == supporter_key)
            .order_by(actions.c.id)
        )
        return list((await self.conn.execute(q)).all())

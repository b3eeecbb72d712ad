"""Recording actions (batched, once a day per supporter, case, type and target), undo, totals."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, delete, func, insert, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from case_store.cases import now
from case_store.supporters import upsert_ignore
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


def _counts_upsert(conn: AsyncConnection):
    keys = ["case_id", "action_type", "target_no", "platform", "workspace", "day"]
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    stmt = dialect_insert(action_counts)
    return stmt.on_conflict_do_update(
        index_elements=keys, set_={"count": action_counts.c.count + stmt.excluded.count}
    )


def _key(r: Any) -> tuple:
    return (r.supporter_id, r.case_id, r.action_type, r.target_no, r.day)


async def record_actions(conn: AsyncConnection, reqs: Sequence[ActionRequest]) -> list[Any]:
    """Record a batch of confirmations in the caller's transaction, with a few statements."""
    ts = now()
    today = ts.date()
    results: list[ActionResult | None] = [None] * len(reqs)

    # 1. Platform deliveries seen before are answered as replays.
    dkeys = [r.delivery_key for r in reqs if r.delivery_key]
    seen: set[str] = set()
    if dkeys:
        q = select(deliveries.c.key).where(deliveries.c.key.in_(dkeys))
        seen = set((await conn.execute(q)).scalars())
    live: list[int] = []
    for i, r in enumerate(reqs):
        if r.delivery_key and r.delivery_key in seen:
            results[i] = ActionResult(recorded=False, replayed=True)
        else:
            if r.delivery_key:
                seen.add(r.delivery_key)
            live.append(i)
    new_dkeys = [reqs[i].delivery_key for i in live if reqs[i].delivery_key]
    if new_dkeys:
        await conn.execute(
            upsert_ignore(conn, deliveries, index_elements=["key"]),
            [{"key": k, "created_at": ts} for k in new_dkeys],
        )

    # 2. The cases must still be open.
    case_ids = {reqs[i].case_id for i in live}
    status = dict(
        (
            await conn.execute(select(cases.c.id, cases.c.status).where(cases.c.id.in_(case_ids)))
        ).all()
    )
    still: list[int] = []
    for i in live:
        if status.get(reqs[i].case_id) != "published":
            results[i] = ActionResult(recorded=False, closed=True)
        else:
            still.append(i)

    # 3. Supporters, created on their first action.
    skeys = sorted({reqs[i].supporter_key for i in still})
    ids: dict[str, int] = {}
    if skeys:
        await conn.execute(
            upsert_ignore(conn, supporters, index_elements=["key"]),
            [{"key": k, "created_at": ts} for k in skeys],
        )
        q = select(supporters.c.key, supporters.c.id).where(supporters.c.key.in_(skeys))
        ids = dict((await conn.execute(q)).all())

    # 4. Once a day per supporter, case, type and target: a double tap counts once.
    rows = []
    for i in still:
        r = reqs[i]
        rows.append(
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
    existing: set[tuple] = set()
    if rows:
        q = select(
            actions.c.supporter_id,
            actions.c.case_id,
            actions.c.action_type,
            actions.c.target_no,
            actions.c.day,
        ).where(
            actions.c.supporter_id.in_({r["supporter_id"] for r in rows}),
            actions.c.case_id.in_({r["case_id"] for r in rows}),
            actions.c.day.in_({r["day"] for r in rows}),
        )
        existing = {tuple(x) for x in (await conn.execute(q)).all()}
    fresh, fresh_idx = [], []
    for i, row in zip(still, rows, strict=True):
        k = (row["supporter_id"], row["case_id"], row["action_type"], row["target_no"], row["day"])
        if k in existing:
            results[i] = ActionResult(recorded=False, duplicate=True)
        else:
            existing.add(k)
            fresh.append(row)
            fresh_idx.append(i)
    if fresh:
        await conn.execute(insert(actions), fresh)
        # 5. Running totals.
        agg = Counter(
            (
                r["case_id"],
                r["action_type"],
                r["target_no"],
                r["platform"],
                r["workspace"],
                r["day"],
            )
            for r in fresh
        )
        await conn.execute(
            _counts_upsert(conn),
            [
                dict(
                    zip(
                        ("case_id", "action_type", "target_no", "platform", "workspace", "day"),
                        k,
                        strict=True,
                    ),
                    count=n,
                )
                for k, n in agg.items()
            ],
        )
        pairs = {(r["case_id"], r["supporter_id"]) for r in fresh}
        q = select(case_supporters.c.case_id, case_supporters.c.supporter_id).where(
            tuple_(case_supporters.c.case_id, case_supporters.c.supporter_id).in_(list(pairs))
        )
        known = {tuple(x) for x in (await conn.execute(q)).all()}
        new_pairs = sorted(pairs - known)
        if new_pairs:
            await conn.execute(
                insert(case_supporters),
                [{"case_id": c, "supporter_id": s} for c, s in new_pairs],
            )
        new_sup = Counter(c for c, _ in new_pairs)
        new_act = Counter(r["case_id"] for r in fresh)
        for cid, n in new_act.items():
            await conn.execute(
                update(cases)
                .where(cases.c.id == cid)
                .values(
                    actions_count=cases.c.actions_count + n,
                    supporters_count=cases.c.supporters_count + new_sup.get(cid, 0),
                )
            )
    totals = dict(
        (r.id, (r.supporters_count, r.actions_count))
        for r in (
            await conn.execute(
                select(cases.c.id, cases.c.supporters_count, cases.c.actions_count).where(
                    cases.c.id.in_(case_ids)
                )
            )
        ).all()
    )
    for i in fresh_idx:
        s, a = totals.get(reqs[i].case_id, (0, 0))
        results[i] = ActionResult(recorded=True, supporters=s, actions=a)
    for i, res in enumerate(results):
        if res is not None and not res.recorded and not res.replayed:
            s, a = totals.get(reqs[i].case_id, (0, 0))
            results[i] = ActionResult(
                recorded=False, duplicate=res.duplicate, closed=res.closed, supporters=s, actions=a
            )
    return results  # type: ignore[return-value]


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

"""Queries behind organiser reports: running totals, subscriber share, first action, export.

Every query here reads the running totals (``action_counts``, ``cases.*_count``) or walks an
index by case, so a report costs the same after ten thousand actions as after a million.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import distinct, exists, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from case_store.tables import action_counts, actions, case_supporters, cases, subscriptions


@dataclass(frozen=True)
class CountRow:
    """One cell of the running totals: a day, type, target, platform and workspace."""

    day: dt.date
    action_type: str
    target_no: int
    platform: str
    workspace: str
    count: int


class StatsQueries:
    """Mixin for :class:`case_store.store.Tx`."""

    conn: AsyncConnection

    async def count_rows(self, case_id: int) -> list[CountRow]:
        """The non-zero running-total cells of a case (one indexed range of ``action_counts``)."""
        c = action_counts.c
        q = select(c.day, c.action_type, c.target_no, c.platform, c.workspace, c.count).where(
            c.case_id == case_id, c.count > 0
        )
        return [CountRow(*r) for r in (await self.conn.execute(q)).all()]

    async def workspace_totals(
        self, case_ids: Sequence[int], platform: str, workspace: str
    ) -> dict[int, int]:
        """Actions per case recorded from one workspace of one platform."""
        if not case_ids:
            return {}
        c = action_counts.c
        q = (
            select(c.case_id, func.sum(c.count))
            .where(c.case_id.in_(list(case_ids)), c.platform == platform, c.workspace == workspace)
            .group_by(c.case_id)
        )
        return {cid: int(n or 0) for cid, n in (await self.conn.execute(q)).all()}

    async def totals_of(self, case_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
        """(supporters who acted, actions) for several cases in one query."""
        if not case_ids:
            return {}
        q = select(cases.c.id, cases.c.supporters_count, cases.c.actions_count).where(
            cases.c.id.in_(list(case_ids))
        )
        return {cid: (s, a) for cid, s, a in (await self.conn.execute(q)).all()}

    async def subscriber_share(self, case_id: int) -> tuple[int, int]:
        """(subscribed supporters who acted on the case, subscribed supporters).

        A subscribed supporter is a distinct supporter with at least one subscription, in
        any chat; "acted" means they have a ``case_supporters`` row for the case. The count
        walks the smaller of the two sets and probes the other's index, so it costs
        O(min(subscribers, the case's supporters)), whatever the length of the history.
        """
        s, cs = subscriptions.c, case_supporters.c
        total = (await self.conn.execute(select(func.count(distinct(s.supporter_id))))).scalar_one()
        acted_count = (
            await self.conn.execute(select(cases.c.supporters_count).where(cases.c.id == case_id))
        ).scalar() or 0
        if not total or not acted_count:
            return 0, int(total)
        if acted_count <= total:
            subscribed = exists().where(s.supporter_id == cs.supporter_id)
            q = (
                select(func.count())
                .select_from(case_supporters)
                .where(cs.case_id == case_id, subscribed)
            )
        else:
            acted = exists().where(cs.case_id == case_id, cs.supporter_id == s.supporter_id)
            q = select(func.count(distinct(s.supporter_id))).where(acted)
        return int((await self.conn.execute(q)).scalar_one()), int(total)

    async def first_action_since(self, case_id: int, since: dt.datetime) -> dt.datetime | None:
        """When the first action on the case at or after ``since`` was recorded.

        Served by the index ``ix_actions_case_created`` (one index seek).
        """
        q = select(func.min(actions.c.created_at)).where(
            actions.c.case_id == case_id, actions.c.created_at >= since
        )
        return (await self.conn.execute(q)).scalar()

    async def export_rows(self, case_ids: Sequence[int]) -> list[Any]:
        """Counts per case, day, type, target and platform (workspaces summed), in order."""
        if not case_ids:
            return []
        c = action_counts.c
        n = func.sum(c.count).label("count")
        q = (
            select(c.case_id, c.day, c.action_type, c.target_no, c.platform, n)
            .where(c.case_id.in_(list(case_ids)))
            .group_by(c.case_id, c.day, c.action_type, c.target_no, c.platform)
            .having(func.sum(c.count) > 0)
            .order_by(c.case_id, c.day, c.action_type, c.target_no, c.platform)
        )
        return list((await self.conn.execute(q)).all())

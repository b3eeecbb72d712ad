"""What a group did: actions recorded from one Slack workspace or one Telegram group.

Read from the running totals (``action_counts``), whose ``workspace`` column holds the Slack
team id or ``tg:<chat id>`` for a Telegram group; never from who acted.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from case_store.tables import action_counts


class TeamQueries:
    """Mixin for :class:`case_store.store.Tx`."""

    conn: AsyncConnection

    async def team_totals(
        self, platform: str, workspace: str, since: dt.date | None = None
    ) -> tuple[int, int]:
        """(actions, cases acted on) recorded from the workspace, from ``since`` on."""
        c = action_counts.c
        q = select(c.case_id, func.sum(c.count)).where(
            c.platform == platform, c.workspace == workspace
        )
        if since is not None:
            q = q.where(c.day >= since)
        rows = (await self.conn.execute(q.group_by(c.case_id))).all()
        per_case = [int(n or 0) for _, n in rows]
        return sum(per_case), sum(1 for n in per_case if n > 0)

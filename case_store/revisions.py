"""Pending revisions (a re-imported document waiting for review), the fields an organiser
corrected by hand, and the per-field change log they write."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    ForeignKey,
    String,
    Table,
    delete,
    insert,
    select,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from case_store.cases import now
from case_store.organiser_tables import case_changes
from case_store.tables import Id, metadata

case_revisions = Table(
    "case_revisions",
    metadata,
    Column("case_id", Id, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("file", String(255), nullable=False),
    Column("document", JSON, nullable=False),  # the document's case, as Case.to_json + keys
    Column("actor", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

case_hand_edits = Table(
    "case_hand_edits",
    metadata,
    Column("case_id", Id, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("field", String(200), primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
)


class RevisionQueries:
    """Mixin for :class:`case_store.store.Tx`."""

    conn: AsyncConnection

    async def put_revision(
        self, case_id: int, file: str, document: dict[str, Any], actor: str
    ) -> None:
        """Keep ``document`` as the case's pending revision (a newer one replaces it)."""
        await self.drop_revision(case_id)
        await self.conn.execute(
            insert(case_revisions).values(
                case_id=case_id, file=file[:255], document=document, actor=actor,
                created_at=now(),
            )
        )  # fmt: skip

    async def pending_revision(self, case_id: int, lock: bool = False) -> Any:
        """The pending revision's row (file, document, actor, created_at), or ``None``;
        ``lock``: held until the transaction ends, so two accepts of it run one after the
        other (SQLite's transactions are serial already)."""
        q = select(case_revisions).where(case_revisions.c.case_id == case_id)
        if lock:
            q = q.with_for_update()
        return (await self.conn.execute(q)).first()

    async def drop_revision(self, case_id: int) -> None:
        await self.conn.execute(delete(case_revisions).where(case_revisions.c.case_id == case_id))

    async def hand_edits(self, case_id: int) -> set[str]:
        """The fields (stable names) an organiser corrected by hand."""
        q = select(case_hand_edits.c.field).where(case_hand_edits.c.case_id == case_id)
        return set((await self.conn.execute(q)).scalars().all())

    async def mark_hand_edits(self, case_id: int, fields: set[str], hand: bool) -> None:
        """Mark ``fields`` corrected by hand (``hand``), or no longer so."""
        if not fields:
            return
        names = sorted(f[:200] for f in fields)
        await self.conn.execute(
            delete(case_hand_edits).where(
                case_hand_edits.c.case_id == case_id, case_hand_edits.c.field.in_(names)
            )
        )
        if hand:
            ts = now()
            await self.conn.execute(
                insert(case_hand_edits), [{"case_id": case_id, "field": f, "at": ts} for f in names]
            )

    async def log_field_changes(
        self, actor: str, case_id: int, ua: str, rows: list[tuple[str, str, str]]
    ) -> None:
        """One change-log row per (field, before, after)."""
        if rows:
            ts = now()
            await self.conn.execute(
                insert(case_changes),
                [
                    {"actor": actor, "case_id": case_id, "ua_number": ua, "field": f[:64],
                     "before": a, "after": b, "at": ts}
                    for f, a, b in rows
                ],
            )  # fmt: skip

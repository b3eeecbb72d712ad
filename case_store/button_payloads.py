"""Button payloads too long for a platform's button field, kept under a short key.

A chat platform may cap what a button carries (64 bytes on some); the adapter then
sends a short key and finds the payload here when the button is pressed, also after a
restart. Keys are derived from the payload, so the same payload is stored once.
"""

from __future__ import annotations

import base64
import hashlib

from sqlalchemy import Column, DateTime, String, Table, Text, select
from sqlalchemy.ext.asyncio import AsyncConnection

from case_store.cases import now
from case_store.supporters import upsert_ignore
from case_store.tables import metadata

button_payloads = Table(
    "button_payloads",
    metadata,
    Column("key", String(24), primary_key=True),
    Column("payload", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


def payload_key(payload: str) -> str:
    """A 16-character URL-safe key for a payload (96 bits of SHA-256)."""
    digest = hashlib.sha256(payload.encode()).digest()[:12]
    return base64.urlsafe_b64encode(digest).decode()


async def save_payloads(conn: AsyncConnection, by_key: dict[str, str]) -> None:
    """Store payloads under their keys; keys stored before are left as they are."""
    if not by_key:
        return
    ts = now()
    stmt = upsert_ignore(conn, button_payloads, index_elements=["key"])
    await conn.execute(
        stmt, [{"key": k, "payload": p, "created_at": ts} for k, p in by_key.items()]
    )


async def load_payload(conn: AsyncConnection, key: str) -> str | None:
    q = select(button_payloads.c.payload).where(button_payloads.c.key == key)
    return (await conn.execute(q)).scalar()

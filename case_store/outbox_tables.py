"""Broadcast tables: a ``broadcasts`` row per message to many, an ``outbox`` row per recipient.

An outbox row is small on purpose (no message text: the worker builds the message from the
broadcast's case, kind and update when it sends), so a million of them stay cheap.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    text,
)

from case_store.tables import Id, metadata

# Outbox row states.
PENDING, SENT, FAILED, GONE, CANCELLED = "pending", "sent", "failed", "gone", "cancelled"
# Broadcast states.
SENDING, DONE = "sending", "done"

broadcasts = Table(
    "broadcasts",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    # One broadcast per case, kind and update: running it again only adds new recipients.
    Column("key", String(64), nullable=False, unique=True),
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),  # new | update | reminder
    Column("update_id", ForeignKey("case_updates.id", ondelete="CASCADE"), nullable=True),
    Column("state", String(16), nullable=False, default=SENDING),
    Column("total", Integer, nullable=False, default=0),
    Column("sent", Integer, nullable=False, default=0),
    Column("failed", Integer, nullable=False, default=0),
    Column("gone", Integer, nullable=False, default=0),
    Column("cancelled", Integer, nullable=False, default=0),
    # Where the progress message goes (the organiser's chat), and its platform message id.
    Column("organiser_address", String(255), nullable=True),
    Column("progress_message_id", String(128), nullable=True),
    Column("progress_text", String(500), nullable=True),
    Column("progress_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("broadcast_id", ForeignKey("broadcasts.id", ondelete="CASCADE"), nullable=False),
    Column("address", String(255), nullable=False),
    Column("platform", String(16), nullable=False),
    Column("state", String(16), nullable=False, default=PENDING),
    Column("attempts", Integer, nullable=False, default=0),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("claimed_until", DateTime(timezone=True), nullable=True),
    Column("claimed_by", String(64), nullable=True),
    Column("message_id", String(128), nullable=True),
    Column("sent_at", DateTime(timezone=True), nullable=True),
    Column("error", String(200), nullable=True),
    UniqueConstraint("broadcast_id", "address", name="uq_outbox_broadcast_address"),
    # The claim scans pending rows of one platform in id order: this index holds only them.
    Index(
        "ix_outbox_pending",
        "platform",
        "id",
        postgresql_where=text("state = 'pending'"),
        sqlite_where=text("state = 'pending'"),
    ),
)

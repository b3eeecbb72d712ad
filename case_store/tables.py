"""Table definitions (SQLAlchemy Core). Alembic migrations own the real schema."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

metadata = MetaData()

# BigInteger ids that are still SQLite rowid aliases.
Id = BigInteger().with_variant(Integer(), "sqlite")

cases = Table(
    "cases",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("ua_number", String(16), nullable=False, unique=True),
    Column("ua_written", String(64), nullable=False, default=""),
    Column("title", Text, nullable=False),
    Column("summary", Text, nullable=False, default=""),
    Column("persons", JSON, nullable=False, default=list),
    Column("country", String(128), nullable=False, default=""),
    Column("demands", JSON, nullable=False, default=list),
    Column("deadline", Date, nullable=True),
    Column("additional_information", Text, nullable=False, default=""),
    Column("status", String(16), nullable=False, default="draft", index=True),
    Column("outcome", Text, nullable=False, default=""),
    Column("issue_date", Date, nullable=True),
    Column("languages", JSON, nullable=False, default=list),
    Column("letter", Text, nullable=False, default=""),
    Column("goal", Integer, nullable=True),
    Column("supporters_count", Integer, nullable=False, default=0),
    Column("actions_count", Integer, nullable=False, default=0),
    Column("extra", JSON, nullable=False, default=dict),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=True),
    Column("closed_at", DateTime(timezone=True), nullable=True),
)

targets = Table(
    "targets",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("title", Text, nullable=False, default=""),
    Column("organisation", Text, nullable=False, default=""),
    Column("is_copy", Boolean, nullable=False, default=False),
    Column("details", JSON, nullable=False, default=dict),
    UniqueConstraint("case_id", "position", name="uq_targets_case_position"),
)

case_updates = Table(
    "case_updates",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("outcome", Text, nullable=False, default=""),
    Column("deadline", Date, nullable=True),
    Column("details", JSON, nullable=False, default=dict),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# A case's own words in another language, added by an organiser (UA.es.txt, the web pages).
case_translations = Table(
    "case_translations",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    Column("lang", String(8), nullable=False),
    Column("title", Text, nullable=False, default=""),
    Column("summary", Text, nullable=False, default=""),
    Column("demands", JSON, nullable=False, default=list),
    Column("salutations", JSON, nullable=False, default=list),
    Column("persons", JSON, nullable=False, default=list),
    # {"update": [source, text], "outcome": [source, text]}: the news, translated
    Column("news", JSON, nullable=True),
    Column("sources", JSON, nullable=False, default=dict),  # the English each part translates
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("case_id", "lang", name="uq_case_translations_case_lang"),
)

# A supporter is only ever a keyed hash of their platform identity.
supporters = Table(
    "supporters",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("key", String(64), nullable=False, unique=True),
    Column("lang", String(8), nullable=True),
    Column("signature", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# "The text of this case is in English", told once per supporter, case and language.
english_notes = Table(
    "english_notes",
    metadata,
    Column("supporter_id", ForeignKey("supporters.id", ondelete="CASCADE"), primary_key=True),
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("lang", String(8), primary_key=True),
)

actions = Table(
    "actions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    Column("supporter_id", ForeignKey("supporters.id", ondelete="SET NULL"), nullable=True),
    Column("action_type", String(16), nullable=False),
    Column("target_no", Integer, nullable=False, default=0),
    Column("platform", String(16), nullable=False),
    Column("workspace", String(64), nullable=False, default=""),
    Column("day", Date, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint(
        "supporter_id", "case_id", "action_type", "target_no", "day", name="uq_actions_once_a_day"
    ),
    Index("ix_actions_case_day", "case_id", "day"),
    # The first action since publication (or a broadcast) is one seek on this index.
    Index("ix_actions_case_created", "case_id", "created_at"),
)

# Running totals kept as actions are recorded, so /stats does not grow with history.
action_counts = Table(
    "action_counts",
    metadata,
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("action_type", String(16), primary_key=True),
    Column("target_no", Integer, primary_key=True),
    Column("platform", String(16), primary_key=True),
    Column("workspace", String(64), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("count", Integer, nullable=False, default=0),
)

case_supporters = Table(
    "case_supporters",
    metadata,
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("supporter_id", ForeignKey("supporters.id", ondelete="CASCADE"), primary_key=True),
)

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column(
        "supporter_id", ForeignKey("supporters.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("address", String(255), nullable=False),
    Column("platform", String(16), nullable=False),
    Column("topics", String(64), nullable=False, default="all"),
    Column("country", String(128), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # a group or channel, not the supporter's own chat: what is meant for supporters who
    # acted (an update's first round) does not go there
    Column("shared", Boolean, nullable=False, default=False, server_default=false()),
    UniqueConstraint("supporter_id", "address", name="uq_subscriptions_supporter_address"),
)

# The current case of a chat, keyed by a hash of the chat address.
chat_state = Table(
    "chat_state",
    metadata,
    Column("chat_key", String(64), primary_key=True),
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

deliveries = Table(
    "deliveries",
    metadata,
    Column("key", String(128), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),
)

"""after the action: attempt outcomes, failures per channel, contact warnings

Revision ID: 0016_after
Revises: 0010_web
Create Date: 2026-12-07 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_after"
down_revision: str | Sequence[str] | None = "0010_web"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("actions") as batch:
        batch.add_column(sa.Column("outcome", sa.String(16), nullable=False, server_default=""))
    op.create_table(
        "outcome_counts",
        sa.Column("case_id", _ID, sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("action_type", sa.String(16), primary_key=True),
        sa.Column("target_no", sa.Integer, primary_key=True),
        sa.Column("outcome", sa.String(16), primary_key=True),
        sa.Column("platform", sa.String(16), primary_key=True),
        sa.Column("workspace", sa.String(64), primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("count", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "contact_warnings",
        sa.Column("case_id", _ID, sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("target_no", sa.Integer, primary_key=True),
        sa.Column("channel", sa.String(16), primary_key=True),
        sa.Column("contact", sa.Text, nullable=False, server_default=""),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("warned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
    )

    op.create_table(
        "official_replies",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("case_id", _ID, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
        sa.Column("target_no", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_official_replies_case", "official_replies", ["case_id", "target_no"])


def downgrade() -> None:
    op.drop_table("official_replies")
    op.drop_table("contact_warnings")
    op.drop_table("outcome_counts")
    with op.batch_alter_table("actions") as batch:
        batch.drop_column("outcome")

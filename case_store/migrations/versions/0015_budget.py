"""shared sending budgets per platform and hit counters for the flood limit and daily cap

Revision ID: 0015_budget
Revises: 0010_web
Create Date: 2026-12-07 13:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_budget"
down_revision: str | Sequence[str] | None = "0010_web"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "send_budget",
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("paused_until", sa.Float(), nullable=False),
    )
    op.create_table(
        "limit_hits",
        sa.Column("key", sa.String(120), primary_key=True),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("expires", sa.Float(), nullable=False),
    )
    op.create_index("ix_limit_hits_expires", "limit_hits", ["expires"])


def downgrade() -> None:
    op.drop_index("ix_limit_hits_expires", table_name="limit_hits")
    op.drop_table("limit_hits")
    op.drop_table("send_budget")

"""stats: index actions by case and time, for the first action since publication

Revision ID: 0007_stats
Revises: 0001_foundation
Create Date: 2026-11-28 16:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007_stats"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.create_index("ix_actions_case_created", ["case_id", "created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.drop_index("ix_actions_case_created")

"""revisions: a re-import waits as a pending revision; hand-corrected fields are marked;
a translation keeps the English it was made from (and salutations by target key)

Revision ID: 0012_revisions
Revises: 0009_case_life, 0010_web
Create Date: 2026-12-07 13:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_revisions"
down_revision: str | Sequence[str] | None = ("0009_case_life", "0010_web")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("case_translations") as batch:
        batch.add_column(sa.Column("sources", sa.JSON(), nullable=False, server_default="{}"))
    op.create_table(
        "case_revisions",
        sa.Column("case_id", _ID, sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("file", sa.String(255), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "case_hand_edits",
        sa.Column("case_id", _ID, sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("field", sa.String(200), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("case_hand_edits")
    op.drop_table("case_revisions")
    with op.batch_alter_table("case_translations") as batch:
        batch.drop_column("sources")

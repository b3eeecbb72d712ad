"""case translations: the latest update and the outcome, translated; the "in English" note
told per supporter and case

Revision ID: 0014_lang
Revises: 0009_case_life
Create Date: 2026-12-07 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_lang"
down_revision: str | Sequence[str] | None = "0009_case_life"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.add_column("case_translations", sa.Column("news", sa.JSON(), nullable=True))
    op.create_table(
        "english_notes",
        sa.Column("supporter_id", _ID, sa.ForeignKey("supporters.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("case_id", _ID, sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("lang", sa.String(8), primary_key=True),
    )


def downgrade() -> None:
    op.drop_table("english_notes")
    op.drop_column("case_translations", "news")

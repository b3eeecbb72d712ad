"""workspace installations and OAuth states (multi-workspace chat apps); broadcast channels

Revision ID: 0003_slack
Revises: 0001_foundation

The installation, bot and OAuth-state tables are the ones slack-sdk's SQLAlchemy stores
read and write; they are built here from the stores' own definitions.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_slack"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STORE_TABLES = ("slack_installations", "slack_bots", "slack_oauth_states")


def _store_metadata() -> sa.MetaData:
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

    md = sa.MetaData()
    SQLAlchemyInstallationStore.build_installations_table(md, "slack_installations")
    SQLAlchemyInstallationStore.build_bots_table(md, "slack_bots")
    SQLAlchemyOAuthStateStore.build_oauth_states_table(md, "slack_oauth_states")
    return md


def upgrade() -> None:
    _store_metadata().create_all(op.get_bind())
    op.create_table(
        "broadcast_channels",
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("workspace", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("address"),
    )
    op.create_index(
        "ix_broadcast_channels_workspace", "broadcast_channels", ["platform", "workspace"]
    )


def downgrade() -> None:
    op.drop_index("ix_broadcast_channels_workspace", "broadcast_channels")
    op.drop_table("broadcast_channels")
    _store_metadata().drop_all(op.get_bind())

"""Alembic, driven from code: ``ua-bot migrate`` and the start-up check."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).parent / "migrations"


class NotMigrated(RuntimeError):
    """The database schema is not at the code's migration head."""


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "heads") -> None:
    """Bring the database at ``url`` to the newest schema (synchronous; runs its own loop)."""
    command.upgrade(alembic_config(url), revision)


async def upgrade_async(engine: AsyncEngine, revision: str = "heads") -> None:
    """Migrate on an existing async engine (for tests and embedded use)."""
    cfg = alembic_config(str(engine.url))

    def _go(conn) -> None:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)

    async with engine.begin() as conn:
        await conn.run_sync(_go)


def code_heads() -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


async def current_heads(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as conn:
        return set(await conn.run_sync(lambda c: MigrationContext.configure(c).get_current_heads()))


async def check_migrated(engine: AsyncEngine) -> None:
    """Raise :class:`NotMigrated` with a clear message unless the schema is current."""
    have, want = await current_heads(engine), code_heads()
    if have != want:
        state = ", ".join(sorted(have)) or "empty"
        raise NotMigrated(
            f"the database is not migrated (it is at {state}, the code needs "
            f"{', '.join(sorted(want))}): run 'ua-bot migrate'"
        )

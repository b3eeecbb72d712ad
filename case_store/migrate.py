"""Alembic, driven from code: ``ua-bot migrate``, and the schema a process readies at start."""

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


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config("sqlite://"))


def code_heads() -> set[str]:
    return set(_script().get_heads())


def code_revisions() -> set[str]:
    return {rev.revision for rev in _script().walk_revisions()}


async def current_heads(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as conn:
        return set(await conn.run_sync(lambda c: MigrationContext.configure(c).get_current_heads()))


def _not_migrated(have: set[str]) -> NotMigrated:
    """One line for the operator; internal revision names stay out of it."""
    if not have:
        state = "has no ua-bot schema yet"
    elif have - code_revisions():
        return NotMigrated(
            "the database was migrated by a newer ua-bot than this one: deploy that version"
        )
    else:
        state = "has an older ua-bot schema"
    return NotMigrated(f"the database {state}: run 'ua-bot migrate' (the Procfile's release step)")


async def check_migrated(engine: AsyncEngine) -> None:
    """Raise :class:`NotMigrated` with a clear message unless the schema is current."""
    have = await current_heads(engine)
    if have != code_heads():
        raise _not_migrated(have)


async def prepare_schema(engine: AsyncEngine) -> None:
    """Ready the schema for a process starting on ``engine``.

    The embedded SQLite default is migrated on the spot, so a newcomer never meets a schema
    message; on a server database (PostgreSQL) migrating is the release step's job, and an
    unmigrated one raises :class:`NotMigrated`.
    """
    if engine.dialect.name == "sqlite" and not (await current_heads(engine)) - code_revisions():
        await upgrade_async(engine)
    await check_migrated(engine)

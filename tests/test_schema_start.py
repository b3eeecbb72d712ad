"""A process readies its schema at start: SQLite migrates itself, PostgreSQL waits for release."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from case_store import create_engine_for
from case_store.migrate import (
    NotMigrated,
    code_heads,
    code_revisions,
    current_heads,
    prepare_schema,
    upgrade_async,
)
from tests.conftest import PG_URL, reset_postgres
from ua_bot.config import normalise_database_url


async def test_an_old_sqlite_file_is_brought_up_to_date(tmp_path):
    engine = create_engine_for(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")
    await upgrade_async(engine, "0001_foundation")
    await prepare_schema(engine)
    assert await current_heads(engine) == code_heads()
    await engine.dispose()


async def test_a_sqlite_file_from_a_newer_version_is_refused_untouched(tmp_path):
    engine = create_engine_for(f"sqlite+aiosqlite:///{tmp_path / 'new.db'}")
    await upgrade_async(engine)
    async with engine.begin() as conn:
        await conn.execute(text("INSERT INTO alembic_version VALUES ('0099_from_the_future')"))
    with pytest.raises(NotMigrated) as refused:
        await prepare_schema(engine)
    assert str(refused.value) == (
        "the database was migrated by a newer ua-bot than this one: deploy that version"
    )
    assert "0099_from_the_future" in await current_heads(engine)
    await engine.dispose()


@pytest.mark.skipif(not PG_URL, reason="UA_BOT_TEST_POSTGRES_URL is not set")
async def test_an_old_postgres_schema_waits_for_the_release_step():
    url = normalise_database_url(PG_URL)
    await reset_postgres(url)
    engine = create_engine_for(url)
    await upgrade_async(engine, "0001_foundation")
    with pytest.raises(NotMigrated) as refused:
        await prepare_schema(engine)
    message = str(refused.value)
    assert message == (
        "the database has an older ua-bot schema: "
        "run 'ua-bot migrate' (the Procfile's release step)"
    )
    assert not [rev for rev in code_revisions() if rev in message]
    assert await current_heads(engine) == {"0001_foundation"}, "PostgreSQL is not migrated on start"
    await engine.dispose()

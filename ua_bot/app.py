"""Composition: settings -> store -> core, and the checks every process makes at start-up."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from case_store import Store, prepare_schema
from ua_bot.config import Settings
from ua_bot.core import Core
from ua_bot.handlers import command_table
from ua_bot.identity import Hasher
from ua_bot.secret import check_fingerprint, deployment_secret


def sample_path() -> Path:
    """The sample UA shipped with the package (UA 253/17)."""
    return Path(str(resources.files("ua_bot") / "samples" / "ua_253_17.txt"))


@dataclass
class App:
    settings: Settings
    store: Store
    core: Core

    async def close(self) -> None:
        await self.store.close()


async def build_app(settings: Settings | None = None, *, check: bool = True) -> App:
    """Build the core on the configured store, its schema ready (see ``prepare_schema``)."""
    settings = settings or Settings()
    store = Store.from_url(settings.database_url, busy_timeout=settings.ua_bot_db_timeout)
    if check:
        try:
            await prepare_schema(store.engine)
        except Exception:
            await store.close()
            raise
    try:
        secret = deployment_secret(settings)
        if check:
            await check_fingerprint(store, secret)
    except Exception:
        await store.close()
        raise
    return App(settings, store, Core(store, settings, Hasher(secret), command_table()))


START_UP = "ua-bot:start-up"  # who imports the sample case, as the change log keys it


async def ensure_sample(app: App) -> bool:
    """On an empty database, import and publish the sample case so /case works at once."""
    from ua_bot.cases import Who
    from ua_bot.cases.imports import import_case
    from ua_bot.importer import import_file

    async with app.store.unit() as tx:
        if await tx.count_cases():
            return False
    result = import_file(sample_path())
    if result.case is None:
        return False
    who = Who.user(app.core.hasher, START_UP)
    await import_case(app.core, who, result, source=sample_path().name, publish=True)
    return True

"""Shared set-up for the Telegram tests: the fake Bot API and a polling adapter on it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from pydantic import SecretStr

from adapters.settings import DeploymentSettings
from adapters.telegram import TelegramAdapter
from tests.fakes.telegram_api import TOKEN, FakeBotAPI
from ua_bot.core import Core


def point_at(settings: DeploymentSettings, api: FakeBotAPI, **more) -> DeploymentSettings:
    settings.telegram_bot_token = SecretStr(TOKEN)
    settings.telegram_api_base_url = api.url
    for k, v in more.items():
        setattr(settings, k, SecretStr(v) if k.endswith("secret") else v)
    return settings


@contextlib.asynccontextmanager
async def polling(
    core: Core, settings: DeploymentSettings
) -> AsyncIterator[tuple[FakeBotAPI, TelegramAdapter]]:
    """A fake Bot API and the adapter long-polling it (as ``ua-bot run`` does)."""
    async with FakeBotAPI() as api:
        adapter = TelegramAdapter(core, point_at(settings, api))
        task = asyncio.create_task(adapter.run_polling())
        try:
            await api.wait_for(lambda: api.get_updates_calls > 0 or task.done())
            if task.done():
                task.result()
            yield api, adapter
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def stored_actions(store) -> list[tuple]:
    """(action type, platform, target number, supporter key) of every stored action."""
    from sqlalchemy import select

    from case_store.tables import actions, supporters

    q = (
        select(actions.c.action_type, actions.c.platform, actions.c.target_no, supporters.c.key)
        .join(supporters, supporters.c.id == actions.c.supporter_id)
        .order_by(actions.c.id)
    )
    async with store.unit() as tx:
        return [tuple(r) for r in (await tx.conn.execute(q)).all()]


async def subscribed_addresses(store) -> list[str]:
    from sqlalchemy import select

    from case_store.tables import subscriptions

    async with store.unit() as tx:
        return list((await tx.conn.execute(select(subscriptions.c.address))).scalars())


"""``ua-bot run``: every configured platform in one event loop; the console chat without any."""

from __future__ import annotations

import asyncio

from adapters.platforms import plugins_for
from ua_bot.app import App


async def run_all(app: App) -> bool:
    """Run the configured platforms until cancelled; ``False`` if none is configured."""
    tasks = [p.run() for p in plugins_for(app, web=False) if p.run]
    if not tasks:
        return False
    await asyncio.gather(*tasks)
    return True

"""Interactive replies draw on the same Telegram budget as broadcasts, and come first.

:class:`BudgetRateLimiter` is PTB's rate limiter for the web (or polling) process: before
each message it takes a reply token from the budget every process shares
(:mod:`case_store.budget`), which books the next slot even ahead of broadcasts, so a reply
waits only behind other replies. PTB's :class:`~telegram.ext.AIORateLimiter` still keeps
the per-group limit and retries after a 429; a 429 also pauses every process's sending.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter, BaseRateLimiter

from case_store.budget import Bucket, Budget, bucket_for
from ua_bot.broadcast.sender import Pacing
from ua_bot.config import Settings

log = logging.getLogger("adapters.telegram")
KEY = "telegram"
# Telegram's limits: about 30 messages a second in all (1,000 with paid broadcasts, set
# through UA_BOT_WORKER_PACING), one a second per chat, 20 a minute per group.
PACING = Pacing(per_second=30.0, per_chat_seconds=1.0, per_group_per_minute=20.0)
# Bot API methods that put a message in a chat: what Telegram's 30 a second counts.
COUNTED = ("send", "edit", "copy", "forward")


def telegram_bucket(settings: Settings) -> Bucket:
    """The bucket of Telegram's limit, as the worker computes it (same overrides)."""
    pacing = PACING
    if settings.ua_bot_worker_pacing.strip():
        pacing = pacing.merged(json.loads(settings.ua_bot_worker_pacing).get(KEY, {}))
    return bucket_for(pacing.per_second, settings.ua_bot_worker_pace_margin)


class BudgetRateLimiter(BaseRateLimiter):
    """Replies take from the shared budget first; groups and retries are PTB's."""

    def __init__(self, budget: Budget, bucket: Bucket, *, max_retries: int = 3) -> None:
        self.budget = budget
        self.bucket = bucket
        self.inner = AIORateLimiter(overall_max_rate=0, max_retries=max_retries)

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def process_request(
        self,
        callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Any,
    ):
        if not endpoint.startswith(COUNTED):
            return await callback(*args, **kwargs)

        async def paced(*a: Any, **kw: Any):
            try:
                take = await self.budget.take(KEY, self.bucket, 1, reply=True)
            except (OSError, SQLAlchemyError) as e:  # the store is down: reply unpaced
                log.warning(
                    "sending budget unavailable (%s); replying without it", type(e).__name__
                )
            else:
                if take.wait > 0:
                    await asyncio.sleep(take.wait)
            try:
                return await callback(*a, **kw)
            except RetryAfter as e:
                ra = e.retry_after
                seconds = ra.total_seconds() if hasattr(ra, "total_seconds") else float(ra)
                with contextlib.suppress(OSError, SQLAlchemyError):
                    await self.budget.pause(KEY, seconds)
                raise

        return await self.inner.process_request(
            paced, args, kwargs, endpoint, data, rate_limit_args
        )

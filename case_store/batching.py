"""Opportunistic batching: work that arrives while a batch runs joins the next one."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Batcher(Generic[T, R]):
    """Run ``fn`` over items in batches; each caller awaits its own result.

    At low load a batch holds one item and adds no delay; under load, the items that
    arrive while one batch commits share the next commit. If a batch fails, its items
    are retried one by one so that one bad item cannot fail the others. With ``linger``
    (seconds), a batch that is not full waits that long for company before it runs: for
    callers that can afford the wait and would otherwise commit one item at a time.
    """

    def __init__(
        self,
        fn: Callable[[Sequence[T]], Awaitable[Sequence[R]]],
        max_size: int = 200,
        linger: float = 0.0,
    ):
        self._fn = fn
        self._max = max_size
        self.linger = linger
        self._queue: list[tuple[T, asyncio.Future[R]]] = []
        self._task: asyncio.Task | None = None

    async def submit(self, item: T) -> R:
        fut: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._queue.append((item, fut))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain())
        return await fut

    async def _drain(self) -> None:
        while self._queue:
            if self.linger and len(self._queue) < self._max:
                await asyncio.sleep(self.linger)
            batch, self._queue = self._queue[: self._max], self._queue[self._max :]
            try:
                results = await self._fn([item for item, _ in batch])
            except Exception:
                if len(batch) == 1:
                    _fail(batch[0][1])
                    continue
                for item, fut in batch:
                    try:
                        (res,) = await self._fn([item])
                    except Exception:
                        _fail(fut)
                    else:
                        _resolve(fut, res)
                continue
            for (_, fut), res in zip(batch, results, strict=True):
                _resolve(fut, res)


def _resolve(fut: asyncio.Future, value: object) -> None:
    if not fut.done():
        fut.set_result(value)


def _fail(fut: asyncio.Future) -> None:
    import sys

    if not fut.done():
        fut.set_exception(sys.exc_info()[1] or RuntimeError("batch failed"))

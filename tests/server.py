"""Run an ASGI app under a real uvicorn server on 127.0.0.1, port 0, inside a test."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import httpx
import uvicorn

from tests.waiting import eventually


@contextlib.asynccontextmanager
async def serving(app, port: int = 0) -> AsyncIterator[str]:
    """Yield the base URL (``http://127.0.0.1:PORT``) while the app is served."""
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
        proxy_headers=False,  # as `ua-bot serve`: only UA_BOT_TRUSTED_PROXIES are believed
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("server did not start")
        await asyncio.sleep(0.01)
    sock = server.servers[0].sockets[0]
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        await task


async def wait_healthy(http: httpx.AsyncClient, url: str, timeout: float = 60.0) -> None:
    """Wait until ``{url}/healthz`` answers 200 (a process started by the test is up)."""

    async def healthy() -> bool:
        try:
            return (await http.get(f"{url}/healthz")).status_code == 200
        except httpx.TransportError:
            return False

    await eventually(healthy, timeout=timeout, every=0.05)

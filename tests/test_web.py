"""The shared web app: /healthz tells whether the database can serve, /metrics counts."""

from __future__ import annotations

import asyncio
import gc
import json
import os
import socket
import sys

import httpx

from adapters.asgi import create_app
from tests.chat import TestChat
from tests.server import serving, wait_healthy
from ua_bot.app import build_app


async def test_healthz_ok_and_metrics(settings, sample):
    app = await build_app(settings)
    await TestChat(app.core, user="console:m").say("/took_action letter")
    async with serving(create_app(ua_app=app)) as url, httpx.AsyncClient() as http:
        r = await http.get(f"{url}/healthz")
        assert r.status_code == 200 and r.json() == {"status": "ok"}
        m = await http.get(f"{url}/metrics")
        assert m.status_code == 200
        assert 'ua_bot_commands_handled_total{command="took_action"}' in m.text
        assert 'ua_bot_actions_recorded_total{platform="console"}' in m.text
    await app.close()


async def test_what_start_up_built_is_out_of_the_collectors_sight(settings, sample):
    """A full collection walks every object it tracks: in a web process, that was a pause
    of a tenth of a second (measured in bench/openloop_bench.py), so start-up freezes them."""
    gc.unfreeze()
    app = await build_app(settings)
    async with serving(create_app(ua_app=app)) as url, httpx.AsyncClient() as http:
        assert (await http.get(f"{url}/healthz")).status_code == 200
        assert gc.get_freeze_count() > 100_000
    gc.unfreeze()
    await app.close()


async def test_healthz_503_when_unmigrated(settings, tmp_path):
    settings.database_url = f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
    app = await build_app(settings, check=False)
    async with serving(create_app(ua_app=app)) as url, httpx.AsyncClient() as http:
        r = await http.get(f"{url}/healthz")
        assert r.status_code == 503 and r.json()["status"] == "unmigrated"
    await app.close()


async def test_healthz_503_when_the_database_is_unreachable(settings):
    settings.database_url = "postgresql+asyncpg://nobody@127.0.0.1:1/none"
    app = await build_app(settings, check=False)
    async with serving(create_app(ua_app=app)) as url, httpx.AsyncClient() as http:
        r = await http.get(f"{url}/healthz")
        assert r.status_code == 503 and r.json()["status"] == "database unavailable"
    await app.close()


async def test_serve_logs_uvicorn_lines_as_json(db_url, tmp_path):
    """``ua-bot serve``: uvicorn's own warnings (a malformed request) are JSON lines too."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "UA_BOT_SECRET": "web-test-secret-0123456789",
        "UA_BOT_SECRET_FILE": str(tmp_path / "secret"),
        "UA_BOT_LOG_LEVEL": "WARNING",
    }
    for k in ("TELEGRAM_BOT_TOKEN", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"):
        env.pop(k, None)
    p = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "adapters", "serve", "--host", "127.0.0.1", "--port", str(port),
        env=env, stderr=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        async with httpx.AsyncClient() as http:
            await wait_healthy(http, f"http://127.0.0.1:{port}")
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"NOT HTTP \x00\x01\r\n\r\n")
        assert (await reader.read()).startswith(b"HTTP/1.1 400")
        writer.close()
    finally:
        p.terminate()
        _, err = await p.communicate()
    lines = err.decode().splitlines()
    assert any("Invalid HTTP request" in ln for ln in lines), lines
    for ln in lines:
        assert json.loads(ln)["msg"], ln

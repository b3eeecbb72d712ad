"""The shared web app: /healthz tells whether the database can serve, /metrics counts."""

from __future__ import annotations

import httpx

from adapters.web import create_app
from tests.chat import TestChat
from tests.server import serving
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

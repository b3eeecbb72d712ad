"""Webhook mode: updates POSTed to the shared web app (uvicorn on loopback); `ua-bot run` polls."""

from __future__ import annotations

import asyncio
import contextlib

import httpx

from adapters.asgi import create_app
from adapters.runner import run_all
from case_store import Store
from tests.conftest import SECRET
from tests.fakes.telegram_api import FakeBotAPI, private_chat, user
from tests.server import serving
from tests.telegram_kit import point_at, stored_actions
from ua_bot.app import App
from ua_bot.core import Core
from ua_bot.handlers import command_table
from ua_bot.identity import Hasher

HOOK_SECRET = "hook-secret_0123456789"
HEADER = "X-Telegram-Bot-Api-Secret-Token"


@contextlib.asynccontextmanager
async def webhook_app(core: Core, settings, store: Store):
    async with FakeBotAPI() as api:
        point_at(
            settings,
            api,
            telegram_webhook_secret=HOOK_SECRET,
            public_base_url="https://bot.example.org",
        )
        app = App(settings, store, core)
        async with serving(create_app(ua_app=app)) as url, httpx.AsyncClient() as http:
            yield api, f"{url}/telegram/webhook", http


def post(http: httpx.AsyncClient, url: str, update: dict, secret: str | None = HOOK_SECRET):
    headers = {HEADER: secret} if secret is not None else {}
    return http.post(url, json=update, headers=headers)


async def test_updates_posted_to_the_webhook_are_answered(core, settings, store, sample):
    me, chat = user(41), private_chat(41)
    async with webhook_app(core, settings, store) as (api, url, http):
        (hook,) = api.sent("setWebhook")
        assert hook.params["url"] == "https://bot.example.org/telegram/webhook"
        assert hook.params["secret_token"] == HOOK_SECRET
        assert api.sent("setMyCommands")

        r = await post(http, url, {"update_id": 1, **api.message(chat, me, "/case")})
        assert r.status_code == 200
        (card,) = api.sent()  # sent before the webhook answered
        assert card.params["text"].startswith("<b>UA 253/17: MOTHER AND CHILD")

        r = await post(http, url, {"update_id": 2, **api.press(card, "I took action", me)})
        assert r.status_code == 200
        choice = api.sent()[-1]
        r = await post(http, url, {"update_id": 3, **api.press(choice, "Tweet", me)})
        assert r.status_code == 200
        (done,) = api.sent("editMessageText")
        assert done.params["text"].startswith("<b>Thank you!</b> A tweet for UA 253/17")
        assert len(api.sent("answerCallbackQuery")) == 2
    key = core.hasher.supporter("telegram:41")
    assert await stored_actions(store) == [("tweet", "telegram", 0, key)]


async def test_a_wrong_or_missing_secret_gets_401_and_nothing_happens(
    core, settings, store, sample
):
    update = {"update_id": 7, **FakeBotAPI().message(private_chat(42), user(42), "/subscribe")}
    async with webhook_app(core, settings, store) as (api, url, http):
        assert (await post(http, url, update, secret=None)).status_code == 401
        assert (await post(http, url, update, secret="guess")).status_code == 401
        assert (await post(http, url, update, secret="")).status_code == 401
        assert api.sent() == []
        json_type = {HEADER: HOOK_SECRET, "content-type": "application/json"}
        bad = await http.post(url, content=b"{not json", headers=json_type)
        assert bad.status_code == 400
        text = await http.post(url, content=b"{}", headers={HEADER: HOOK_SECRET})
        assert text.status_code == 415
        assert (await post(http, url, update)).status_code == 200
        assert len(api.sent()) == 1


async def test_the_same_update_twice_is_handled_once(core, settings, store, sample):
    async with webhook_app(core, settings, store) as (api, url, http):
        update = {"update_id": 9, **api.message(private_chat(43), user(43), "/took_action email")}
        first, again = await asyncio.gather(post(http, url, update), post(http, url, update))
        assert (first.status_code, again.status_code) == (200, 200)
        (thanks,) = api.sent()
        assert thanks.params["text"].startswith("<b>Thank you!</b> An email for UA 253/17")
    assert len(await stored_actions(store)) == 1


async def test_503_when_the_store_is_down_so_telegram_delivers_again(settings, store):
    down = Store.from_url("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    core = Core(down, settings, Hasher(SECRET), command_table())
    try:
        async with webhook_app(core, settings, down) as (api, url, http):
            update = {"update_id": 11, **api.message(private_chat(44), user(44), "/case")}
            r = await post(http, url, update)
            assert r.status_code == 503 and r.headers["retry-after"] == "5"
            assert api.sent() == []  # Telegram's redelivery gets the answer, not this one
    finally:
        await down.close()


async def test_ua_bot_run_long_polls_when_a_token_is_set(core, settings, store, sample):
    async with FakeBotAPI() as api:
        point_at(settings, api)
        task = asyncio.create_task(run_all(App(settings, store, core)))
        try:
            await api.push(api.message(private_chat(45), user(45), "/cases"))
            (cases,) = await api.wait_sent(1)
            assert cases.params["text"].startswith("<b>Open cases</b>\nUA 253/17")
            assert cases.labels == ["UA 253/17"]
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

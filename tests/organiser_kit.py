"""Helpers for the organiser pages' tests: a served app, a sign-in from chat, form tokens."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from html import unescape

import httpx

from adapters.asgi import create_app
from tests.chat import TestChat
from tests.conftest import ORGANISER, add_case, make_case
from tests.server import serving
from ua_bot.app import App
from ua_bot.model import Case, CaseStatus

_LINK = re.compile(r"https?://\S+/organiser/login/[A-Za-z0-9_\-]+")
_CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


@contextlib.asynccontextmanager
async def served(app: App) -> AsyncIterator[httpx.AsyncClient]:
    """The web app on 127.0.0.1 with UA_BOT_PUBLIC_URL pointing at it; a client for it."""
    async with serving(create_app(ua_app=app)) as url:
        app.settings.ua_bot_public_url = url
        async with httpx.AsyncClient(base_url=url) as http:
            yield http


@contextlib.asynccontextmanager
async def signed_in_on_case(
    settings, store, core, status: CaseStatus
) -> AsyncIterator[tuple[httpx.AsyncClient, Case]]:
    """The served pages, an organiser signed in, and the sample case in ``status``."""
    app = App(settings, store, core)
    case = await add_case(store, make_case(), status)
    async with served(app) as http:
        await sign_in(app, http)
        yield http, case


async def link_from_chat(app: App, user: str = ORGANISER) -> str:
    """Ask for a sign-in link with /web, as in chat; the link from the reply."""
    text = await TestChat(app.core, user=user).say("/web")
    found = _LINK.search(text)
    assert found, text
    return found.group(0)


async def sign_in(app: App, http: httpx.AsyncClient, user: str = ORGANISER) -> None:
    link = await link_from_chat(app, user)
    page = await http.get(link)
    assert page.status_code == 200 and "Sign in" in page.text
    r = await http.post(link)
    assert r.status_code == 303 and r.headers["location"] == "/organiser/"


def csrf(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "no CSRF token in the page"
    return found.group(1)


async def edit_form(http: httpx.AsyncClient, case_id: int) -> dict[str, str]:
    """The edit form's current values, as a browser would send them."""
    page = (await http.get(f"/organiser/cases/{case_id}/edit")).text
    data = {}
    for name, value in re.findall(
        r'<input id="[^"]*" name="([^"]+)" type="[a-z]+" value="([^"]*)"', page
    ):
        data[name] = unescape(value)
    for name, value in re.findall(
        r'<textarea id="[^"]*" name="([^"]+)" rows="\d+">(.*?)</textarea>', page, re.S
    ):
        data[name] = unescape(value)
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page):
        data[name] = value
    return data

"""A small fake of the Slack Web API (aiohttp, 127.0.0.1, port 0) for real slack-sdk code.

It records every call with its parameters and ``Authorization`` header: chat.postMessage,
chat.postEphemeral, posts to ``response_url`` s it hands out, the three steps of
``files_upload_v2``, conversations.open (the DM with a user is ``D-<user>``, or an error from
``dm_errors``), auth.test, users.info and oauth.v2.access (a bot token per team).
It can answer 429 with ``Retry-After``, and ``not_in_channel`` for chosen channels (to
messages and to files shared there).

For broadcasts it counts ``chat.postMessage`` per channel (``posted``), answers
``chat.update``, answers ``channel_not_found`` (or any of ``channel_errors``) for chosen
channels, ``token_revoked`` for ``revoked`` tokens, and 429 at chosen ``chat.postMessage``
calls (``rate_limit_at``, 1-based). After such a 429 a message call within the
``Retry-After`` wait is answered 429 too and counts as a violation, unless it arrives
within ``grace`` seconds of the 429 (sent before the bot could know).
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import math
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

TOKEN = "xoxb-T1-single"
CLIENT_ID = "111.222"
CLIENT_SECRET = "client-secret"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    token: str = ""
    status: int = 200

    @property
    def blocks(self) -> list[dict]:
        b = self.params.get("blocks") or []
        return json.loads(b) if isinstance(b, str) else b

    @property
    def text(self) -> str:
        """The message's section texts joined."""
        return "\n".join(
            b["text"]["text"] for b in self.blocks if b.get("type") == "section"
        ) or str(self.params.get("text", ""))

    @property
    def buttons(self) -> list[dict]:
        return [e for b in self.blocks if b.get("type") == "actions" for e in b["elements"]]

    @property
    def labels(self) -> list[str]:
        return [e["text"]["text"] for e in self.buttons]

    def button(self, label: str) -> dict:
        for e in self.buttons:
            if e["text"]["text"] == label:
                return e
        raise AssertionError(f"no button {label!r} in {self.labels}")


MESSAGES = ("chat.postMessage", "chat.postEphemeral", "response_url")


@dataclass
class FakeSlackAPI:
    """``async with FakeSlackAPI() as api``: ``api.url`` is the Web API base URL."""

    calls: list[Call] = field(default_factory=list)
    uploads: dict[str, bytes] = field(default_factory=dict)
    admins: set[str] = field(default_factory=set)  # user ids users.info calls admins
    not_in_channel: set[str] = field(default_factory=set)
    channel_not_found: set[str] = field(default_factory=set)
    channel_errors: dict[str, str] = field(default_factory=dict)  # channel -> error code
    revoked: set[str] = field(default_factory=set)  # tokens answered token_revoked
    dm_errors: dict[str, str] = field(default_factory=dict)  # user -> conversations.open error
    rate_limit_at: set[int] = field(default_factory=set)  # chat.postMessage call numbers
    retry_after: int = 1
    grace: float = 0.2
    on_post: Callable[[int], None] | None = None  # called with the messages posted so far
    host: str = ""

    def __post_init__(self) -> None:
        self._failures: dict[str, list[int]] = {}
        self._changed = asyncio.Condition()
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.posted: Counter[str] = Counter()  # channel -> chat.postMessage answered ok
        self.post_calls = 0
        self.rate_limited = 0
        self.violations = 0  # message calls while a 429 told the bot to wait
        self.in_flight = 0  # ... sent before the bot heard of the 429
        self._quiet_until = 0.0
        self._last_429 = 0.0

    # -- control -----------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"{self.host}/api/"

    def response_url(self) -> str:
        return f"{self.host}/response/{next(self._ids)}"

    def fail(self, method: str, *, retry_after: int = 1, times: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` with 429 and ``Retry-After``."""
        self._failures.setdefault(method, []).extend([retry_after] * times)

    def sent(self, *methods: str) -> list[Call]:
        """Successful calls of ``methods`` (default: the messages, however sent)."""
        methods = methods or MESSAGES
        return [c for c in self.calls if c.method in methods and c.status == 200]

    async def wait_for(self, predicate, timeout: float = 10.0) -> None:
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(predicate), timeout)

    async def wait_sent(self, n: int, *methods: str) -> list[Call]:
        """Wait until at least ``n`` such calls were made (replies follow the ack)."""
        await self.wait_for(lambda: len(self.sent(*methods)) >= n)
        return self.sent(*methods)

    # -- server ------------------------------------------------------------------

    async def __aenter__(self) -> FakeSlackAPI:
        app = web.Application(client_max_size=20 * 1024 * 1024)
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_post("/response/{n}", self._response)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        self.host = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc) -> None:
        if self._runner:
            await self._runner.cleanup()

    async def _record(self, call: Call) -> None:
        self.calls.append(call)
        async with self._changed:
            self._changed.notify_all()

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.method == "GET":
            pass
        elif request.content_type == "application/json":
            params.update(await request.json())
        else:
            params.update(await request.post())
        return params

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ").strip() or str(params.get("token", ""))
        if auth.startswith("Basic "):  # oauth.v2.access: the app's id and secret
            cid, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
            params.setdefault("client_id", cid)
            params.setdefault("client_secret", secret)
            token = ""
        if method in ("chat.postMessage", "chat.update"):
            self._gate(method)
        pending = self._failures.get(method)
        if pending:
            retry_after = pending.pop(0)
            await self._record(Call(method, params, token, status=429))
            return web.json_response(
                {"ok": False, "error": "ratelimited"},
                status=429,
                headers={"Retry-After": str(retry_after)},
            )
        body = self._answer(method, params, token)
        await self._record(Call(method, params, token, status=200 if body.get("ok") else 400))
        if method == "chat.postMessage" and body.get("ok"):
            self.posted[str(params.get("channel"))] += 1
            if self.on_post is not None:
                self.on_post(sum(self.posted.values()))
        return web.json_response(body)

    def _gate(self, method: str) -> None:
        """Queue a 429 for a message call at a chosen number or within a 429's wait."""
        now = time.monotonic()
        if now < self._quiet_until:
            if now - self._last_429 < self.grace:
                self.in_flight += 1
            else:
                self.violations += 1
            self.fail(method, retry_after=max(1, math.ceil(self._quiet_until - now)))
            return
        if method != "chat.postMessage":
            return
        self.post_calls += 1
        if self.post_calls in self.rate_limit_at:
            self.rate_limited += 1
            self._last_429 = now
            self._quiet_until = now + self.retry_after
            self.fail(method, retry_after=self.retry_after)

    def _team_of(self, token: str) -> str:
        parts = token.split("-")
        return parts[1] if len(parts) > 2 else "T1"

    def _answer(self, method: str, p: dict[str, Any], token: str) -> dict[str, Any]:
        if method == "auth.test":
            team = self._team_of(token)
            return {"ok": True, "team_id": team, "user_id": "UBOT", "bot_id": "BBOT", "url": ""}
        if method in ("chat.postMessage", "chat.postEphemeral", "chat.update"):
            if token in self.revoked:
                return {"ok": False, "error": "token_revoked"}
            if p.get("channel") in self.channel_not_found:
                return {"ok": False, "error": "channel_not_found"}
            if p.get("channel") in self.channel_errors:
                return {"ok": False, "error": self.channel_errors[p["channel"]]}
            if method == "chat.update":
                return {"ok": True, "channel": p.get("channel"), "ts": p.get("ts")}
            if p.get("channel") in self.not_in_channel:
                return {"ok": False, "error": "not_in_channel"}
            return {"ok": True, "channel": p.get("channel"), "ts": f"{next(self._ids)}.0001"}
        if method == "users.info":
            user = p.get("user", "")
            admin = user in self.admins
            return {"ok": True, "user": {"id": user, "is_admin": admin, "is_owner": False}}
        if method == "oauth.v2.access":
            code = str(p.get("code", ""))
            app_ok = (p.get("client_id"), p.get("client_secret")) == (CLIENT_ID, CLIENT_SECRET)
            if not app_ok or not code.startswith("code-"):
                return {"ok": False, "error": "invalid_code"}
            team = code.removeprefix("code-")
            return {
                "ok": True,
                "app_id": "A1",
                "access_token": f"xoxb-{team}-installed",
                "token_type": "bot",
                "scope": "commands,chat:write",
                "bot_user_id": f"UBOT{team}",
                "team": {"id": team, "name": f"Team {team}"},
                "enterprise": None,
                "is_enterprise_install": False,
                "authed_user": {"id": "UINSTALLER"},
            }
        if method == "files.getUploadURLExternal":
            fid = f"F{next(self._ids)}"
            return {"ok": True, "file_id": fid, "upload_url": f"{self.host}/upload/{fid}"}
        if method == "conversations.open":
            user = str(p.get("users", ""))
            if user in self.dm_errors:
                return {"ok": False, "error": self.dm_errors[user]}
            return {"ok": True, "channel": {"id": f"D-{user}"}}
        if method == "files.completeUploadExternal":
            if p.get("channel_id") in self.not_in_channel:
                return {"ok": False, "error": "not_in_channel"}
            files = p.get("files")
            files = json.loads(files) if isinstance(files, str) else files
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}
        if method == "views.publish":
            view = p.get("view")
            view = json.loads(view) if isinstance(view, str) else view
            return {"ok": True, "view": {"id": f"V{next(self._ids)}", **(view or {})}}
        if method == "files.info":
            return {"ok": True, "file": {"id": p.get("file")}}
        return {"ok": False, "error": "unknown_method"}

    async def _upload(self, request: web.Request) -> web.Response:
        data = await request.read()
        fid = request.match_info["file_id"]
        self.uploads[fid] = data
        await self._record(Call("upload", {"file_id": fid, "size": len(data)}))
        return web.Response(text=f"OK - {len(data)}")

    async def _response(self, request: web.Request) -> web.Response:
        params = await request.json()
        await self._record(Call("response_url", params))
        return web.Response(text="ok")

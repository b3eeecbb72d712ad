"""A small fake of the Telegram Bot API (aiohttp, 127.0.0.1, port 0) for real PTB code.

It queues updates for ``getUpdates`` (long polling: a request waits until an update is
pushed), records the other calls with their parameters (``reply_markup`` and the other
JSON-encoded form fields decoded), and can answer 429 with ``retry_after`` or 403.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

TOKEN = "123456:TEST-token"
BOT_ID = 123456
USERNAME = "ua_test_bot"
JSON_FIELDS = {
    "reply_markup",
    "reply_parameters",
    "link_preview_options",
    "commands",
    "scope",
    "allowed_updates",
    "entities",
    "caption_entities",
}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    status: int = 200
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def chat_id(self) -> int | None:
        c = self.params.get("chat_id")
        return int(c) if c is not None else None

    @property
    def keyboard(self) -> list[list[dict]]:
        """The inline keyboard rows (empty without one)."""
        return (self.params.get("reply_markup") or {}).get("inline_keyboard", [])

    def button(self, label: str) -> dict:
        for row in self.keyboard:
            for b in row:
                if b["text"] == label:
                    return b
        raise AssertionError(f"no button {label!r} in {self.labels}")

    @property
    def labels(self) -> list[str]:
        return [b["text"] for row in self.keyboard for b in row]


class FakeBotAPI:
    """``async with FakeBotAPI() as api``: ``api.url`` is the server to point PTB at."""

    def __init__(self, token: str = TOKEN, username: str = USERNAME) -> None:
        self.token = token
        self.username = username
        self.calls: list[Call] = []
        self.blocked: set[int] = set()  # chat ids that answer 403
        self.migrated: dict[int, int] = {}  # group id -> its supergroup's id (answers 400)
        self.admins: set[int] = set()  # user ids getChatMember calls a group's owner
        self.files: dict[str, bytes] = {}
        self.get_updates_calls = 0
        self._updates: list[dict] = []
        self._failures: dict[str, list[tuple[int, int]]] = {}
        self._changed = asyncio.Condition()
        self._update_ids = itertools.count(1000)
        self._message_ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._closing = False
        self.port = 0

    # -- server ----------------------------------------------------------------

    async def __aenter__(self) -> FakeBotAPI:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_post("/bot{token}/{method}", self._api)
        app.router.add_get("/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._file)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        async with self._changed:
            self._closing = True  # a held getUpdates returns at once
            self._changed.notify_all()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- what tests do -------------------------------------------------------------

    def fail_next(self, method: str, status: int = 429, *, retry_after: int = 1, times: int = 1):
        """The next ``times`` calls of ``method`` answer ``status`` (429 or another error)."""
        self._failures.setdefault(method, []).extend([(status, retry_after)] * times)

    async def push(self, update: dict) -> dict:
        """Queue an update for getUpdates (given an ``update_id`` unless it has one)."""
        update.setdefault("update_id", next(self._update_ids))
        async with self._changed:
            self._updates.append(update)
            self._changed.notify_all()
        return update

    def message(self, chat: dict, user: dict, text: str, **extra: Any) -> dict:
        """A message update; commands get their ``bot_command`` entity."""
        msg = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": user,
            "text": text,
            **extra,
        }
        if text.startswith("/"):
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return {"message": msg}

    def migration(self, old: int, new: int) -> list[dict]:
        """The two service messages of a group upgraded to a supergroup (old id, new id)."""
        when = int(time.time())
        to = {"message_id": next(self._message_ids), "date": when, "chat": group_chat(old)}
        new_chat = {"id": new, "type": "supergroup", "title": "Supporters"}
        came = {"message_id": next(self._message_ids), "date": when, "chat": new_chat}
        return [
            {"message": {**to, "migrate_to_chat_id": new}},
            {"message": {**came, "migrate_from_chat_id": old}},
        ]

    def document(self, chat: dict, user: dict, name: str, data: bytes, caption: str = "") -> dict:
        file_id = f"file-{len(self.files) + 1}"
        self.files[file_id] = data
        msg = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": user,
            "document": {
                "file_id": file_id,
                "file_unique_id": file_id,
                "file_name": name,
                "file_size": len(data),
            },
        }
        if caption:
            msg["caption"] = caption
        return {"message": msg}

    def press(self, sent: Call, label: str, user: dict) -> dict:
        """A callback query: ``user`` presses the button ``label`` of a recorded message."""
        button = sent.button(label)
        assert "callback_data" in button, f"{label!r} is a URL button"
        result = sent.params["_result"]
        return {
            "callback_query": {
                "id": str(next(self._message_ids) * 7919),
                "from": user,
                "chat_instance": "ci-1",
                "message": result,
                "data": button["callback_data"],
            }
        }

    def sent(self, method: str = "sendMessage", chat_id: int | None = None) -> list[Call]:
        """Successful calls of ``method`` (to ``chat_id``), in order."""
        return [
            c
            for c in self.calls
            if c.method == method and c.status == 200 and (chat_id is None or c.chat_id == chat_id)
        ]

    async def wait_for(self, predicate, timeout: float = 10.0) -> None:
        """Wait until ``predicate()`` holds (it is checked after every recorded call)."""

        async def _wait() -> None:
            async with self._changed:
                await self._changed.wait_for(predicate)

        await asyncio.wait_for(_wait(), timeout)

    async def wait_sent(self, n: int, method: str = "sendMessage", **kw: Any) -> list[Call]:
        """Wait until ``n`` successful ``method`` calls are recorded; return them all."""
        await self.wait_for(lambda: len(self.sent(method, **kw)) >= n)
        return self.sent(method, **kw)

    # -- the API -------------------------------------------------------------------

    async def _params(self, request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
        params: dict[str, Any] = {}
        files: dict[str, bytes] = {}
        if request.content_type == "application/json":
            params = await request.json()
        elif request.can_read_body:
            form = await request.post()
            for k, v in form.items():
                if isinstance(v, web.FileField):
                    files[k] = v.file.read()
                else:
                    params[k] = v
        params.update(request.query)
        for k in JSON_FIELDS & params.keys():
            if isinstance(params[k], str):
                params[k] = json.loads(params[k])
        for k, v in list(params.items()):
            if isinstance(v, str) and v.startswith("attach://") and v[9:] in files:
                params[k] = {"attached": v[9:]}
        return params, files

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        params, files = await self._params(request)
        if method == "getUpdates":
            return await self._get_updates(params)
        call = Call(method, params, files=files)
        failures = self._failures.get(method)
        if failures:
            status, retry_after = failures.pop(0)
            call.status = status
            await self._record(call)
            if status == 429:
                return _error(
                    429,
                    f"Too Many Requests: retry after {retry_after}",
                    {"retry_after": retry_after},
                )
            return _error(status, "Bad Request: simulated failure")
        chat_id = params.get("chat_id")
        if chat_id is not None and int(chat_id) in self.migrated:
            call.status = 400
            await self._record(call)
            return _error(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": self.migrated[int(chat_id)]},
            )
        if chat_id is not None and int(chat_id) in self.blocked:
            call.status = 403
            await self._record(call)
            return _error(403, "Forbidden: bot was blocked by the user")
        result = self._result(method, params, files)
        params["_result"] = result
        await self._record(call)
        return web.json_response({"ok": True, "result": result})

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    async def _get_updates(self, params: dict[str, Any]) -> web.Response:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        async with self._changed:
            self.get_updates_calls += 1
            self._changed.notify_all()
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            if not self._updates and timeout > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._changed.wait_for(lambda: self._updates or self._closing), timeout
                    )
            batch = list(self._updates[:100])
        return web.json_response({"ok": True, "result": batch})

    def _result(self, method: str, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if method == "getMe":
            return {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "UA test bot",
                "username": self.username,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        if method == "getChatMember":
            uid = int(params["user_id"])
            person = {"id": uid, "is_bot": False, "first_name": "Member"}
            if uid in self.admins:
                return {"status": "creator", "user": person, "is_anonymous": False}
            return {"status": "member", "user": person}
        if method == "getFile":
            fid = params["file_id"]
            return {
                "file_id": fid,
                "file_unique_id": fid,
                "file_size": len(self.files.get(fid, b"")),
                "file_path": f"documents/{fid}",
            }
        if method in {"sendMessage", "editMessageText", "sendPhoto", "sendDocument"}:
            chat_id = int(params["chat_id"])
            msg: dict[str, Any] = {
                "message_id": int(params.get("message_id") or next(self._message_ids)),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "UA test bot"},
            }
            if "text" in params:
                msg["text"] = params["text"]
            if "reply_markup" in params:
                msg["reply_markup"] = params["reply_markup"]
            if method == "sendPhoto":
                msg["photo"] = [{"file_id": "p1", "file_unique_id": "p1", "width": 1, "height": 1}]
            if method == "sendDocument":
                msg["document"] = {"file_id": "d1", "file_unique_id": "d1"}
            return msg
        return True

    async def _file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        fid = request.match_info["path"].rsplit("/", 1)[-1]
        if fid not in self.files:
            return _error(404, "Not Found")
        return web.Response(body=self.files[fid])


def _error(code: int, description: str, parameters: dict | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=code)


def private_chat(user_id: int) -> dict:
    return {"id": user_id, "type": "private"}


def group_chat(chat_id: int = -100200) -> dict:
    return {"id": chat_id, "type": "group", "title": "Supporters"}


def user(user_id: int) -> dict:
    return {"id": user_id, "is_bot": False, "first_name": f"Supporter {user_id}"}

"""A minimal fake of the Slack Web API (and of the Telegram Bot API's few methods the bot
calls: ``/bot<token>/<method>``) for the HTTP benchmarks, run as its own process.

``python bench/thin_slack_api.py N`` listens on 127.0.0.1 (a free port, printed as
``port P``), answers every ``POST /api/<method>`` with a valid JSON ``ok`` (for
``chat.postMessage`` with the channel and a ``ts``, as Slack does) over keep-alive HTTP/1.1,
and notes when each channel's first ``chat.postMessage`` arrived (``time.monotonic()``, the
same clock in every process; for Telegram, each ``sendMessage``'s ``chat_id``). It prints
``done`` when N channels were thanked; when its stdin closes it prints one JSON line
``{"thanked": {channel: t}, "methods": {method: n}}`` and exits.

The web processes under test still post their thanks with the real slack-sdk client over
HTTP; only the receiving end is thinner than ``tests/fakes/slack_api.py`` (aiohttp's server,
form and JSON parsing, a call list), so that it takes less of the cores it shares with them,
and its own process lets the benchmark report its CPU apart from the load generator's.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import time
from collections import Counter
from urllib.parse import parse_qs

CHANNEL = re.compile(rb'"channel"\s*:\s*"([^"]*)"')
TELEGRAM_ME = (
    b'{"ok":true,"result":{"id":123456,"is_bot":true,"first_name":"Bench",'
    b'"username":"bench_bot","can_join_groups":true,"can_read_all_group_messages":false,'
    b'"supports_inline_queries":false}}'
)


class State:
    def __init__(self, expected: int) -> None:
        self.expected = expected
        self.thanked: dict[str, float] = {}
        self.methods: Counter[str] = Counter()
        self.ts = 0

    def thank(self, channel: str) -> None:
        if channel not in self.thanked:
            self.thanked[channel] = time.monotonic()
            if len(self.thanked) == self.expected:
                sys.stdout.write("done\n")
                sys.stdout.flush()

    def answer_telegram(self, method: str, body: bytes) -> bytes:
        """The Bot API's answers, for the Telegram webhook runs (``/bot<token>/<method>``)."""
        self.methods[method] += 1
        if method == "sendMessage":
            chat = parse_qs(body.decode()).get("chat_id", ["0"])[0]
            self.thank(chat)
            self.ts += 1
            return (
                b'{"ok":true,"result":{"message_id":%d,"date":0,"chat":{"id":%s,"type":"private"},"text":"ok"}}'
                % (
                    self.ts,
                    chat.encode(),
                )
            )
        if method == "getMe":
            return TELEGRAM_ME
        return b'{"ok":true,"result":true}'

    def answer(self, method: str, body: bytes, form: bool) -> bytes:
        self.methods[method] += 1
        if method == "chat.postMessage":
            m = None if form else CHANNEL.search(body)
            channel = m.group(1).decode() if m else parse_qs(body.decode()).get("channel", [""])[0]
            self.thank(channel)
            self.ts += 1
            return b'{"ok":true,"channel":"%s","ts":"%d.000100"}' % (channel.encode(), self.ts)
        if method == "auth.test":
            return b'{"ok":true,"team_id":"T1","user_id":"UBOT","bot_id":"BBOT","url":""}'
        return b'{"ok":true}'


class Server(asyncio.Protocol):
    """One keep-alive connection: requests with a Content-Length, answered in order."""

    def __init__(self, state: State) -> None:
        self.state = state
        self.buf = b""

    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buf += data
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buf[:end].lower()
            length = 0
            i = head.find(b"\r\ncontent-length:")
            if i >= 0:
                j = head.find(b"\r\n", i + 2)
                length = int(head[i + 17 : j if j > 0 else len(head)])
            elif b"\r\ntransfer-encoding:" in head:
                self.transport.write(b"HTTP/1.1 411 Length Required\r\nContent-Length: 0\r\n\r\n")
                self.transport.close()
                return
            if len(self.buf) < end + 4 + length:
                return
            body = self.buf[end + 4 : end + 4 + length]
            line = self.buf[: self.buf.find(b"\r\n")]
            self.buf = self.buf[end + 4 + length :]
            path = line.split(b" ", 2)[1].decode()
            method = path.split("?", 1)[0].rsplit("/", 1)[-1]
            form = b"content-type: application/x-www-form-urlencoded" in head
            if path.startswith("/bot"):
                out = self.state.answer_telegram(method, body)
            else:
                out = self.state.answer(method, body, form)
            self.transport.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n"
                b"Content-Length: %d\r\n\r\n%s" % (len(out), out)
            )


async def main(expected: int) -> None:
    loop = asyncio.get_running_loop()
    state = State(expected)
    server = await loop.create_server(lambda: Server(state), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    sys.stdout.write(f"port {port}\n")
    sys.stdout.flush()
    stdin = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stdin), sys.stdin)
    await stdin.read()  # until the benchmark closes our stdin
    server.close()
    sys.stdout.write(json.dumps({"thanked": state.thanked, "methods": state.methods}) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))

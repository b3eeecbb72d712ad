"""``callback_data`` (at most 64 bytes) for the core's button payloads.

The grammar of what a button carries:

- ``/took_action 253/17 letter``: the payload itself, when it is a command that fits;
- ``#<key>``: a longer payload, stored in the ``button_payloads`` table under a short key
  derived from it (so it survives a restart and is stored once);
- a leading ``!`` on either: the buttons are a one-time choice (the reply's
  ``meta["once"]``), so in a private chat the answer replaces the message pressed.
"""

from __future__ import annotations

from case_store import Store
from case_store.button_payloads import load_payload, payload_key, save_payloads
from ua_bot.lru import LRU

CALLBACK_LIMIT = 64
ONCE = "!"
STORED = "#"


class CallbackCodec:
    """Turns payloads into ``callback_data`` and back, with an in-memory cache."""

    def __init__(self, store: Store, cache_size: int = 20_000) -> None:
        self.store = store
        self._known: LRU[str, str] = LRU(cache_size)  # key -> payload, stored

    def encode(self, payload: str, pending: dict[str, str], *, once: bool = False) -> str:
        """The ``callback_data`` for a payload; a long one is added to ``pending``."""
        prefix = ONCE if once else ""
        data = prefix + payload
        if payload.startswith("/") and len(data.encode()) <= CALLBACK_LIMIT:
            return data
        key = payload_key(payload)
        if key not in self._known:
            pending[key] = payload
        return f"{prefix}{STORED}{key}"

    async def save(self, pending: dict[str, str]) -> None:
        """Store the long payloads of a reply before it is sent."""
        if not pending:
            return
        async with self.store.unit() as tx:
            await save_payloads(tx.conn, pending)
        for key, payload in pending.items():
            self._known.put(key, payload)

    async def decode(self, data: str) -> tuple[str | None, bool]:
        """(payload, once) for a pressed button; payload ``None`` if the key is unknown."""
        once = data.startswith(ONCE)
        if once:
            data = data[1:]
        if not data.startswith(STORED):
            return data, once
        key = data[1:]
        payload = self._known.get(key)
        if payload is None:
            async with self.store.unit() as tx:
                payload = await load_payload(tx.conn, key)
            if payload is not None:
                self._known.put(key, payload)
        return payload, once

"""Neutral messages between adapters and the core: :class:`Incoming` in, :class:`Reply` out."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    COMMAND = "command"
    BUTTON = "button"
    MESSAGE = "message"
    FILE = "file"


@dataclass(frozen=True)
class Incoming:
    """One event from a platform, already reduced to what the core needs.

    ``address`` is an opaque, platform-prefixed chat address (``telegram:<chat>``,
    ``slack:<team>:<channel>``, ``console:local``); ``user`` an opaque platform-prefixed
    user key (``telegram:<id>``). The core never stores either raw except a subscribed
    chat's address. ``delivery_id`` is the platform's id for this delivery (Telegram
    ``update_id``, Slack ``event_id``); the same id is handled once.
    """

    kind: Kind
    address: str
    user: str
    command: str = ""
    text: str = ""
    payload: str = ""
    delivery_id: str | None = None
    file_name: str = ""
    file_data: bytes = b""
    workspace: str = ""
    is_workspace_admin: bool = False
    private: bool = True
    # sent in a group's or a channel's name (Telegram's anonymous admins, "send as
    # channel"): ``user`` is then that chat, shared by everyone who may speak for it
    anonymous: bool = False
    # even a reply marked private is seen by the whole chat (a Telegram group): no
    # personal data (a name, one's actions) may be answered here
    replies_public: bool = False
    # whether the sender administers this group chat (``None``: the platform did not say)
    chat_admin: bool | None = None

    @property
    def platform(self) -> str:
        return self.address.split(":", 1)[0]

    @classmethod
    def command_line(cls, line: str, *, address: str, user: str, **kw: Any) -> Incoming:
        """Build a command from a typed line such as ``/case 253/17``."""
        name, _, rest = line.strip().lstrip("/").partition(" ")
        name = name.split("@", 1)[0]
        return cls(Kind.COMMAND, address, user, command=name.lower(), text=rest.strip(), **kw)


@dataclass(frozen=True)
class Button:
    """A button: pressing it sends ``payload`` back to the core, or opens ``url``."""

    label: str
    payload: str = ""
    url: str = ""


@dataclass(frozen=True)
class Text:
    """Text in the small markup of :mod:`ua_bot.markup`."""

    markup: str


@dataclass(frozen=True)
class Buttons:
    """Rows of buttons, attached to the text before them."""

    rows: tuple[tuple[Button, ...], ...]

    @classmethod
    def of(cls, *rows: list[Button] | tuple[Button, ...]) -> Buttons:
        return cls(tuple(tuple(r) for r in rows if r))

    def all(self) -> list[Button]:
        return [b for row in self.rows for b in row]


@dataclass(frozen=True)
class Image:
    """A PNG image with a short caption."""

    png: bytes
    caption: str = ""
    filename: str = "chart.png"


@dataclass(frozen=True)
class Document:
    """A file to send, such as a CSV export or a PDF letter."""

    filename: str
    data: bytes
    mime: str = "application/octet-stream"
    caption: str = ""


Part = Text | Buttons | Image | Document


@dataclass
class Reply:
    """One message to send back. ``private`` asks for a reply only the user sees."""

    parts: list[Part] = field(default_factory=list)
    private: bool = False
    # for the person alone, by direct message (a private command asked in a group): an adapter
    # sends it to the person's own chat with the bot, or not at all, never into a shared chat;
    # when it could not, the notice after it (``meta["undelivered"]``) says how instead
    direct: bool = False
    # Hints for adapters: {"case": UA} on a case's replies; {"once": "1"} when the buttons
    # are a one-time choice, so the answer may take the place of this message.
    meta: dict[str, str] = field(default_factory=dict)

    @classmethod
    def text(cls, markup: str, *buttons: list[Button], private: bool = False) -> Reply:
        parts: list[Part] = [Text(markup)]
        if any(buttons):
            parts.append(Buttons.of(*buttons))
        return cls(parts, private=private)

    @property
    def markup(self) -> str:
        """All text parts joined, for tests and logs."""
        return "\n".join(p.markup for p in self.parts if isinstance(p, Text))

    @property
    def buttons(self) -> list[Button]:
        return [b for p in self.parts if isinstance(p, Buttons) for b in p.all()]


def split_direct(
    replies: list[Reply], reached: bool | None = None
) -> tuple[list[Reply], list[Reply]]:
    """(the replies for the person's direct messages, the rest for the chat). With
    ``reached=False`` (the direct message could not be sent) each notice of a direct delivery
    becomes its ``undelivered`` text, which says how to get the answer."""
    direct = [r for r in replies if r.direct]
    rest = [r for r in replies if not r.direct]
    if reached is False:
        rest = [
            Reply.text(r.meta["undelivered"], private=True) if "undelivered" in r.meta else r
            for r in rest
        ]
    return direct, rest

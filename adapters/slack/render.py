"""Neutral replies as Slack messages: markup to mrkdwn, Block Kit within Slack's limits.

A :class:`Reply` becomes one or more :class:`SlackMessage` (section blocks of at most
3000 characters, at most 50 blocks a message, buttons as ``actions`` blocks of at most
25 elements whose ``value`` is the core's payload) and the files to upload.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ua_bot.markup import parse, plain
from ua_bot.messages import Button, Buttons, Document, Image, Reply, Text

SECTION_LIMIT = 3000
BLOCK_LIMIT = 50
ACTIONS_LIMIT = 25
BUTTON_TEXT_LIMIT = 75
VALUE_LIMIT = 2000
FALLBACK_LIMIT = 3000
ACTION_PREFIX = "ua:"
LINK_SCHEMES = ("https://", "http://", "mailto:", "tel:")


def mrkdwn_esc(text: str) -> str:
    """Escape the three characters Slack reads as control sequences."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link(label: str, url: str) -> str:
    if not url.startswith(LINK_SCHEMES) or any(c in url for c in "<>| \n"):
        return mrkdwn_esc(f"{label} ({url})" if label != url else label)
    label = mrkdwn_esc(label).replace("|", "¦")
    return f"<{url}|{label}>" if label else f"<{url}>"


def mrkdwn(markup: str) -> str:
    """The core's markup as Slack mrkdwn (user text escaped, so it cannot open a link)."""
    out = []
    for s in parse(markup):
        if s.style == "link":
            out.append(_link(s.text, s.url))
        elif s.style in ("bold", "italic") and s.text.strip():
            mark = "*" if s.style == "bold" else "_"
            out.append(f"{mark}{mrkdwn_esc(s.text.replace(mark, ''))}{mark}")
        else:
            out.append(mrkdwn_esc(s.text))
    return "".join(out)


def split_text(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Cut text into pieces of at most ``limit`` characters, at line breaks where possible."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        if cut <= 0:
            cut = text.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        pieces.append(text[:cut])
        text = text[cut:].lstrip("\n")
    if text.strip():
        pieces.append(text)
    return pieces


@dataclass
class SlackMessage:
    """One message: ``text`` is the notification fallback, ``blocks`` the content."""

    text: str
    blocks: list[dict] = field(default_factory=list)


@dataclass
class SlackFile:
    """A file to upload; ``caption`` (its ``initial_comment``) is escaped mrkdwn."""

    filename: str
    data: bytes
    caption: str = ""


@dataclass
class Rendered:
    messages: list[SlackMessage] = field(default_factory=list)
    files: list[SlackFile] = field(default_factory=list)


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _button(b: Button, n: int) -> dict:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": b.label[:BUTTON_TEXT_LIMIT] or "?", "emoji": True},
        "value": b.payload[:VALUE_LIMIT],
        "action_id": f"{ACTION_PREFIX}{n}",
    }


def blocks_for(reply: Reply) -> tuple[list[dict], list[SlackFile]]:
    blocks: list[dict] = []
    files: list[SlackFile] = []
    n = 0
    for part in reply.parts:
        if isinstance(part, Text):
            blocks += [_section(p) for p in split_text(mrkdwn(part.markup))]
        elif isinstance(part, Buttons):
            links = [b for b in part.all() if b.url]
            if links:
                line = "  ·  ".join(_link(b.label, b.url) for b in links)
                blocks += [_section(p) for p in split_text(line)]
            for row in part.rows:
                elements = []
                for b in row:
                    if b.url or not b.payload:
                        continue
                    elements.append(_button(b, n))
                    n += 1
                for i in range(0, len(elements), ACTIONS_LIMIT):
                    blocks.append({"type": "actions", "elements": elements[i : i + ACTIONS_LIMIT]})
        elif isinstance(part, Image):
            files.append(SlackFile(part.filename, part.png, mrkdwn_esc(plain(part.caption))))
        elif isinstance(part, Document):
            files.append(SlackFile(part.filename, part.data, mrkdwn_esc(plain(part.caption))))
    return blocks, files


def render(reply: Reply) -> Rendered:
    """Split a reply into messages of at most 50 blocks, plus the files to upload."""
    blocks, files = blocks_for(reply)
    # The fallback (notifications, and what mentions are read from) is mrkdwn too.
    fallback = mrkdwn_esc(plain(reply.markup)[:FALLBACK_LIMIT]) or "ua-bot"
    messages = [
        SlackMessage(fallback if i == 0 else "(continued)", blocks[i : i + BLOCK_LIMIT])
        for i in range(0, len(blocks), BLOCK_LIMIT)
    ]
    return Rendered(messages, files)

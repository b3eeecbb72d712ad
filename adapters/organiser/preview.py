"""A case as supporters will see it: the replies of /case, /targets and one draft of each
type, rendered by the console, Telegram and Slack adapters' own renderers."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from adapters.console import render as console_render
from adapters.slack.render import render as slack_render
from adapters.telegram.render import OutText
from adapters.telegram.render import render as telegram_render
from ua_bot.app import App
from ua_bot.messages import Reply
from ua_bot.model import ACTION_TYPES, Case

from .commands import read
from .sessions import Organiser


@dataclass
class Rendered:
    """One reply as each platform shows it."""

    title: str
    console: str
    telegram: str
    slack: str


def _telegram(reply: Reply) -> str:
    parts = []
    for out in telegram_render(reply):
        text = out.html if isinstance(out, OutText) else f"[{out.filename}] {out.caption}"
        keys = "  ".join(f"[{b.label}]" for row in out.keyboard for b in row)
        parts.append(text + (f"\n{keys}" if keys else ""))
    return "\n\n".join(parts)


def _slack(reply: Reply) -> str:
    parts = []
    for message in slack_render(reply).messages:
        for block in message.blocks:
            if block["type"] == "section":
                parts.append(block["text"]["text"])
            elif block["type"] == "actions":
                parts.append("  ".join(f"[{e['text']['text']}]" for e in block["elements"]))
    return "\n".join(parts)


def render_all(title: str, replies: list[Reply]) -> Rendered:
    out_dir = Path(tempfile.gettempdir())
    console = "\n\n".join(console_render(r, out_dir)[0] for r in replies)
    return Rendered(
        title,
        console,
        "\n\n".join(_telegram(r) for r in replies),
        "\n\n".join(_slack(r) for r in replies),
    )


def draft_lines(case: Case) -> list[tuple[str, str]]:
    """(type, command line) for one draft of each type the case's targets can receive."""
    out = []
    for kind in ACTION_TYPES:
        able = [i for i, t in enumerate(case.targets, 1) if kind in t.channels()]
        if kind == "tweet" and not able and case.targets:
            able = [1]
        if able:
            out.append((kind, f"/{kind} {case.ua_number} {able[0]}"))
    return out


async def preview(app: App, who: Organiser, case: Case, lang: str | None = None) -> list[Rendered]:
    """The case card, the targets and a draft of each type; in a translation (``lang``), the
    case card and targets as a reader of that language sees them (drafts follow the
    supporter's own language setting, so they are shown only untranslated)."""
    ua = case.ua_number
    shown = [("Case card", f"/case {ua}"), ("Targets", f"/targets {ua}")]
    if lang is None:
        shown += [(f"Draft: {kind}", line) for kind, line in draft_lines(case)]
    return [render_all(title, await read(app, who, line, lang)) for title, line in shown]

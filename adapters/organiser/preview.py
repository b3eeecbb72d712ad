"""A case as supporters will see it: the replies of /case, /targets and one draft of each
type, rendered by the console, Telegram and Slack adapters' own renderers."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from adapters.console import render as console_render
from adapters.platforms import PLATFORMS
from ua_bot.app import App
from ua_bot.messages import Reply
from ua_bot.model import ACTION_TYPES, Case

from .commands import read
from .sessions import Organiser


@dataclass
class Preview:
    """One reply as each platform shows it: (css class, heading, text) per platform."""

    title: str
    views: list[tuple[str, str, str]]


def render_all(title: str, replies: list[Reply]) -> Preview:
    out_dir = Path(tempfile.gettempdir())
    views = [("console", "Console", "\n\n".join(console_render(r, out_dir)[0] for r in replies))]
    for p in PLATFORMS:
        show = p.module().preview
        views.append((p.name, p.label, "\n\n".join(show(r) for r in replies)))
    return Preview(title, views)


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


async def preview(app: App, who: Organiser, case: Case, lang: str | None = None) -> list[Preview]:
    """The case card, the targets and a draft of each type; in a translation (``lang``), the
    case card and targets as a reader of that language sees them (drafts follow the
    supporter's own language setting, so they are shown only untranslated)."""
    ua = case.ua_number
    shown = [("Case card", f"/case {ua}"), ("Targets", f"/targets {ua}")]
    if lang is None:
        shown += [(f"Draft: {kind}", line) for kind, line in draft_lines(case)]
    return [render_all(title, await read(app, who, line, lang)) for title, line in shown]

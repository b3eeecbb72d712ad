"""Slack's App Home tab: the core's /home replies as one published view."""

from __future__ import annotations

from typing import Any

from adapters.slack.render import render
from ua_bot.messages import Reply

MAX_HOME_BLOCKS = 100  # Slack's limit for a view
SYSTEM_USERS = frozenset({"USLACKBOT"})  # Slackbot's own notices in the bot's DM


def home_view(replies: list[Reply]) -> dict[str, Any]:
    """A ``home`` view of the replies' blocks, a divider between replies."""
    blocks: list[dict] = []
    for i, reply in enumerate(replies):
        if i:
            blocks.append({"type": "divider"})
        for m in render(reply).messages:
            blocks += m.blocks
    return {"type": "home", "blocks": blocks[:MAX_HOME_BLOCKS]}


def from_system(event: dict) -> bool:
    """A message Slack itself sent (Slackbot, a system notice): never a supporter's."""
    user = event.get("user") or ""
    return not user or user in SYSTEM_USERS

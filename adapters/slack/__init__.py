"""The Slack adapter (slack-bolt): slash commands, buttons and direct messages.

``SlackAdapter`` and ``slack_plugin`` load slack-bolt on first use, so ``ua-bot`` commands that
only need the manifest (or nothing of Slack) start without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from adapters.slack.app import SlackAdapter
    from adapters.slack.plugin import slack_plugin

__all__ = ["SlackAdapter", "slack_plugin"]


def __getattr__(name: str) -> Any:
    if name == "SlackAdapter":
        from adapters.slack.app import SlackAdapter

        return SlackAdapter
    if name == "slack_plugin":
        from adapters.slack.plugin import slack_plugin

        return slack_plugin
    raise AttributeError(name)

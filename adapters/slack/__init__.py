"""The Slack adapter (slack-bolt): slash commands, buttons and direct messages."""

from adapters.slack.app import SlackAdapter
from adapters.slack.plugin import slack_plugin

__all__ = ["SlackAdapter", "slack_plugin"]

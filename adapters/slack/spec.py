"""What the Slack app asks of Slack: its bot scopes, the events it listens to, its HTTP paths.

Kept free of slack-bolt so the manifest (``ua-bot slack-manifest``) reads them without loading
the adapter; :mod:`adapters.slack.app` uses the same names.
"""

from __future__ import annotations

SCOPES = [
    "commands",
    "chat:write",
    "chat:write.public",
    "files:write",
    "im:history",
    "im:write",  # conversations.open: a private file goes to the user's DM
    "users:read",
]
EVENTS = ["message.im", "app_home_opened", "app_uninstalled", "tokens_revoked"]
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
EVENTS_PATH = "/slack/events"

"""The Slack app manifest: paste it at api.slack.com/apps → "Create New App" → "From a manifest".

Slash commands come from the core's command table, so the manifest never drifts from what the
bot answers; scopes and events are the ones :mod:`adapters.slack.app` uses.
"""

from __future__ import annotations

import argparse
import json
from typing import Any
from urllib.parse import urlsplit

from adapters.slack.spec import EVENTS, EVENTS_PATH, REDIRECT_PATH, SCOPES
from ua_bot.handlers import command_table

# Limits of Slack's manifest schema.
MAX_COMMANDS = 50
MAX_COMMAND = 32
MAX_DESCRIPTION = 2000
MAX_USAGE_HINT = 1000
MAX_APP_NAME = 35
MAX_BOT_NAME = 80

APP_DESCRIPTION = "Urgent Action cases: read them, write to officials, record what you did."


def slash_commands(url: str | None) -> list[dict[str, Any]]:
    """Every visible command of the core, then ``/ua`` (``/ua case 253/17``) for the rest."""

    out = []
    for spec in command_table():
        if spec.hidden:
            continue
        cmd: dict[str, Any] = {
            "command": f"/{spec.name}"[:MAX_COMMAND],
            "description": spec.description[:MAX_DESCRIPTION],
            "should_escape": False,
        }
        if spec.args:
            cmd["usage_hint"] = spec.args[:MAX_USAGE_HINT]
        out.append(cmd)
    out = out[: MAX_COMMANDS - 1]  # Slack's limit; /ua still reaches any dropped
    out.append(
        {
            "command": "/ua",
            "description": "Any ua-bot command, e.g. /ua case 253/17",
            "usage_hint": "COMMAND [ARGS]",
            "should_escape": False,
        }
    )
    if url:
        for cmd in out:
            cmd["url"] = url + EVENTS_PATH
    return out


def url_problem(url: str) -> str | None:
    """Why Slack would refuse ``url`` as the base of its request URLs, if it would."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return "Slack sends requests only to https:// URLs, e.g. https://ua-bot.example.org"
    if parts.query or parts.fragment:
        return "give the base URL only, without ? or #"
    return None


def manifest(url: str | None = None, *, socket_mode: bool = False, name: str = "ua-bot") -> dict:
    """The manifest for an app served at ``url`` (HTTP) or over Socket Mode."""
    base = None if socket_mode else (url or "https://your.host").rstrip("/")
    settings: dict[str, Any] = {
        "event_subscriptions": {"bot_events": list(EVENTS)},
        "interactivity": {"is_enabled": True},
        "org_deploy_enabled": False,
        "socket_mode_enabled": socket_mode,
        "token_rotation_enabled": False,
    }
    oauth: dict[str, Any] = {"scopes": {"bot": list(SCOPES)}}
    if base:
        settings["event_subscriptions"]["request_url"] = base + EVENTS_PATH
        settings["interactivity"]["request_url"] = base + EVENTS_PATH
        oauth["redirect_urls"] = [base + REDIRECT_PATH]
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {"name": name[:MAX_APP_NAME], "description": APP_DESCRIPTION},
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": False,
            },
            "bot_user": {"display_name": name[:MAX_BOT_NAME], "always_online": True},
            "slash_commands": slash_commands(base),
        },
        "oauth_config": oauth,
        "settings": settings,
    }


def add_cli(sub: argparse._SubParsersAction) -> None:
    """``ua-bot slack-manifest [--url URL] [--socket-mode]``."""
    p = sub.add_parser("slack-manifest", help="print the Slack app manifest (JSON)")
    p.add_argument("--url", help="the bot's public base URL, e.g. https://ua-bot.example.org")
    p.add_argument("--socket-mode", action="store_true", help="for Socket Mode (no public URL)")
    p.add_argument("--name", default="ua-bot", help="the app's name in Slack")

    def run(args: argparse.Namespace) -> int:
        if not args.url and not args.socket_mode:
            p.error("give --url https://your.host, or --socket-mode")
        if args.url and args.socket_mode:
            p.error("give --url (served over HTTP) or --socket-mode (no public URL), not both")
        if args.url and (problem := url_problem(args.url)):
            p.error(f"--url {args.url}: {problem}")
        print(
            json.dumps(manifest(args.url, socket_mode=args.socket_mode, name=args.name), indent=2)
        )
        return 0

    p.set_defaults(fn=run)

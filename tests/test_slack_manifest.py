"""``ua-bot slack-manifest``: the app's manifest lists what the bot answers and where."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from adapters.slack.spec import SCOPES
from ua_bot.handlers import command_table


def manifest(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "adapters", "slack-manifest", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_every_visible_command_once_with_its_request_url_and_within_slack_limits():
    m = manifest("--url", "https://ua.example.org/")
    cmds = m["features"]["slash_commands"]
    names = [c["command"] for c in cmds]
    visible = [f"/{s.name}" for s in command_table() if not s.hidden]
    assert names == [*visible, "/ua"], "the core's commands in order, then /ua"
    assert "/start" not in names and "/took_action" in names and "/broadcast_here" in names
    assert len(names) <= 50
    for c in cmds:
        assert re.fullmatch(r"/[a-z0-9_\-]{1,31}", c["command"]), c
        assert 0 < len(c["description"]) <= 2000 and len(c.get("usage_hint", "")) <= 1000
        assert c["url"] == "https://ua.example.org/slack/events"
    s = m["settings"]
    assert s["event_subscriptions"]["request_url"] == "https://ua.example.org/slack/events"
    assert s["interactivity"] == {
        "is_enabled": True,
        "request_url": "https://ua.example.org/slack/events",
    }
    assert "message.im" in s["event_subscriptions"]["bot_events"]
    assert "app_uninstalled" in s["event_subscriptions"]["bot_events"]
    assert m["oauth_config"]["redirect_urls"] == ["https://ua.example.org/slack/oauth_redirect"]
    assert m["oauth_config"]["scopes"]["bot"] == SCOPES
    assert s["socket_mode_enabled"] is False
    assert len(m["display_information"]["description"]) <= 140


def test_socket_mode_has_no_urls():
    m = manifest("--socket-mode", "--name", "Leeds UA")
    assert m["settings"]["socket_mode_enabled"] is True
    assert "request_url" not in m["settings"]["event_subscriptions"]
    assert "redirect_urls" not in m["oauth_config"]
    assert all("url" not in c for c in m["features"]["slash_commands"])
    assert m["display_information"]["name"] == "Leeds UA"


def test_without_url_or_socket_mode_it_says_what_to_give():
    out = subprocess.run(
        [sys.executable, "-m", "adapters", "slack-manifest"], capture_output=True, text=True
    )
    assert out.returncode == 2 and "--url" in out.stderr and "Traceback" not in out.stderr


def test_a_url_slack_would_refuse_is_refused_here_with_the_reason():
    for url, says in [
        ("http://ua.example.org", "https://"),
        ("ua.example.org", "https://"),
        ("https://ua.example.org/?x=1", "base URL only"),
    ]:
        out = subprocess.run(
            [sys.executable, "-m", "adapters", "slack-manifest", "--url", url],
            capture_output=True,
            text=True,
        )
        assert out.returncode == 2 and says in out.stderr and out.stdout == "", url
    both = subprocess.run(
        [
            sys.executable,
            "-m",
            "adapters",
            "slack-manifest",
            "--url",
            "https://a.org",
            "--socket-mode",
        ],
        capture_output=True,
        text=True,
    )
    assert both.returncode == 2 and "not both" in both.stderr


def test_a_path_prefix_is_kept_and_the_paths_are_the_ones_the_web_app_serves():
    from adapters.slack.spec import EVENTS_PATH, INSTALL_PATH, REDIRECT_PATH

    m = manifest("--url", "https://ua.example.org/bot/")
    assert (
        m["settings"]["event_subscriptions"]["request_url"]
        == "https://ua.example.org/bot/slack/events"
    )
    assert (EVENTS_PATH, INSTALL_PATH, REDIRECT_PATH) == (
        "/slack/events",
        "/slack/install",
        "/slack/oauth_redirect",
    ), "the routes tests/slack_kit.py and test_slack_oauth.py reach"


def test_the_cli_and_the_manifest_start_without_loading_slack_bolt():
    code = (
        "import sys; from adapters.main import parser; "
        "from adapters.slack.manifest import manifest; "
        "parser(); manifest(socket_mode=True); print(sorted(m for m in sys.modules "
        "if m.startswith(('slack_bolt', 'slack_sdk'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

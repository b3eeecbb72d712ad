"""The console chat: typed or piped lines, numbered buttons, the sample case on first run."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from adapters.console import ConsoleChat
from tests.conftest import ORGANISER

ROOT = Path(__file__).resolve().parent.parent


async def test_buttons_are_numbered_and_typing_the_number_presses_it(core, sample):
    out = io.StringIO()
    chat = ConsoleChat(core, user="sam", out=out)
    await chat.send("/case")
    text = out.getvalue()
    assert "[1] Demands  [2] Targets" in text and "[3] I took action" in text
    await chat.send("2")
    assert "Who to contact for UA 253/17" in out.getvalue()
    await chat.send("9")
    assert "Type a number from 1 to 8 to press a button above" in out.getvalue()


async def test_a_session_through_the_console(core, sample, store, tmp_path):
    out = io.StringIO()
    chat = ConsoleChat(core, user=ORGANISER.split(":", 1)[1], out=out, out_dir=tmp_path)
    for line in ("/case", "/targets", "/took_action letter", "/stats 253/17"):
        await chat.send(line)
    text = out.getvalue()
    assert "MOTHER AND CHILD" in text and "Dear Ambassador" in text
    assert "A letter for UA 253/17 is recorded" in text
    assert "Actions: 1" in text and "Letter: <5" in text
    assert (tmp_path / "ua-253-17-actions.png").exists(), "the chart is saved to a file"


def _run(
    args: list[str], env: dict, stdin: str = "", cwd: Path = ROOT
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ua_bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
    )


def _fresh_env(tmp_path: Path) -> dict:
    """A new SQLite file, a generated secret, no platform token: what `make run` starts with."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}",
        "UA_BOT_SECRET_FILE": str(tmp_path / "secret"),
        "UA_BOT_ORGANISERS": "console:local",
        "PYTHONPATH": str(ROOT),
    }
    for name in ("UA_BOT_SECRET", "TELEGRAM_BOT_TOKEN", "SLACK_BOT_TOKEN", "SLACK_CLIENT_ID"):
        env.pop(name, None)
    return env


def test_piped_session_on_a_fresh_database(tmp_path):
    """`ua-bot migrate`, then lines piped into `ua-bot chat` on an empty database."""
    env = _fresh_env(tmp_path)
    unmigrated = _run(["chat"], env, "/case\n")
    assert unmigrated.returncode == 2 and "run 'ua-bot migrate'" in unmigrated.stderr
    assert _run(["migrate"], env).returncode == 0
    lines = "/case\n/targets\n/took_action letter\n/stats 253/17\n"
    first = _run(["chat"], env, lines, cwd=tmp_path)  # the chart is saved under cwd
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stdout + first.stderr
    out = first.stdout
    assert "UA 253/17: MOTHER AND CHILD AT RISK OF FORCIBLE RETURN" in out
    assert "Salutation: Dear President" in out and "Salutation: Dear Ambassador" in out
    assert "A letter for UA 253/17 is recorded" in out
    assert "Actions: 1" in out
    assert (tmp_path / "secret").exists(), "a development secret is generated and kept"
    # A second supporter sees they are not alone.
    second = _run(["chat", "--user", "ann"], env, "/took_action letter\n/stats\n")
    assert "not alone: 1 other supporter" in second.stdout
    assert "for organisers only" in second.stdout


def test_a_broadcast_on_the_console_arrives_in_the_console(tmp_path):
    """`make run` with no tokens: /broadcast_here, /broadcast, and the case arrives here."""
    env = _fresh_env(tmp_path)
    assert _run(["migrate"], env).returncode == 0
    lines = "/broadcast_here\n/broadcast 253/17\n"
    done = _run(["run"], env, lines, cwd=tmp_path)
    assert done.returncode == 0 and "Traceback" not in done.stdout + done.stderr, done.stderr
    out = done.stdout
    assert "Queued UA 253/17 (new case): 1 recipient added" in out
    arrived = out.split("Queued UA 253/17", 1)[1]
    assert "New Urgent Action" in arrived and "MOTHER AND CHILD" in arrived
    assert "sent 1 of 1" in arrived, "the progress line follows"


async def test_console_broadcast_reaches_the_chat_through_the_worker(core, sample, tmp_path):
    out = io.StringIO()
    chat = ConsoleChat(core, user=ORGANISER.split(":", 1)[1], out=out, out_dir=tmp_path)
    await chat.run(io.StringIO("/broadcast_here\n/broadcast 253/17\n"))
    text = out.getvalue()
    assert text.count("MOTHER AND CHILD") == 1 and "New Urgent Action" in text
    await chat.send("1")  # the broadcast's first button is pressable
    assert "What we ask for UA 253/17" in out.getvalue()

"""The console chat: typed or piped lines, numbered buttons, the sample case on first run."""

from __future__ import annotations

import io

import pytest

from adapters.console import ConsoleChat
from case_store.migrate import code_revisions
from tests.cli import cli_env, run_cli
from tests.conftest import ORGANISER, PG_URL, reset_postgres
from ua_bot.config import normalise_database_url


async def test_buttons_are_numbered_and_typing_the_number_presses_it(core, sample):
    out = io.StringIO()
    chat = ConsoleChat(core, user="sam", out=out)
    await chat.send("/case")
    text = out.getvalue()
    assert "[1] Demands  [2] Who to contact" in text and "[3] I took action" in text
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


def test_piped_session_on_a_fresh_database(tmp_path):
    """Lines piped into `ua-bot chat` on a new SQLite file: it migrates itself, silently."""
    env = cli_env(tmp_path, f"sqlite:///{tmp_path / 'fresh.db'}")
    lines = "/case\n/targets\n/took_action letter\n/stats 253/17\n"
    first = run_cli(["chat"], env, lines, cwd=tmp_path)  # the chart is saved under cwd
    assert first.returncode == 0, first.stderr
    assert first.stderr == "", "a newcomer meets no schema message, and no traceback"
    assert "migrat" not in first.stdout.lower()
    out = first.stdout
    assert "UA 253/17: MOTHER AND CHILD AT RISK OF FORCIBLE RETURN" in out
    assert "Salutation: Dear President" in out and "Salutation: Dear Ambassador" in out
    assert "A letter for UA 253/17 is recorded" in out
    assert "Actions: 1" in out
    assert (tmp_path / "secret").exists(), "a development secret is generated and kept"
    # A second supporter sees they are not alone.
    second = run_cli(["chat", "--user", "ann"], env, "/took_action letter\n/stats\n")
    assert "not alone: 1 other supporter" in second.stdout
    assert "for organisers only" in second.stdout


@pytest.mark.skipif(not PG_URL, reason="UA_BOT_TEST_POSTGRES_URL is not set")
async def test_unmigrated_postgres_is_refused_in_one_line(tmp_path):
    """On PostgreSQL migrating is the release step's; a process started before it says so."""
    await reset_postgres(normalise_database_url(PG_URL))
    env = cli_env(tmp_path, PG_URL)
    refused = run_cli(["chat"], env, "/case\n")
    assert refused.returncode == 2 and refused.stdout == ""
    lines = refused.stderr.splitlines()
    assert lines == [
        "ua-bot: the database has no ua-bot schema yet: "
        "run 'ua-bot migrate' (the Procfile's release step)"
    ]
    assert not [rev for rev in code_revisions() if rev in refused.stderr]
    assert run_cli(["migrate"], env).returncode == 0
    answered = run_cli(["chat"], env, "/case\n")
    assert answered.returncode == 0, answered.stderr
    assert "UA 253/17: MOTHER AND CHILD" in answered.stdout


async def test_numbers_read_as_people_write_them_and_dial_in_e164(core, sample):
    """Stored in E.164, numbers show as `+86 10 6238 1025` on cards, scripts and fax covers."""
    out = io.StringIO()
    chat = ConsoleChat(core, user="sam", out=out)
    for line in ("/targets", "/call 2", "/fax 1"):
        await chat.send(line)
    text = out.getvalue().splitlines()
    assert "Fax: +86 10 6238 1025" in text  # Xi Jinping's card
    assert "Phone: +1 202-495-2266 <tel:+12024952266>" in text  # Cui Tiankai's
    assert "Number: +1 202-495-2266 <tel:+12024952266>" in text  # the call script
    fax = text[text.index("Fax to Xi Jinping for UA 253/17") :]
    assert "Fax number: +86 10 6238 1025" in fax and "Fax: +86 10 6238 1025" in fax  # cover
    assert not [line for line in text if "+861062381025" in line or "+12024952138" in line]


def test_a_broadcast_on_the_console_arrives_in_the_console(tmp_path):
    """`make run` with no tokens: /broadcast_here, /broadcast, and the case arrives here."""
    env = cli_env(tmp_path, f"sqlite:///{tmp_path / 'fresh.db'}")
    for name in ("TELEGRAM_BOT_TOKEN", "SLACK_BOT_TOKEN", "SLACK_CLIENT_ID"):
        env.pop(name, None)
    lines = "/broadcast_here\n/broadcast 253/17\n"
    done = run_cli(["run"], env, lines, cwd=tmp_path)
    assert done.returncode == 0 and "Traceback" not in done.stdout + done.stderr, done.stderr
    out = done.stdout
    assert "Queued UA 253/17 (new case): 1 recipient added" in out
    assert "no worker is running" not in out  # the console's own worker sends it
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

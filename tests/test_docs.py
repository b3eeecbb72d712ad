"""The README is a short front door; with docs/ it documents every setting and command."""

from __future__ import annotations

import re
from pathlib import Path

from adapters.settings import DeploymentSettings
from tests.cli import cli_env, run_cli
from ua_bot.handlers import command_table

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
DOCS = README + "".join(p.read_text() for p in sorted((ROOT / "docs").glob("*.md")))


def test_readme_starts_with_the_two_commands():
    head = README[:600]
    assert "make run" in head and "make test" in head


def test_the_readme_transcript_is_what_a_newcomer_sees(tmp_path):
    """The opening's session, typed into `ua-bot chat` on a new SQLite file, in order."""
    block = README.split("```text\n", 1)[1].split("```", 1)[0].splitlines()
    typed = "".join(line[2:] + "\n" for line in block if line.startswith("> "))
    shown = [line for line in block if not line.startswith("> ") and line != "..."]
    env = cli_env(tmp_path, f"sqlite:///{tmp_path / 'ua_bot.db'}")
    chat = run_cli(["chat"], env, typed, cwd=tmp_path)
    assert chat.returncode == 0 and chat.stderr == "", chat.stderr
    printed = iter(chat.stdout.splitlines())
    missing = [line for line in shown if line not in printed]  # each after the one before
    assert not missing, f"the README shows lines ua-bot chat does not print: {missing}"


def test_readme_stays_a_front_door():
    # Half of the 39 KB it had grown to; long material belongs in docs/.
    assert len(README.encode()) < 20_000, "move long material to docs/"


def test_readme_links_to_docs_that_exist():
    links = re.findall(r"\]\((docs/[^)#]+)", README)
    assert links, "the README links to nothing in docs/"
    missing = [link for link in links if not (ROOT / link).is_file()]
    assert not missing, f"README links to missing {missing}"


def test_every_setting_is_documented():
    missing = [n.upper() for n in DeploymentSettings.model_fields if f"`{n.upper()}" not in DOCS]
    assert not missing, f"README and docs/ lack {missing}"


def test_every_command_is_in_the_readme():
    missing = [s.name for s in command_table() if f"/{s.name}" not in README]
    assert not missing, f"README lacks {missing}"


def test_env_example_is_current():
    from ua_bot.config import env_example

    path = ROOT / ".env.example"
    expected = env_example(DeploymentSettings)
    assert path.read_text() == expected, "run: python -m adapters.settings > .env.example"

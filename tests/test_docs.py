"""The README documents every setting and every public command."""

from __future__ import annotations

from pathlib import Path

from adapters.settings import DeploymentSettings
from ua_bot.handlers import command_table

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_readme_starts_with_the_two_commands():
    head = README[:600]
    assert "make run" in head and "make test" in head


def test_every_setting_is_documented():
    missing = [n.upper() for n in DeploymentSettings.model_fields if f"`{n.upper()}" not in README]
    assert not missing, f"README lacks {missing}"


def test_every_command_is_documented():
    missing = [s.name for s in command_table() if f"/{s.name}" not in README]
    assert not missing, f"README lacks {missing}"


def test_env_example_is_current():
    from ua_bot.config import env_example

    path = Path(__file__).resolve().parent.parent / ".env.example"
    expected = env_example(DeploymentSettings)
    assert path.read_text() == expected, "run: python -m adapters.settings > .env.example"

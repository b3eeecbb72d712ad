"""Run the real ``ua-bot`` command as a subprocess, in an environment of its own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_cli(
    args: list[str], env: dict, stdin: str = "", cwd: Path = ROOT
) -> subprocess.CompletedProcess:
    """``ua-bot ARGS`` with ``stdin`` piped in; its exit code and output, captured."""
    return subprocess.run(
        [sys.executable, "-m", "ua_bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
    )


def cli_env(tmp_path: Path, database_url: str) -> dict:
    """The environment of a newcomer's first run: no secret yet, the console user organises."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "UA_BOT_SECRET_FILE": str(tmp_path / "secret"),
        "UA_BOT_ORGANISERS": "console:local",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("UA_BOT_SECRET", None)
    return env

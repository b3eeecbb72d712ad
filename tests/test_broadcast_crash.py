"""A broadcast survives its worker being killed: the real ``ua-bot worker`` under SIGKILL.

The fake platform runs in the test's event loop; the worker is the real CLI in a
subprocess. At random receipt counts the fake kills the worker with SIGKILL from inside
its request handler (the message has arrived, the worker has not yet recorded it: the
worst moment), and the test starts it again. At the end every recipient has the message,
with at most one duplicate per kill (one message in flight: ``UA_BOT_WORKER_INFLIGHT=1``).

Half of the restarts keep the worker's name (it takes its rows back at once), half use a
new one (its predecessor's rows come back when their lease ends).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import sys
import time
from pathlib import Path

import pytest

from tests.broadcasting import (
    OLGA,
    OLGA_CHAT,
    add_subscribers,
    broadcast_settings,
    outbox_states,
)
from tests.chat import TestChat
from tests.conftest import SECRET
from tests.fakes.webhook_fake import FakePlatform
from ua_bot.core import Core
from ua_bot.handlers import command_table
from ua_bot.identity import Hasher

RECIPIENTS = 2000
KILLS = 12
DEADLINE = 300.0  # seconds for the whole run, kills and restarts included


def worker_env(db_url: str, url: str, worker_id: str) -> dict[str, str]:
    """The parent's environment without ua-bot or platform settings, plus the worker's."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("UA_BOT_", "TELEGRAM_", "SLACK_", "DATABASE_URL", "DYNO"))
    }
    env.update(
        DATABASE_URL=db_url,
        UA_BOT_SECRET=SECRET.decode(),
        UA_BOT_ORGANISERS=OLGA,
        UA_BOT_WEBHOOK_URL=url,
        UA_BOT_WORKER_ID=worker_id,
        UA_BOT_WORKER_LEASE_SECONDS="2",
        UA_BOT_WORKER_INFLIGHT="1",
        UA_BOT_WORKER_POLL_SECONDS="0.05",
        UA_BOT_WORKER_BACKOFF_SECONDS="0.05",
        UA_BOT_WORKER_PROGRESS_SECONDS="0.5",
        UA_BOT_WORKER_PACING=json.dumps({"webhook": {"per_second": 500}}),
        UA_BOT_LOG_LEVEL="WARNING",
    )
    return env


async def start_worker(env: dict[str, str], cwd: Path, log: Path) -> asyncio.subprocess.Process:
    with log.open("ab") as out:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "adapters",
            "worker",
            env=env,
            cwd=cwd,  # no .env file there
            stdout=out,
            stderr=out,
        )


@pytest.mark.slow
async def test_a_broadcast_survives_its_worker_killed_at_random_points(
    db_url, store, sample, tmp_path
):
    seed = int(os.environ.get("UA_BOT_CRASH_SEED", time.time_ns() % 1_000_000))
    rng = random.Random(seed)
    kill_at = sorted(rng.sample(range(50, RECIPIENTS - 50), KILLS))
    log = tmp_path / "worker.log"
    async with FakePlatform() as fake:
        settings = broadcast_settings(db_url, tmp_path, fake.url)
        olga = TestChat(
            Core(store, settings, Hasher(SECRET), command_table()), user=OLGA, address=OLGA_CHAT
        )
        recipients = await add_subscribers(store, RECIPIENTS)
        assert f"{RECIPIENTS:,} recipients added" in await olga.say("/broadcast 253/17")

        current: dict[str, asyncio.subprocess.Process] = {}
        killed: list[int] = []  # receipt counts at which the worker was killed

        def kill_on_receipt(total: int) -> None:
            proc = current.get("proc")
            due = len(killed) < KILLS and total >= kill_at[len(killed)]
            if due and proc is not None and proc.returncode is None:
                proc.send_signal(signal.SIGKILL)
                killed.append(total)
                current.pop("proc")

        fake.on_receipt = kill_on_receipt
        restarts = 0
        start = time.monotonic()
        try:
            while True:
                env = worker_env(db_url, fake.url, f"crash-{restarts // 2}")
                proc = await start_worker(env, tmp_path, log)
                current["proc"] = proc
                if len(killed) < KILLS:
                    left = DEADLINE - (time.monotonic() - start)
                    rc = await asyncio.wait_for(proc.wait(), max(left, 1.0))
                    assert rc == -signal.SIGKILL, f"the worker exited by itself ({rc})"
                    restarts += 1
                    continue
                # No more kills: run until every row is sent, then stop it politely.
                while time.monotonic() - start < DEADLINE:
                    if await outbox_states(store) == {"sent": RECIPIENTS}:
                        break
                    assert proc.returncode is None, f"the worker exited ({proc.returncode})"
                    await asyncio.sleep(0.2)
                proc.send_signal(signal.SIGTERM)
                assert await asyncio.wait_for(proc.wait(), 30) == 0
                break
        except BaseException:
            for p in [current.get("proc")]:
                if p is not None and p.returncode is None:
                    p.kill()
                    await p.wait()
            print(log.read_text()[-4000:] if log.exists() else "(no worker log)")
            raise

        got = {a: n for a, n in fake.received.items() if a != OLGA_CHAT}
        lost = [a for a in recipients if not got.get(a)]
        duplicates = sum(n - 1 for n in got.values())
        elapsed = time.monotonic() - start
        print(
            f"\ncrash test ({db_url.split(':', 1)[0]}, seed {seed}): {len(killed)} kills at "
            f"receipts {killed}, {duplicates} duplicates, {len(lost)} lost, "
            f"{len(got)} recipients, {elapsed:.1f} s"
        )
        assert len(killed) == KILLS
        assert not lost, f"{len(lost)} recipients never got the message"
        assert set(got) == set(recipients)
        assert duplicates <= len(killed), f"{duplicates} duplicates for {len(killed)} kills"
        assert await outbox_states(store) == {"sent": RECIPIENTS}

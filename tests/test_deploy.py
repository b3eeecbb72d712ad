"""The Procfile on PostgreSQL, run by honcho exactly as written: release migrates, two web
processes serve Telegram webhooks and signed Slack requests sent to them alternately (with
redeliveries to the other process), every action is stored once; an organiser's /broadcast
from Slack is delivered by the worker process to Telegram and Slack subscribers through the
fakes; /healthz tells the truth."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shlex
import signal
import socket
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from case_store import create_engine_for
from tests.fakes.slack_api import TOKEN as SLACK_TOKEN
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.tcp_proxy import TcpProxy
from tests.fakes.telegram_api import TOKEN, FakeBotAPI, private_chat, user
from tests.server import wait_healthy
from tests.slack_kit import (
    SIGNING_SECRET,
    action_body,
    action_payload,
    command_body,
    signed_headers,
)
from tests.waiting import eventually

pytestmark = pytest.mark.skipif(
    not os.environ.get("UA_BOT_TEST_POSTGRES_URL"), reason="needs UA_BOT_TEST_POSTGRES_URL"
)
ROOT = Path(__file__).resolve().parent.parent
HOOK_SECRET = "deploy-hook-secret-0123"
N_USERS = 30
USER0 = 7_654_321  # supporters' ids: none may reach the logs
N_SLACK = 30
SLACK_USER = "UDPLY{:04d}"  # Slack supporters' ids: none may reach the logs either
SLACK_ORG = "UDPLYORG"
TG_SUBSCRIBERS = 8  # of the Telegram supporters, these subscribe to case announcements
SLACK_SUBSCRIBERS = 6


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(ln.split(":", 1) for ln in lines if ln.strip() and not ln.startswith("#"))


def free_base_port() -> int:
    for base in range(21000, 40000, 7):
        ok = True
        for p in (base, base + 1):
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", p))
                except OSError:
                    ok = False
        if ok:
            return base
    raise RuntimeError("no free ports")


async def run(*cmd: str, env: dict, cwd: Path) -> tuple[int, str]:
    """A command, run while this test's event loop keeps serving the proxy and the fake."""
    proc = await asyncio.create_subprocess_exec(
        *cmd, env=env, cwd=cwd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    _, err = await asyncio.wait_for(proc.communicate(), 120)
    return proc.returncode or 0, err.decode()



def slack_command(line: str, user_id: str, channel: str, n: int, response_url: str) -> str:
    trigger = f"trigger-deploy-{n}"
    return command_body(
        line, user=user_id, channel=channel, trigger=trigger, response_url=response_url
    )


def slack_press(value: str, user_id: str, channel: str, n: int, response_url: str) -> str:
    payload = action_payload(
        {"action_id": "ua:1", "value": value},
        user=user_id,
        channel=channel,
        trigger=f"trigger-deploy-{n}",
        response_url=response_url,
        action_ts=f"{n}.0",
    )
    return action_body(payload)


async def post_slack(http: httpx.AsyncClient, base: str, body: str, **extra: str):
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        **signed_headers(body, **extra),
    }
    return await http.post(f"{base}/slack/events", content=body.encode(), headers=headers)


async def count_actions(db_url: str) -> tuple[dict[str, int], int]:
    """Actions per platform, and how many supporters have more than one."""
    engine = create_engine_for(db_url)
    try:
        async with engine.connect() as conn:
            rows = (
                await conn.execute(text("SELECT platform, count(*) FROM actions GROUP BY 1"))
            ).all()
            dup = (
                await conn.execute(
                    text(
                        "SELECT count(*) FROM (SELECT supporter_id FROM actions "
                        "GROUP BY supporter_id HAVING count(*) > 1) x"
                    )
                )
            ).scalar()
    finally:
        await engine.dispose()
    return {p: n for p, n in rows}, dup or 0


async def drained(db_url: str) -> bool:
    """No outbox row is pending (claimed ones are pending too): a sent row is never sent again."""
    engine = create_engine_for(db_url)
    try:
        async with engine.connect() as conn:
            q = "SELECT count(*) FROM outbox WHERE state = 'pending'"
            return (await conn.execute(text(q))).scalar() == 0
    finally:
        await engine.dispose()


@dataclass
class Deployment:
    """The Procfile's processes under honcho, the fakes they talk to, and their log."""

    db_url: str
    api: FakeBotAPI
    slack_api: FakeSlackAPI
    proxy: TcpProxy
    http: httpx.AsyncClient
    urls: list[str]
    log: str = ""

    async def settled(self) -> None:
        """Every Slack request the web processes acknowledged has been handled to its end."""

        async def none_handling() -> bool:
            for u in self.urls:
                metrics = (await self.http.get(f"{u}/metrics")).text
                if "\nua_bot_requests_handling 0.0" not in metrics:
                    return False
            return True

        await eventually(none_handling, timeout=30, every=0.2)


def deployment_env(via_proxy: str, api: FakeBotAPI, slack_api: FakeSlackAPI) -> dict[str, str]:
    return {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": via_proxy.replace("postgresql+asyncpg://", "postgres://"),
        "UA_BOT_SECRET": "deploy-secret-0123456789",
        "UA_BOT_ORGANISERS": f"slack:T1:{SLACK_ORG}",
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api.url,
        "TELEGRAM_WEBHOOK_SECRET": HOOK_SECRET,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_BOT_TOKEN": SLACK_TOKEN,
        "SLACK_API_BASE_URL": slack_api.url,
        "UA_BOT_WORKER_POLL_SECONDS": "0.2",
        "UA_BOT_LOG_LEVEL": "WARNING",
    }


@contextlib.asynccontextmanager
async def deployment(db_url: str, tmp_path: Path) -> AsyncIterator[Deployment]:
    """Release (on an empty schema), an imported case, then ``honcho start`` web=2 worker=1."""
    pg = make_url(db_url)
    proxy = TcpProxy(pg.host or "127.0.0.1", pg.port or 5432)
    await proxy.start()
    via_proxy = pg.set(host="127.0.0.1", port=proxy.port).render_as_string(False)
    # Start from an empty schema: the release step must create it.
    engine = create_engine_for(db_url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()

    base = free_base_port()
    async with FakeBotAPI() as api, FakeSlackAPI() as slack_api:
        env = deployment_env(via_proxy, api, slack_api)
        release = procfile()["release"].strip()
        code, err = await run(
            sys.executable, "-m", "honcho", "run", *shlex.split(release), env=env, cwd=tmp_path
        )
        assert code == 0, err
        sample = ROOT / "ua_bot" / "samples" / "ua_253_17.txt"
        code, err = await run("ua-bot", "import", str(sample), "--publish", env=env, cwd=tmp_path)
        assert code == 0, err

        # honcho gives web.1 and web.2 the ports base and base+1 (the worker base+100).
        (tmp_path / "Procfile").write_text((ROOT / "Procfile").read_text())
        honcho = await asyncio.create_subprocess_exec(
            *(sys.executable, "-m", "honcho", "start", "-c", "web=2,worker=1"),
            *("-p", str(base), "web", "worker"),
            env=env,
            cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,
        )
        urls = [f"http://127.0.0.1:{base}", f"http://127.0.0.1:{base + 1}"]
        d = None
        try:
            async with httpx.AsyncClient(timeout=30) as http:
                for u in urls:
                    await wait_healthy(http, u)
                d = Deployment(db_url, api, slack_api, proxy, http, urls)
                yield d
        finally:
            os.killpg(honcho.pid, signal.SIGTERM)
            try:
                out, _ = await asyncio.wait_for(honcho.communicate(), 30)
            except TimeoutError:
                os.killpg(honcho.pid, signal.SIGKILL)
                out, _ = await honcho.communicate()
            await proxy.stop()
            if d is not None:
                d.log = out.decode(errors="replace")


async def each_action_is_stored_once(d: Deployment) -> None:
    """Telegram updates and Slack requests to both web processes, with redeliveries."""
    api, slack_api, http, urls = d.api, d.slack_api, d.http, d.urls
    headers = {"X-Telegram-Bot-Api-Secret-Token": HOOK_SECRET}
    updates = []
    for i in range(N_USERS):
        who = user(USER0 + i)
        msg = api.message(private_chat(USER0 + i), who, "/took_action 253/17 letter")
        updates.append({"update_id": 500 + i, **msg})
    # Slack: half slash commands, half button presses; a redelivery of every
    # third carries the same trigger and X-Slack-Retry-Num to the other process.
    slack_bodies = []
    for i in range(N_SLACK):
        uid, dm = SLACK_USER.format(i), f"D{SLACK_USER.format(i)}"
        make = slack_command if i % 2 == 0 else slack_press
        line = "/took_action 253/17 email"
        slack_bodies.append(make(line, uid, dm, i, slack_api.response_url()))
    # Each Telegram update goes to one process, then is redelivered to the
    # other; Slack requests interleave with them, alternating too.
    for i in range(max(N_USERS, N_SLACK)):
        if i < N_USERS:
            upd = updates[i]
            first = await http.post(f"{urls[i % 2]}/telegram/webhook", json=upd, headers=headers)
            again = await http.post(
                f"{urls[(i + 1) % 2]}/telegram/webhook", json=upd, headers=headers
            )
            assert (first.status_code, again.status_code) == (200, 200)
        if i < N_SLACK:
            body = slack_bodies[i]
            r = await post_slack(http, urls[(i + 1) % 2], body)
            assert r.status_code == 200, r.text
            if i % 3 == 0:
                retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "timeout"}
                r = await post_slack(http, urls[i % 2], body, **retry)
                assert r.status_code == 200, r.text

    # Slack requests are acknowledged before they are handled: wait until all are.
    await d.settled()
    want = {"telegram": N_USERS, "slack": N_SLACK}
    per_platform, dup = await count_actions(d.db_url)
    assert per_platform == want and dup == 0, (per_platform, dup)
    assert len(api.sent()) == N_USERS, "each Telegram supporter thanked once"
    thanked = [c for c in slack_api.sent() if "Thank you" in c.text]
    assert len(thanked) == N_SLACK, "each Slack supporter thanked once"


async def the_worker_broadcasts_to_both_platforms(d: Deployment) -> None:
    """Subscribers on both platforms, then an organiser's /broadcast from Slack; the worker
    (not the web processes) sends it."""
    api, slack_api, http, urls = d.api, d.slack_api, d.http, d.urls
    headers = {"X-Telegram-Bot-Api-Secret-Token": HOOK_SECRET}
    for i in range(TG_SUBSCRIBERS):
        msg = api.message(private_chat(USER0 + i), user(USER0 + i), "/subscribe")
        r = await http.post(
            f"{urls[i % 2]}/telegram/webhook", json={"update_id": 900 + i, **msg}, headers=headers
        )
        assert r.status_code == 200
    for i in range(SLACK_SUBSCRIBERS):
        uid = SLACK_USER.format(i)
        body = slack_command("/subscribe", uid, f"D{uid}", 100 + i, "")
        assert (await post_slack(http, urls[i % 2], body)).status_code == 200
    await d.settled()
    body = slack_command("/broadcast 253/17", SLACK_ORG, "C_ORG", 200, "")
    assert (await post_slack(http, urls[0], body)).status_code == 200
    await d.settled()  # the broadcast is queued

    tg_chats = {USER0 + i for i in range(TG_SUBSCRIBERS)}
    slack_dms = {f"D{SLACK_USER.format(i)}" for i in range(SLACK_SUBSCRIBERS)}
    await eventually(lambda: drained(d.db_url), timeout=60, every=0.2)
    tg_news = [
        c
        for c in api.sent("sendMessage")
        if "MOTHER AND CHILD" in c.params.get("text", "") and c.chat_id in tg_chats
    ]
    slack_news = [
        c
        for c in slack_api.sent("chat.postMessage")
        if c.params.get("channel") in slack_dms and "MOTHER AND CHILD" in c.text
    ]
    assert sorted(c.chat_id for c in tg_news) == sorted(tg_chats)
    assert sorted(c.params["channel"] for c in slack_news) == sorted(slack_dms)

    check = create_engine_for(d.db_url)
    try:
        async with check.connect() as conn:
            q = "SELECT DISTINCT claimed_by FROM outbox WHERE state <> 'pending'"
            claimants = (await conn.execute(text(q))).scalars().all()
    finally:
        await check.dispose()
    assert len(claimants) == 1, claimants  # one worker process sent them all


async def healthz_tells_the_truth(d: Deployment) -> None:
    """503 "unmigrated" without the schema's version, "database unavailable" without the
    server, 200 again once it is back."""
    check = create_engine_for(d.db_url)
    async with check.begin() as conn:
        await conn.execute(text("ALTER TABLE alembic_version RENAME TO av_hidden"))
    for u in d.urls:
        r = await d.http.get(f"{u}/healthz")
        assert r.status_code == 503 and r.json()["status"] == "unmigrated"
    async with check.begin() as conn:
        await conn.execute(text("ALTER TABLE av_hidden RENAME TO alembic_version"))
    await check.dispose()
    for u in d.urls:
        assert (await d.http.get(f"{u}/healthz")).status_code == 200

    await d.proxy.stop()  # the database server goes away
    for u in d.urls:
        r = await d.http.get(f"{u}/healthz")
        assert r.status_code == 503 and r.json()["status"] == "database unavailable"
    await d.proxy.start()
    for u in d.urls:
        await wait_healthy(d.http, u, timeout=30)


def the_log_is_clean(log: str) -> None:
    """No traceback, at most one outage line, the worker ran to the end, and no secret or
    supporter's id anywhere."""
    lines = log.splitlines()
    # The worker says once that the database went away (if a poll fell in the outage)
    # and keeps going: no traceback from any process.
    tracebacks = [ln for ln in lines if "Traceback" in ln]
    assert not tracebacks, tracebacks[0][:3000]
    outages = [ln for ln in lines if "worker.1 |" in ln and "database unavailable" in ln]
    assert len(outages) <= 1, outages
    stopped = [i for i, ln in enumerate(lines) if "worker.1 stopped" in ln]
    sigterm = [i for i, ln in enumerate(lines) if "SIGTERM received" in ln]
    assert stopped and sigterm and stopped[0] > sigterm[0], "the worker ran to the end"
    for secret in (TOKEN, HOOK_SECRET, SLACK_TOKEN, SIGNING_SECRET):
        assert secret not in log
    assert not [uid for uid in range(USER0, USER0 + N_USERS) if str(uid) in log]
    assert not [i for i in range(N_SLACK) if SLACK_USER.format(i) in log]
    assert SLACK_ORG not in log


async def test_procfile_web_and_worker_on_postgres(db_url, tmp_path):
    if db_url.startswith("sqlite"):
        pytest.skip("the Procfile deployment runs on PostgreSQL")
    async with deployment(db_url, tmp_path) as d:
        await each_action_is_stored_once(d)
        await the_worker_broadcasts_to_both_platforms(d)
        await healthz_tells_the_truth(d)
    the_log_is_clean(d.log)

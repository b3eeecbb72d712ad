"""The Procfile on PostgreSQL: release migrates, two web processes serve webhooks, every
action is stored once whichever process a (re)delivery reaches; /healthz tells the truth."""

from __future__ import annotations

import asyncio
import os
import shlex
import signal
import socket
import sys
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from case_store import create_engine_for
from tests.fakes.tcp_proxy import TcpProxy
from tests.fakes.telegram_api import TOKEN, FakeBotAPI, private_chat, user

pytestmark = pytest.mark.skipif(
    not os.environ.get("UA_BOT_TEST_POSTGRES_URL"), reason="needs UA_BOT_TEST_POSTGRES_URL"
)
ROOT = Path(__file__).resolve().parent.parent
HOOK_SECRET = "deploy-hook-secret-0123"
N_USERS = 30
USER0 = 7_654_321  # supporters' ids: none may reach the logs


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


async def wait_healthy(http: httpx.AsyncClient, url: str, timeout: float = 60) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            if (await http.get(f"{url}/healthz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"{url} did not become healthy")
        await asyncio.sleep(0.3)


async def test_procfile_two_web_processes_on_postgres(db_url, tmp_path):
    if db_url.startswith("sqlite"):
        pytest.skip("the Procfile deployment runs on PostgreSQL")
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
    async with FakeBotAPI() as api:
        env = {
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": via_proxy.replace("postgresql+asyncpg://", "postgres://"),
            "UA_BOT_SECRET": "deploy-secret-0123456789",
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": api.url,
            "TELEGRAM_WEBHOOK_SECRET": HOOK_SECRET,
            "UA_BOT_LOG_LEVEL": "WARNING",
        }
        release = procfile()["release"].strip()
        code, err = await run(
            sys.executable, "-m", "honcho", "run", *shlex.split(release), env=env, cwd=tmp_path
        )
        assert code == 0, err
        sample = ROOT / "ua_bot" / "samples" / "ua_253_17.txt"
        code, err = await run("ua-bot", "import", str(sample), "--publish", env=env, cwd=tmp_path)
        assert code == 0, err

        (tmp_path / "Procfile").write_text((ROOT / "Procfile").read_text())
        honcho = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "honcho",
            "start",
            "-c",
            "web=2",
            "-p",
            str(base),
            "web",
            env=env,
            cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,
        )
        urls = [f"http://127.0.0.1:{base}", f"http://127.0.0.1:{base + 1}"]
        try:
            async with httpx.AsyncClient(timeout=30) as http:
                for u in urls:
                    await wait_healthy(http, u)
                headers = {"X-Telegram-Bot-Api-Secret-Token": HOOK_SECRET}
                updates = []
                for i in range(N_USERS):
                    who = user(USER0 + i)
                    msg = api.message(private_chat(USER0 + i), who, "/took_action 253/17 letter")
                    updates.append({"update_id": 500 + i, **msg})
                # Each update goes to one process, then is redelivered to the other.
                for i, upd in enumerate(updates):
                    first = await http.post(
                        f"{urls[i % 2]}/telegram/webhook", json=upd, headers=headers
                    )
                    again = await http.post(
                        f"{urls[(i + 1) % 2]}/telegram/webhook", json=upd, headers=headers
                    )
                    assert (first.status_code, again.status_code) == (200, 200)
                check = create_engine_for(db_url)
                async with check.connect() as conn:
                    n = (await conn.execute(text("SELECT count(*) FROM actions"))).scalar()
                    per = (
                        await conn.execute(
                            text(
                                "SELECT count(*) FROM (SELECT supporter_id FROM actions "
                                "GROUP BY supporter_id HAVING count(*) > 1) x"
                            )
                        )
                    ).scalar()
                assert n == N_USERS and per == 0
                assert len(api.sent()) == N_USERS, "each supporter thanked once"

                async with check.begin() as conn:
                    await conn.execute(text("ALTER TABLE alembic_version RENAME TO av_hidden"))
                for u in urls:
                    r = await http.get(f"{u}/healthz")
                    assert r.status_code == 503 and r.json()["status"] == "unmigrated"
                async with check.begin() as conn:
                    await conn.execute(text("ALTER TABLE av_hidden RENAME TO alembic_version"))
                await check.dispose()
                for u in urls:
                    assert (await http.get(f"{u}/healthz")).status_code == 200

                await proxy.stop()  # the database server goes away
                for u in urls:
                    r = await http.get(f"{u}/healthz")
                    assert r.status_code == 503 and r.json()["status"] == "database unavailable"
                await proxy.start()
                for u in urls:
                    await wait_healthy(http, u, timeout=30)
        finally:
            os.killpg(honcho.pid, signal.SIGTERM)
            try:
                out, _ = await asyncio.wait_for(honcho.communicate(), 30)
            except TimeoutError:
                os.killpg(honcho.pid, signal.SIGKILL)
                out, _ = await honcho.communicate()
            await proxy.stop()
        log = out.decode(errors="replace")
        assert "Traceback" not in log, log[-3000:]
        assert TOKEN not in log and HOOK_SECRET not in log
        assert not [uid for uid in range(USER0, USER0 + N_USERS) if str(uid) in log]

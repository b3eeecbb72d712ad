"""/took_action over HTTP on PostgreSQL: one web process, then two, at concurrency 50.

Each request is a signed Slack slash command ``/took_action 253/17 email`` from a new member
(a new action each), posted to ``/slack/events`` round-robin over the web processes. Bolt
acknowledges it, then the process records the action and posts the thanks to a loopback
fake of the Slack Web API. A request counts as done when its thanks reaches the fake:
requests/s is requests over the time until the last thanks, and the latency is from sending
the request to its thanks arriving (the acknowledgement alone is faster). Each process count
runs ``UA_BOT_BENCH_HTTP_ROUNDS`` times (default 3, interleaved) and the best is kept.

Everything (PostgreSQL, the web processes, the fake API and this load generator) shares the
machine's cores, which limits the two-process figure, so the apparatus is kept cheap: the
requests are built and signed before the clock starts and posted over 50 keep-alive
connections with raw asyncio, and the fake API is a minimal HTTP responder in its own
process (``bench/thin_slack_api.py``; the bot still posts to it with slack-sdk). Each round
prints the CPU per request of each party (web processes, PostgreSQL's processes for this
database, this load generator, the fake API) and the cores anything else took meanwhile.
Without PostgreSQL the group is skipped (set ``UA_BOT_BENCH_POSTGRES_URL``; default a
``test_bench`` database on 127.0.0.1).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import statistics
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.procstat import cpu_seconds as _cpu_seconds  # noqa: E402
from case_store import create_engine_for  # noqa: E402
from tests.fakes.slack_api import TOKEN  # noqa: E402
from tests.slack_kit import SIGNING_SECRET, signed_headers  # noqa: E402

PG = os.environ.get("UA_BOT_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test_bench")
REQUESTS = int(os.environ.get("UA_BOT_BENCH_HTTP_REQUESTS", "3000"))
CONCURRENCY = 50
ROUNDS = int(os.environ.get("UA_BOT_BENCH_HTTP_ROUNDS", "3"))  # per process count, best kept
GOAL = 1.15  # web CPU per request, two processes / one: what sharing costs (issue 29)


def _machine_cpu() -> tuple[float, float]:
    """(busy, total) jiffies of all cores so far (Linux; zeros elsewhere)."""
    try:
        first = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
        ticks = [int(x) for x in first]
    except (OSError, ValueError):
        return 0.0, 0.0
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)
    return float(sum(ticks) - idle), float(sum(ticks))


def _pg_url() -> str:
    from ua_bot.config import normalise_database_url

    return normalise_database_url(PG)


async def _reachable(url: str) -> str | None:
    """None if PostgreSQL answers, else why not."""
    admin = create_engine_for(url.rsplit("/", 1)[0] + "/postgres")
    try:
        async with admin.connect() as conn:
            await conn.execute(text("SELECT 1"))
        return None
    except Exception as e:  # no server, refused, bad credentials: all mean skip
        return f"{type(e).__name__}: {str(e)[:120]}"
    finally:
        await admin.dispose()


async def _reset(url: str) -> None:
    admin = create_engine_for(url.rsplit("/", 1)[0] + "/postgres")
    name = url.rsplit("/", 1)[1]
    async with admin.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        exists = (
            await conn.execute(text("SELECT 1 FROM pg_database WHERE datname=:n"), {"n": name})
        ).scalar()
        if not exists:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    engine = create_engine_for(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


async def _cmd(*args: str, env: dict) -> None:
    p = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "adapters",
        *args,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await p.communicate()
    if p.returncode:
        raise RuntimeError(err.decode())


def _command(i: int) -> tuple[str, str]:
    """The i-th member's signed-to-be slash command body, and the DM channel it came from."""
    user, channel = f"UB{i:06d}", f"DB{i:06d}"
    form = {
        "token": "legacy",
        "team_id": "T1",
        "channel_id": channel,
        "user_id": user,
        "command": "/took_action",
        "text": "253/17 email",
        "trigger_id": f"trigger-bench-{i}",
        "response_url": "http://127.0.0.1:9/unused",
        "api_app_id": "A1",
    }
    return urlencode(form), channel


def _requests(n_web: int, ports: list[int]) -> list[list[tuple[bytes, str]]]:
    """Every request's bytes, signed beforehand, and its channel: one list per web process.

    Slack signs the timestamp and the body; the signature stays valid for five minutes,
    far longer than a round.
    """
    out: list[list[tuple[bytes, str]]] = [[] for _ in range(n_web)]
    for i in range(REQUESTS):
        k = i % n_web
        out[k].append(slack_request(i, ports[k]))
    return out


def slack_request(i: int, port: int) -> tuple[bytes, str]:
    """The i-th member's signed slash command as raw HTTP bytes, and its DM channel."""
    body, channel = _command(i)
    h = signed_headers(body)
    head = (
        f"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"X-Slack-Request-Timestamp: {h['X-Slack-Request-Timestamp']}\r\n"
        f"X-Slack-Signature: {h['X-Slack-Signature']}\r\n\r\n"
    )
    return (head + body).encode(), channel


def response_length(buf: bytes) -> int | None:
    """How many bytes of ``buf`` one complete 200 response takes (``None``: not all here
    yet). Raises ``AssertionError`` for another status or a response without a length."""
    end = buf.find(b"\r\n\r\n")
    if end < 0:
        return None
    head = buf[:end].lower()
    i = head.find(b"\r\ncontent-length:")
    if i < 0 or not head.startswith(b"http/1.1 200 "):
        raise AssertionError(f"unexpected response: {buf[:200]!r}")
    j = head.find(b"\r\n", i + 2)
    length = int(head[i + 17 : j if j > 0 else len(head)])
    return end + 4 + length if len(buf) >= end + 4 + length else None


class Responses(asyncio.Protocol):
    """Reads 200 responses off a keep-alive connection: ``answered()`` after each one,
    ``_fail(why)`` for anything else."""

    buf = b""

    def data_received(self, data: bytes) -> None:
        self.buf += data
        try:
            used = response_length(self.buf)
        except AssertionError as e:
            self._fail(str(e))
            return
        if used is not None:
            self.buf = self.buf[used:]
            self.answered()

    def answered(self) -> None:
        raise NotImplementedError

    def _fail(self, why: str) -> None:
        raise NotImplementedError


class _Client(Responses):
    """One keep-alive connection posting requests from a shared queue, one at a time.

    The load generator shares the cores with what it measures, so it is raw asyncio: bytes
    built beforehand, one write per request, and a response parsed only for its status and
    length (uvicorn answers with a Content-Length).
    """

    def __init__(self, queue, sent: dict, acks: list, finished: asyncio.Future) -> None:
        self.queue, self.sent, self.acks, self.finished = queue, sent, acks, finished
        self.buf = b""
        self.t0 = 0.0

    def connection_made(self, transport) -> None:
        self.transport = transport
        self._next()

    def _next(self) -> None:
        item = next(self.queue, None)
        if item is None:
            self.transport.close()
            if not self.finished.done():
                self.finished.set_result(None)
            return
        data, channel = item
        self.t0 = self.sent[channel] = time.monotonic()
        self.transport.write(data)

    def answered(self) -> None:
        self.acks.append(time.monotonic() - self.t0)
        self._next()

    def _fail(self, why: str) -> None:
        if not self.finished.done():
            self.finished.set_exception(AssertionError(why))
        self.transport.close()

    def connection_lost(self, exc) -> None:
        if not self.finished.done():
            self.finished.set_exception(ConnectionError(f"connection lost: {exc}"))


class _Postgres:
    """CPU of the PostgreSQL server's processes for the benchmark's database (Linux, local).

    Its backends come and go (the pool closes overflow connections), so they are sampled
    a few times a second; a backend's CPU after its last sample is missed. The server's
    shared processes (WAL writer, checkpointer, ...) count too, whatever database they
    served. ``None`` when the server's processes are not visible here.
    """

    def __init__(self, postmaster: int | None, db: str) -> None:
        self.postmaster, self.db = postmaster, db
        self.seen: dict[int, tuple[float, float]] = {}  # pid -> (first, last) CPU seconds
        self.started = 0

    @classmethod
    async def find(cls, url: str) -> _Postgres:
        engine = create_engine_for(url)
        try:
            async with engine.connect() as conn:
                backend = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar()
            stat = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
            postmaster: int | None = int(stat[1])
        except (OSError, IndexError, ValueError):
            postmaster = None  # not on this machine, or not Linux
        finally:
            await engine.dispose()
        return cls(postmaster, url.rsplit("/", 1)[1])

    def _ours(self, pid: int) -> bool:
        try:
            title = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            return False
        # "postgres: user db host(port) state" for a backend; shared processes have no peer
        backend = "(" in title or "[local]" in title
        return not backend or f" {self.db} " in title

    def sample(self, first: bool = False) -> None:
        if self.postmaster is None:
            return
        try:
            kids = Path(f"/proc/{self.postmaster}/task/{self.postmaster}/children").read_text()
        except OSError:
            self.postmaster = None
            return
        for pid in map(int, kids.split()):
            if pid in self.seen:
                self.seen[pid] = (self.seen[pid][0], _cpu_seconds(pid))
            elif self._ours(pid):
                cpu = _cpu_seconds(pid)
                self.seen[pid] = (cpu if first else 0.0, cpu)
                self.started += 0 if first else 1

    async def sampling(self) -> None:
        while True:
            await asyncio.sleep(0.2)
            self.sample()

    @property
    def cpu(self) -> float | None:
        if self.postmaster is None:
            return None
        return sum(last - first for first, last in self.seen.values())


async def _thin_slack_api(expected: int) -> tuple[asyncio.subprocess.Process, str]:
    p = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bench" / "thin_slack_api.py"),
        str(expected),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    line = (await p.stdout.readline()).decode().split()
    assert line[:1] == ["port"], line
    return p, f"http://127.0.0.1:{line[1]}/api/"


@dataclass
class Serving:
    """What :func:`serving` started: the web processes, the fake API, the database."""

    procs: list[asyncio.subprocess.Process]
    api: asyncio.subprocess.Process
    ports: list[int]
    url: str


@asynccontextmanager
async def serving(
    n_web: int, base_port: int, expected: int, env: dict[str, str] | None = None
) -> AsyncIterator[Serving]:
    """A fresh PostgreSQL database with the sample case published, the thin fake API
    expecting ``expected`` replies, and ``n_web`` web processes answering /healthz; all
    stopped on the way out. ``env`` adds to (or, with ``""``, removes from) their settings."""
    url = _pg_url()
    await _reset(url)
    api, api_url = await _thin_slack_api(expected)
    procs: list[asyncio.subprocess.Process] = []
    try:
        full = {
            **os.environ,
            "DATABASE_URL": url,
            "UA_BOT_SECRET": "bench-secret-0123456789",
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_API_BASE_URL": api_url,
            "PYTHONPATH": str(ROOT),
            "UA_BOT_RATE_LIMIT": "0",
            "UA_BOT_LOG_LEVEL": "WARNING",
        }
        for k in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "UA_BOT_WEBHOOK_URL"):
            full.pop(k, None)
        for k, v in (env or {}).items():
            if v:
                full[k] = v.replace("{api}", api_url.removesuffix("/api/"))
            else:
                full.pop(k, None)
        await _cmd("migrate", env=full)
        await _cmd("import", str(ROOT / "ua_bot/samples/ua_253_17.txt"), "--publish", env=full)
        ports = [base_port + i for i in range(n_web)]
        for port in ports:
            procs.append(
                await asyncio.create_subprocess_exec(
                    sys.executable,
                    "-m",
                    "adapters",
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    env=full,
                    stdout=asyncio.subprocess.DEVNULL,
                    stderr=asyncio.subprocess.DEVNULL,
                )
            )
        async with aiohttp.ClientSession() as http:
            for port in ports:
                for _ in range(300):
                    try:
                        async with http.get(f"http://127.0.0.1:{port}/healthz") as r:
                            if r.status == 200:
                                break
                    except aiohttp.ClientError:
                        pass
                    await asyncio.sleep(0.1)
        yield Serving(procs, api, ports, url)
    finally:
        for p in procs:
            if p.returncode is None:
                p.terminate()
        for p in procs:
            await p.wait()
        if api.returncode is None:
            api.stdin.close()
            api.terminate()
        await api.wait()


async def _round(n_web: int, base_port: int) -> dict:
    async with serving(n_web, base_port, REQUESTS) as srv:
        procs, api, ports, url = srv.procs, srv.api, srv.ports, srv.url
        pg = await _Postgres.find(url)
        sent: dict[str, float] = {}
        acks: list[float] = []
        loop = asyncio.get_running_loop()
        queues = [iter(q) for q in _requests(n_web, ports)]
        pg.sample(first=True)
        cpu0 = [_cpu_seconds(p.pid) for p in procs], _cpu_seconds(api.pid), time.process_time()
        machine0 = _machine_cpu()
        sampler = asyncio.create_task(pg.sampling())
        t0 = time.monotonic()
        finished = []
        for c in range(CONCURRENCY):
            k = c % n_web
            done = loop.create_future()
            finished.append(done)
            await loop.create_connection(
                lambda q=queues[k], d=done: _Client(q, sent, acks, d), "127.0.0.1", ports[k]
            )
        await asyncio.gather(*finished)
        line = await asyncio.wait_for(api.stdout.readline(), 120)
        assert line == b"done\n", line
        pg.sample()
        sampler.cancel()
        web_cpu = sum(_cpu_seconds(p.pid) for p in procs) - sum(cpu0[0])
        api_cpu = _cpu_seconds(api.pid) - cpu0[1]
        own_cpu = time.process_time() - cpu0[2]
        machine1 = _machine_cpu()
        api.stdin.close()
        report = json.loads(await api.stdout.read())  # its last line, then it exits
    thanked: dict[str, float] = report["thanked"]
    elapsed = max(thanked.values()) - t0
    engine = create_engine_for(url)
    async with engine.connect() as conn:
        stored = (await conn.execute(text("SELECT count(*) FROM actions"))).scalar()
    await engine.dispose()
    assert stored == REQUESTS, f"{stored} actions stored for {REQUESTS} requests"
    tick = os.sysconf("SC_CLK_TCK")
    busy = (machine1[0] - machine0[0]) / tick  # CPU seconds of all cores, whoever used them
    ms = 1000 / REQUESTS
    cpu = {
        "web": web_cpu * ms,
        "pg": None if pg.cpu is None else pg.cpu * ms,
        "load": own_cpu * ms,
        "fake": api_cpu * ms,
    }
    known = web_cpu + api_cpu + own_cpu + (pg.cpu or 0.0)
    pg_text = "?" if cpu["pg"] is None else f"{cpu['pg']:.2f}"
    print(
        f"http, {n_web} web: {REQUESTS / elapsed:.0f} req/s in {elapsed:.1f} s; CPU ms per "
        f"request: web processes {cpu['web']:.2f}, PostgreSQL {pg_text} "
        f"({pg.started} backends started), load generator {cpu['load']:.2f}, "
        f"fake Slack API {cpu['fake']:.2f}; anything else on the machine "
        f"{max(busy - known, 0.0) / elapsed:.2f} cores; "
        f"cores busy {busy / elapsed:.2f} of {os.cpu_count()}",
        file=sys.stderr,
    )
    others = max(busy - known, 0.0) / elapsed
    if others > 0.2:
        print(
            f"http, {n_web} web: other work took {others:.2f} cores during this round; "
            "its figures (and the ratio) say more about the machine than the bot",
            file=sys.stderr,
        )
    lat = sorted(thanked[ch] - sent[ch] for ch in sent)
    acks.sort()
    return {
        "rps": REQUESTS / elapsed,
        "p50": statistics.median(lat) * 1000,
        "p99": lat[int(len(lat) * 0.99) - 1] * 1000,
        "ack_p50": statistics.median(acks) * 1000,
        "cpu": cpu,
    }


async def skipped(group: str, what: str) -> list[dict] | None:
    """The figure saying ``group`` was skipped when PostgreSQL does not answer, else None."""
    why = await _reachable(_pg_url())
    if not why:
        return None
    print(f"{group}: skipped, no PostgreSQL at UA_BOT_BENCH_POSTGRES_URL ({why})", file=sys.stderr)
    return [
        {"name": f"{what}: skipped, no PostgreSQL", "value": "skipped", "unit": "", "goal": None}
    ]


async def run() -> list[dict]:
    if (skip := await skipped("http", "took_action over HTTP (Slack)")) is not None:
        return skip
    logging.getLogger("aiohttp.access").disabled = True
    # Interleaved 1, 2, 2, 1 and the best of each: other work on the machine comes and goes.
    rounds: dict[int, list[dict]] = {1: [], 2: []}
    order = [1, 2, 2, 1][: 2 * ROUNDS] if ROUNDS <= 2 else [1, 2] * ROUNDS
    for k, n in enumerate(order):
        rounds[n].append(await _round(n, 28100 + 10 * k))
    one = max(rounds[1], key=lambda r: r["rps"])
    two = max(rounds[2], key=lambda r: r["rps"])
    figs = []
    for n, r in ((1, one), (2, two)):
        figs += [
            {
                "name": f"took_action over HTTP (Slack, {CONCURRENCY} concurrent), "
                f"{n} web process{'es' if n > 1 else ''}, PostgreSQL",
                "unit": "req/s",
                "value": round(r["rps"]),
                "goal": None,
            },
            {
                "name": f"  {n} process: latency to the thanks p50 / p99 / ack p50",
                "unit": "ms",
                "value": f"{r['p50']:.1f} / {r['p99']:.1f} / {r['ack_p50']:.1f}",
                "goal": None,
            },
            {
                "name": f"  {n} process: CPU per request: web / PostgreSQL / load gen / fake API",
                "unit": "ms",
                "value": " / ".join("?" if v is None else f"{v:.2f}" for v in r["cpu"].values()),
                "goal": None,
            },
        ]
    # What scale-out costs on any machine: the web processes' CPU per request with two of
    # them against one (the median of each's rounds). The ratio of throughputs depends on
    # spare cores (on two cores one process already fills one): information only.
    web = {n: statistics.median(r["cpu"]["web"] for r in rounds[n]) for n in (1, 2)}
    figs.append(
        {
            "name": "web CPU per request, two processes / one",
            "value": round(web[2] / web[1], 2),
            "unit": "ratio",
            "goal": GOAL,
            "better": "lower",
        }
    )
    figs.append(
        {
            "name": "two web processes / one (throughput, information)",
            "value": round(two["rps"] / one["rps"], 2),
            "unit": "ratio",
            "goal": None,
        }
    )
    return figs

"""Shared fixtures: a migrated database (SQLite file, or PostgreSQL when configured) and a core."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from sqlalchemy import text

from adapters.settings import DeploymentSettings
from case_store import Store, create_engine_for
from case_store.migrate import upgrade_async
from tests.chat import TestChat
from ua_bot.core import Core
from ua_bot.handlers import command_table
from ua_bot.identity import Hasher
from ua_bot.model import Case, CaseStatus, Target

pytest_plugins = ["tests.broadcast_fixtures"]  # fake, bsettings, bcore, olga, worker
PG_URL = os.environ.get("UA_BOT_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgres"] if PG_URL else [])
SECRET = b"test-secret-0123456789abcdef"
ORGANISER = "console:olga"


async def reset_postgres(url: str) -> None:
    engine = create_engine_for(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


@pytest.fixture(params=BACKENDS)
async def db_url(request, tmp_path: Path) -> str:
    """A freshly migrated database URL on each configured backend."""
    if request.param == "postgres":
        from ua_bot.config import normalise_database_url

        url = normalise_database_url(PG_URL)
        await reset_postgres(url)
    else:
        url = f"sqlite+aiosqlite:///{tmp_path / 'ua_bot.db'}"
    engine = create_engine_for(url)
    await upgrade_async(engine)
    await engine.dispose()
    return url


@pytest.fixture
async def store(db_url: str):
    s = Store.from_url(db_url)
    yield s
    await s.close()


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> DeploymentSettings:
    return DeploymentSettings(
        database_url=db_url,
        ua_bot_secret=SECRET.decode(),
        ua_bot_organisers=ORGANISER,
        ua_bot_secret_file=tmp_path / "secret",
        ua_bot_rate_limit=1000,  # test_abuse.py checks the real limits
        _env_file=None,
    )


class FrozenClock:
    def __init__(self, when: dt.datetime) -> None:
        self.when = when

    def __call__(self) -> dt.datetime:
        return self.when


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(dt.datetime(2017, 12, 1, 12, 0, tzinfo=dt.UTC))


@pytest.fixture
async def core(store: Store, settings: DeploymentSettings, clock: FrozenClock) -> Core:
    return Core(store, settings, Hasher(SECRET), command_table(), clock=clock)


def make_case(ua: str = "253/17", **kw) -> Case:
    """A case shaped like the sample UA, written out here so core tests stand alone."""
    base = dict(
        ua_number=ua,
        title="MOTHER AND CHILD AT RISK OF FORCIBLE RETURN",
        summary="Lee Su-jung and her son are detained in Shenyang, China.",
        persons=["Lee Su-jung", "her son"],
        country="China",
        demands=[
            "Stop the forced return of any person to North Korea",
            "Grant refugee status to those North Koreans who are entitled to it",
            "Ensure Lee Su-jung is protected from torture and other ill-treatment",
        ],
        targets=[
            Target(
                name="Xi Jinping",
                title="President",
                organisation="The State Council General Office",
                address=[
                    "2 Fuyoujie",
                    "Xichengqu, Beijing Shi 100017",
                    "People's Republic of China",
                ],
                faxes=["+861062381025"],
                emails=["gov@govonline.cn"],
                salutation="Dear President",
            ),
            Target(
                name="Cui Tiankai",
                title="Ambassador",
                organisation="Embassy of the People's Republic of China",
                address=["3505 International Place NW, Washington DC 20008"],
                phones=["+12024952266"],
                faxes=["+12024952138"],
                emails=["chinaembpress_us@mfa.gov.cn", "chineseembassyspokesperson@gmail.com"],
                salutation="Dear Ambassador",
                notes=["If you receive an error message, please try calling instead!"],
            ),
        ],
        deadline=dt.date(2017, 12, 27),
    )
    base.update(kw)
    return Case(**base)


async def add_case(store: Store, case: Case, status: CaseStatus = CaseStatus.PUBLISHED) -> Case:
    async with store.unit() as tx:
        saved = await tx.save_case(case)
        await tx.set_status(saved.id, status)
        return await tx.get_case(case_id=saved.id)


@pytest.fixture
async def sample(store: Store) -> Case:
    return await add_case(store, make_case())


@pytest.fixture
def chat(core: Core) -> TestChat:
    return TestChat(core, user="console:sam")


@pytest.fixture
def organiser(core: Core) -> TestChat:
    return TestChat(core, user=ORGANISER)

"""Guards that no other test pinned (issue 17): each test here fails when its guard alone is
removed. The mailto: length is measured on the encoded link; each of the two Slack signature
checks refuses a forged request on its own; the outbox claim skips rows another worker holds
(PostgreSQL, two sessions) and leaves leased rows alone (both backends)."""

from __future__ import annotations

import asyncio
import datetime as dt
import time

import pytest
from slack_bolt.request.async_request import AsyncBoltRequest

from adapters.slack.app import SlackAdapter
from case_store import Store
from case_store.cases import now
from tests.broadcasting import OLGA, OLGA_CHAT, add_subscribers, broadcast_settings
from tests.chat import TestChat
from tests.conftest import SECRET, make_case
from tests.fakes.webhook_fake import FakePlatform
from tests.slack_kit import signed_headers
from tests.test_slack_e2e import slack_app
from ua_bot.core import Core
from ua_bot.drafting import make_draft
from ua_bot.drafting.drafts import MAILTO_LIMIT, mailto
from ua_bot.handlers import command_table
from ua_bot.identity import Hasher

WHEN = dt.datetime(2017, 12, 1, 12, tzinfo=dt.UTC)


def test_an_email_whose_encoded_link_is_too_long_gets_no_link():
    """1,656 characters of text, 2,501 once percent-encoded: over the limit, so no link."""
    case = make_case(demands=["Release every one of them now and let them go home " * 28])
    draft = make_draft(case, 1, "email", now=WHEN)
    encoded = mailto(case.targets[0].emails, draft.subject, draft.text)
    assert len(draft.subject) + len(draft.text) < MAILTO_LIMIT < len(encoded)
    assert draft.link == "" and "too long for a link" in draft.notes
    short = make_draft(make_case(), 1, "email", now=WHEN)
    assert short.link.startswith("mailto:")


async def test_a_malformed_timestamp_is_refused_before_bolt_reads_the_request(
    core, settings, store, sample
):
    """The pre-check alone: Bolt, given a non-numeric timestamp, fails with a 500."""
    async with slack_app(core, settings, store) as (api, slack):
        body = "command=/case&team_id=T1&channel_id=C1&user_id=U1&trigger_id=t1"
        for bad in ("yesterday", "1e9", "v0=é"):
            headers = {**signed_headers(body), "X-Slack-Request-Timestamp": bad}
            if bad.startswith("v0"):
                headers = {**signed_headers(body), "X-Slack-Signature": bad.encode()}
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            r = await slack.http.post(slack.url, content=body.encode(), headers=headers)
            assert r.status_code == 401, bad
    assert api.sent() == []


async def test_bolt_verifies_every_request_it_is_given(core, settings, store, sample):
    """Bolt's own check alone: a request that reaches the app by any route is verified."""
    async with slack_app(core, settings, store) as (api, _):
        adapter = SlackAdapter(core, settings)
        body = "command=/case&team_id=T1&channel_id=C1&user_id=U1&trigger_id=t1&text="
        forged = signed_headers(body, secret="not-the-signing-secret")
        stale = signed_headers(body, timestamp=int(time.time()) - 600)
        for headers in (forged, stale, {}):
            request = AsyncBoltRequest(
                body=body,
                headers={"content-type": "application/x-www-form-urlencoded", **headers},
            )
            assert (await adapter.app.async_dispatch(request)).status == 401
        good = AsyncBoltRequest(
            body=body,
            headers={"content-type": "application/x-www-form-urlencoded", **signed_headers(body)},
        )
        assert (await adapter.app.async_dispatch(good)).status == 200
        await api.wait_sent(1)  # the genuine one is answered


async def _queued(db_url, tmp_path, store, clock, n: int) -> None:
    async with FakePlatform() as fake:
        s = broadcast_settings(db_url, tmp_path, fake.url)
        core = Core(store, s, Hasher(SECRET), command_table(), clock=clock)
        olga = TestChat(core, user=OLGA, address=OLGA_CHAT)
        await add_subscribers(store, n)
        assert f"{n} recipients added" in await olga.say("/broadcast 253/17")


async def test_a_leased_row_is_not_claimed_again_until_its_lease_ends(
    db_url, tmp_path, store, sample, clock
):
    await _queued(db_url, tmp_path, store, clock, 6)
    t = now() + dt.timedelta(seconds=1)
    lease = dt.timedelta(seconds=60)
    async with store.unit() as tx:
        first = await tx.claim("webhook", "w1", 10, t, t + lease)
    assert len(first) == 6
    async with store.unit() as tx:
        assert await tx.claim("webhook", "w2", 10, t + dt.timedelta(seconds=30), t + lease) == []
    later = t + lease + dt.timedelta(seconds=1)
    async with store.unit() as tx:
        again = await tx.claim("webhook", "w2", 10, later, later + lease)
    assert [c.id for c in again] == [c.id for c in first]  # a dead worker's rows come back


async def test_a_claim_skips_rows_another_session_holds(db_url, tmp_path, store, sample, clock):
    """Two sessions on PostgreSQL: the first claims and keeps its transaction open; the
    second must take other rows at once, not wait and then take the same ones."""
    if db_url.startswith("sqlite"):
        pytest.skip("concurrent claims need PostgreSQL (SQLite has one writer)")
    await _queued(db_url, tmp_path, store, clock, 10)
    t = now() + dt.timedelta(seconds=1)
    until = t + dt.timedelta(seconds=60)
    other = Store.from_url(db_url)
    try:
        async with store.unit() as tx:
            held = await tx.claim("webhook", "w1", 5, t, until)

            async def second() -> list:
                async with other.unit() as tx2:
                    return await tx2.claim("webhook", "w2", 5, t, until)

            task = asyncio.create_task(second())
            done, _ = await asyncio.wait({task}, timeout=10)  # bounded only if the guard is gone
            waited = not done
        taken = await task
    finally:
        await other.close()
    assert not waited, "the second claim waited for the first transaction"
    assert len(held) == len(taken) == 5
    assert not {c.id for c in held} & {c.id for c in taken}

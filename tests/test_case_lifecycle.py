"""The lifecycle use cases: reopen ends an outcome, close says what outcome stays, an
update is claimed before it is stored, a broadcast says when no worker runs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from tests.chat import TestChat
from tests.conftest import ORGANISER, SECRET, add_case, make_case
from tests.organiser_kit import csrf, signed_in_on_case
from ua_bot.core import Core
from ua_bot.handlers import command_table
from ua_bot.identity import Hasher
from ua_bot.model import CaseStatus


async def test_reopen_after_good_news_lets_supporters_act_again(core, store):
    await add_case(store, make_case())
    organiser, ann = TestChat(core, user=ORGANISER), TestChat(core, user="console:ann")
    await organiser.say("/close 253/17 released")
    assert "closed: released" in await ann.say("/case 253/17")
    reply = await organiser.say("/reopen 253/17")
    assert "open again" in reply and "released" in reply and "no longer stands" in reply
    card = await ann.say("/case 253/17")
    assert "No more action is needed" not in card and "Good news" not in card
    assert "Thank you" in await ann.say("/took_action 253/17 letter")
    async with store.unit() as tx:
        assert await tx.case_totals((await tx.get_case(ua="253/17")).id) == (1, 1)


async def test_an_update_with_good_news_can_be_ended_on_the_case_page(settings, store, core):
    async with signed_in_on_case(settings, store, core, CaseStatus.PUBLISHED) as (http, case):
        await TestChat(core, user=ORGANISER).say("/update 253/17 released: she was freed")
        page = f"/organiser/cases/{case.id}"
        html = (await http.get(page)).text
        assert 'id="end-outcome"' in html
        r = await http.post(page, data={"csrf": csrf(html), "do": "reopen"})
        assert "no longer stands" in r.text and 'id="end-outcome"' not in r.text
    async with store.unit() as tx:
        after = await tx.get_case(ua="253/17")
    assert after.status == CaseStatus.PUBLISHED and after.outcome == ""
    card = await TestChat(core, user="console:ann").say("/case 253/17")
    assert "No more action is needed" not in card


async def test_reopen_of_an_open_case_without_outcome_is_refused(core, store):
    await add_case(store, make_case())
    assert "already open" in await TestChat(core, user=ORGANISER).say("/reopen 253/17")


async def test_closing_without_an_outcome_says_which_outcome_stays(core, store):
    await add_case(store, make_case())
    organiser = TestChat(core, user=ORGANISER)
    assert "No outcome is recorded" in await organiser.say("/close 253/17")
    await organiser.say("/close 253/17 charged")
    reply = await organiser.say("/close 253/17")
    assert "Its outcome stays: charged" in reply
    async with store.unit() as tx:
        assert (await tx.get_case(ua="253/17")).outcome == "charged"


async def _updates(store) -> int:
    from case_store.tables import case_updates

    async with store.unit() as tx:
        return (await tx.conn.execute(select(func.count()).select_from(case_updates))).scalar_one()


async def test_an_update_redelivered_to_another_process_is_stored_once(store, settings, clock):
    """Two processes (two cores, each with its own memory of deliveries) get the same
    platform delivery: the claim is made in the update's own transaction, before it."""
    await add_case(store, make_case())
    first, second = (
        Core(store, settings, Hasher(SECRET), command_table(), clock=clock) for _ in range(2)
    )
    line = "/update 253/17 she was moved to another prison"
    one = await TestChat(first, user=ORGANISER).say(line, delivery_id="d-1")
    two = await TestChat(second, user=ORGANISER).say(line, delivery_id="d-1")
    assert "Update stored" in one and two == ""
    assert await _updates(store) == 1


async def test_a_broadcast_says_when_no_worker_runs(core, store, clock):
    await add_case(store, make_case())
    sam, organiser = TestChat(core, user="console:sam"), TestChat(core, user=ORGANISER)
    await sam.say("/subscribe")
    reply = await organiser.say("/broadcast 253/17")
    assert "no worker is running, start `ua-bot worker`" in reply
    async with store.unit() as tx:
        await tx.worker_beat(clock() - dt.timedelta(seconds=5))
    reply = await organiser.say("/broadcast 253/17 reminder")
    assert "Queued UA 253/17 (deadline reminder)" in reply and "no worker" not in reply
    async with store.unit() as tx:
        await tx.worker_beat(clock() - dt.timedelta(hours=1))  # the worker stopped
    await organiser.say("/update 253/17 she was moved")
    reply = await organiser.say("/broadcast 253/17 update --all")
    assert "no worker is running" in reply


async def test_the_queued_line_counts_this_broadcast_only(core, store):
    await add_case(store, make_case())
    await TestChat(core, user="console:sam").say("/subscribe")
    await TestChat(core, user="console:tom").say("/subscribe")
    organiser = TestChat(core, user=ORGANISER)
    assert "This broadcast: sent 0 of 2, 2 waiting" in await organiser.say("/broadcast 253/17")
    reply = await organiser.say("/broadcast 253/17 reminder")
    assert "This broadcast: sent 0 of 2, 2 waiting" in reply  # not 0 of 4


async def test_a_broadcast_started_on_the_pages_says_no_worker_runs(settings, store, core):
    async with signed_in_on_case(settings, store, core, CaseStatus.PUBLISHED) as (http, case):
        await TestChat(core, user="console:sam").say("/subscribe")
        page = f"/organiser/cases/{case.id}"
        token = csrf((await http.get(page)).text)
        r = await http.post(page, data={"csrf": token, "do": "broadcast", "kind": "new"})
        assert "This broadcast: sent 0 of 1, 1 waiting" in r.text
        assert "no worker is running, start `ua-bot worker`" in r.text

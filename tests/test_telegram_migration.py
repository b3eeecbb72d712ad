"""A subscribed Telegram group upgraded to a supergroup keeps receiving broadcasts."""

from __future__ import annotations

from adapters.senders import senders_for
from tests.chat import TestChat
from tests.conftest import ORGANISER
from tests.fakes.telegram_api import FakeBotAPI
from tests.telegram_kit import point_at, polling, subscribed_addresses
from tests.waiting import eventually
from ua_bot.broadcast.worker import Worker

OLD, NEW = -100200, -1001234567890


async def _subscribe_group(core) -> None:
    group = TestChat(core, user="telegram:5001", address=f"telegram:{OLD}")
    assert "Subscribed" in await group.say("/subscribe")


async def test_the_migration_messages_move_the_subscription(core, settings, store, sample):
    await _subscribe_group(core)
    async with polling(core, settings) as (api, _adapter):
        first, second = api.migration(OLD, NEW)
        await api.push(first)

        async def moved() -> bool:
            return await subscribed_addresses(store) == [f"telegram:{NEW}"]

        await eventually(moved)
        await api.push(second)  # the second notice finds it done and changes nothing
        await eventually(lambda: _no_updates_left(api))
        assert await subscribed_addresses(store) == [f"telegram:{NEW}"]


async def _no_updates_left(api) -> bool:
    return not api._updates


async def test_a_broadcast_meeting_chat_migrated_retries_once_at_the_new_id(
    core, settings, store, sample
):
    await _subscribe_group(core)
    async with FakeBotAPI() as api:
        point_at(settings, api)
        api.migrated[OLD] = NEW
        org = TestChat(core, user=ORGANISER)
        assert "1 recipient" in await org.say("/broadcast 253/17 new")
        senders = senders_for(settings, store)
        worker = Worker(store, settings, senders)
        await worker.run_until_idle()
        for s in senders.values():
            await s.close()
        tries = [c.chat_id for c in api.calls if c.method == "sendMessage"]
        assert tries == [OLD, NEW], "one refused send to the old id, one retry at the new"
        assert "MOTHER AND CHILD" in api.sent("sendMessage", chat_id=NEW)[0].params["text"]
        assert await subscribed_addresses(store) == [f"telegram:{NEW}"]
        assert "sent 1 of 1" in await org.say("/broadcast_status 253/17")
        # The next broadcast goes straight to the supergroup.
        await org.say("/update 253/17 The hearing is on 20 December.")
        await org.say("/broadcast 253/17 update --all")
        worker = Worker(store, settings, senders_for(settings, store))
        await worker.run_until_idle()
        for s in worker.senders.values():
            await s.close()
        tries = [c.chat_id for c in api.calls if c.method == "sendMessage"]
        assert tries[2:] == [NEW]


async def test_a_move_onto_an_address_already_subscribed_keeps_one_subscription(core, store):
    for who in ("telegram:5001", "telegram:5002"):
        assert "Subscribed" in await TestChat(core, user=who, address=f"telegram:{OLD}").say(
            "/subscribe"
        )
    await TestChat(core, user="telegram:5001", address=f"telegram:{NEW}").say("/subscribe")
    async with store.unit() as tx:
        assert await tx.move_address(f"telegram:{OLD}", f"telegram:{NEW}") == 1
    assert sorted(await subscribed_addresses(store)) == [f"telegram:{NEW}"] * 2

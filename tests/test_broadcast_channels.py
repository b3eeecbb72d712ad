"""Broadcast channels (/broadcast_here) are recipients: new cases, reminders and updates "to
all", not an update meant for supporters who acted; once each; retired when gone."""

from __future__ import annotations

from case_store.channels import broadcast_channels
from tests.broadcasting import OLGA, OLGA_CHAT, count_rows, outbox_states
from tests.chat import TestChat
from tests.fakes.webhook_fake import FakePlatform

ROOM = "webhook:room"  # a group chat an organiser marked with /broadcast_here


def got(fake: FakePlatform) -> set[str]:
    return {a for a in fake.received if a != OLGA_CHAT}


async def test_a_channel_gets_new_cases_reminders_and_updates_to_all(
    bcore, store, sample, fake, worker
):
    in_room = TestChat(bcore, user=OLGA, address=ROOM)
    assert "will receive case announcements" in await in_room.say("/broadcast_here")
    olga = TestChat(bcore, user=OLGA, address=OLGA_CHAT)
    acted = TestChat(bcore, user="webhook:u-acted", address="webhook:c-acted")
    await acted.say("/subscribe")
    await acted.say("/took_action letter")

    assert "2 recipients added" in await olga.say("/broadcast 253/17")
    await worker.run_until_idle()
    assert got(fake) == {ROOM, "webhook:c-acted"}

    fake.received.clear()
    await olga.say("/update 253/17 released: Lee Su-jung was freed")
    await worker.run_until_idle()
    assert got(fake) == {"webhook:c-acted"}, "an update for those who acted skips channels"
    assert "1 recipient added" in await olga.say("/broadcast 253/17 update --all")
    await worker.run_until_idle()
    assert fake.received[ROOM] == 1 and fake.received["webhook:c-acted"] == 1

    fake.received.clear()
    await olga.say("/broadcast 253/17 reminder")
    await worker.run_until_idle()
    assert got(fake) == {ROOM}, "the reminder: channels and those who have not acted"


async def test_a_channel_that_is_also_subscribed_gets_one_message(
    bcore, store, sample, fake, worker
):
    in_room = TestChat(bcore, user=OLGA, address=ROOM)
    await in_room.say("/broadcast_here")
    member = TestChat(bcore, user="webhook:u-member", address=ROOM)
    assert "Subscribed" in await member.say("/subscribe")
    olga = TestChat(bcore, user=OLGA, address=OLGA_CHAT)
    assert "1 recipient added" in await olga.say("/broadcast 253/17")
    await worker.run_until_idle()
    assert got(fake) == {ROOM} and fake.received[ROOM] == 1


async def test_a_gone_channel_is_retired(bcore, store, sample, fake, worker):
    for room in (ROOM, "webhook:room-2"):
        await TestChat(bcore, user=OLGA, address=room).say("/broadcast_here")
    fake.gone = {ROOM}
    await TestChat(bcore, user=OLGA, address=OLGA_CHAT).say("/broadcast 253/17")
    await worker.run_until_idle()
    assert await outbox_states(store) == {"sent": 1, "gone": 1}
    async with store.unit() as tx:
        assert await tx.broadcast_channels() == ["webhook:room-2"]
    assert await count_rows(store, broadcast_channels) == 1

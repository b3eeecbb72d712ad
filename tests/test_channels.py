"""/broadcast_here (organisers mark chats for announcements) and workspace-admin organisers."""

from __future__ import annotations

import dataclasses

from ua_bot.messages import Incoming


def line(text: str, user: str, address: str, **kw) -> Incoming:
    return Incoming.command_line(text, address=address, user=user, private=False, **kw)


async def test_an_organiser_marks_and_unmarks_a_broadcast_channel(core, organiser, store):
    room = "console:room-1"
    (r,) = await core.handle(line("/broadcast_here", "console:olga", room, workspace="w1"))
    assert r.markup.startswith("This chat will receive case announcements")
    (again,) = await core.handle(line("/broadcast_here", "console:olga", room, workspace="w1"))
    assert "already" in again.markup
    async with store.unit() as tx:
        assert await tx.broadcast_channels() == [room]
        assert await tx.broadcast_channels("console") == [room]
        assert await tx.broadcast_channels("other") == []
    (off,) = await core.handle(line("/broadcast_here off", "console:olga", room))
    assert off.markup.startswith("This chat no longer")
    (not_one,) = await core.handle(line("/broadcast_here off", "console:olga", room))
    assert "was not" in not_one.markup
    async with store.unit() as tx:
        assert await tx.broadcast_channels() == []


async def test_members_cannot_mark_a_channel(core, store):
    (r,) = await core.handle(line("/broadcast_here", "console:mallory", "console:room-2"))
    assert "organisers only" in r.markup
    async with store.unit() as tx:
        assert await tx.broadcast_channels() == []


async def test_removing_a_workspace_drops_only_its_channels(store):
    async with store.unit() as tx:
        await tx.add_broadcast_channel("x:w1:a", "x", "w1")
        await tx.add_broadcast_channel("x:w1:b", "x", "w1")
        await tx.add_broadcast_channel("x:w2:a", "x", "w2")
        assert await tx.remove_workspace_channels("x", "w1") == 2
        assert await tx.broadcast_channels() == ["x:w2:a"]


async def test_workspace_admins_are_organisers_only_when_the_setting_says_so(core, settings):
    admin = line(
        "/broadcast_here", "console:ada", "console:room-3", workspace="w1", is_workspace_admin=True
    )
    (r,) = await core.handle(admin)
    assert "organisers only" in r.markup
    settings.ua_bot_workspace_admins_are_organisers = True
    (r,) = await core.handle(dataclasses.replace(admin, delivery_id=None))
    assert r.markup.startswith("This chat will receive")
    member = dataclasses.replace(admin, is_workspace_admin=False, address="console:room-4")
    (r,) = await core.handle(member)
    assert "organisers only" in r.markup

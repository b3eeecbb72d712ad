"""Replies from officials: kept with no supporter identity, shown on the organiser pages."""

from __future__ import annotations

from sqlalchemy import select

from case_store.official_replies import official_replies
from tests.chat import TestChat
from tests.fakes.telegram_api import private_chat, user
from tests.organiser_kit import csrf, signed_in_on_case
from tests.telegram_kit import polling
from ua_bot.model import CaseStatus


async def test_a_reply_is_kept_without_the_sender_and_shown_on_the_case_page(settings, store, core):
    async with signed_in_on_case(settings, store, core, CaseStatus.PUBLISHED) as (http, case):
        async with polling(core, settings) as (api, _):
            line = "/official_reply 253/17 2 We have <b>received</b> your letter."
            await api.push(api.message(private_chat(61), user(61), line))
            (told,) = await api.wait_sent(1, chat_id=61)
        text = told.params["text"]
        assert "kept for the organisers, without your name or any id of yours" in text
        assert "may share it with the network" in text
        async with store.unit() as tx:
            rows = (await tx.conn.execute(select(official_replies))).all()
        assert [(r.target_no, r.text) for r in rows] == [
            (2, "We have <b>received</b> your letter.")
        ]
        assert set(rows[0]._fields) == {"id", "case_id", "target_no", "text", "created_at"}
        await TestChat(core, user="console:ann").say("/official_reply 253/17 2 No comment.")
        page = (await http.get(f"/organiser/cases/{case.id}")).text
        assert "2. Cui Tiankai: 2 replies" in page
        assert "We have &lt;b&gt;received&lt;/b&gt; your letter." in page, "escaped"
        form = {"csrf": csrf(page), "do": "delete_reply", "reply": str(rows[0].id)}
        r = await http.post(f"/organiser/cases/{case.id}", data=form)
        assert r.status_code == 200 and "Deleted reply" in r.text
        assert "2. Cui Tiankai: 1 reply" in r.text and "received" not in r.text


async def test_replies_in_chat_for_organisers_and_bad_input(chat, organiser, sample):
    assert "For example /official_reply 253/17 2" in await chat.say("/official_reply 253/17 9 Hi")
    assert "For example" in await chat.say("/official_reply 253/17 1")
    await chat.say("/official_reply 253/17 1 Noted.")
    text = await organiser.say("/replies 253/17")
    assert "1. Xi Jinping: 1 reply" in text and "Noted." in text
    assert "for organisers only" in await chat.say("/replies 253/17")
    assert "has no reply #999" in await organiser.say("/replies 253/17 delete 999")

"""Smaller findings of issue 17: invisible reordering characters, a mailto: query read as a
second address, an anonymous action's recording time, and the mode of a saved letter."""

from __future__ import annotations

import datetime as dt
import stat

from sqlalchemy import select

from adapters.console import render
from case_store.tables import actions
from ua_bot.importer.contacts import parse_contact_line
from ua_bot.messages import Document, Reply

RLO, ZWSP, PDI = "\u202e", "\u200b", "\u2069"


async def test_reordering_and_zero_width_characters_are_not_echoed(chat, store, sample):
    signed = await chat.say(f"/sign Ann{RLO} Lee{ZWSP}, Leeds{PDI}")
    assert "Ann Lee, Leeds" in signed
    country = await chat.say(f"/subscribe country Chi{ZWSP}na{RLO}")
    assert "China" in country
    for text in (signed, country):
        assert not {RLO, ZWSP, PDI} & set(text)
    async with store.unit() as tx:
        who = await tx.supporter(chat.core.hasher.supporter(chat.user))
        (sub,) = await tx.subscriptions_of(chat.core.hasher.supporter(chat.user))
    assert who.signature == "Ann Lee, Leeds" and sub.country == "China"


def test_a_mailto_query_is_not_a_second_address():
    found = parse_contact_line("Email: gov@govonline.cn?bcc=spy@example.org", None)
    assert found.emails == ["gov@govonline.cn"]
    both = parse_contact_line("Email: gov@govonline.cn, press@mfa.gov.cn", None)
    assert both.emails == ["gov@govonline.cn", "press@mfa.gov.cn"]


async def test_a_forgotten_supporters_actions_keep_only_their_day(chat, store, sample):
    await chat.say("/took_action 253/17 email")
    await chat.say("/forget_me yes")
    async with store.unit() as tx:
        (row,) = (await tx.conn.execute(select(actions.c.created_at, actions.c.day))).all()
    created = row.created_at.replace(tzinfo=row.created_at.tzinfo or dt.UTC)
    assert created.timetz() == dt.time(tzinfo=dt.UTC) and created.date() == row.day


def test_a_letter_saved_by_the_console_is_readable_by_its_owner_only(tmp_path):
    old = tmp_path / "letter.pdf"
    old.write_bytes(b"an older letter")
    old.chmod(0o644)
    reply = Reply([Document("letter.pdf", b"%PDF-1.4 Ann Lee", "application/pdf")])
    render(reply, tmp_path)
    assert stat.S_IMODE(old.stat().st_mode) == 0o600
    assert old.read_bytes() == b"%PDF-1.4 Ann Lee"

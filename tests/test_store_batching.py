"""Concurrent commands share the store's transactions: a supporter's language, a chat's current
case and a confirmation are read and written in batches, and each still gets its own answer."""

from __future__ import annotations

import asyncio
from contextlib import contextmanager

from sqlalchemy import event

from tests.chat import TestChat
from tests.conftest import SECRET, add_case, make_case
from ua_bot.core import Core
from ua_bot.handlers import command_table
from ua_bot.identity import Hasher

CHATS = 40


@contextmanager
def transactions(store):
    """Count the transactions begun on the store's engine meanwhile."""
    seen = [0]

    def begun(_conn) -> None:
        seen[0] += 1

    event.listen(store.engine.sync_engine, "begin", begun)
    try:
        yield seen
    finally:
        event.remove(store.engine.sync_engine, "begin", begun)


async def test_many_first_commands_at_once_share_transactions_and_keep_their_own_answers(
    store, settings, clock, sample
):
    other = await add_case(store, make_case("254/17", persons=["Kim Jae-won"]))
    setup = Core(store, settings, Hasher(SECRET), command_table(), clock=clock)
    spanish = [n for n in range(CHATS) if n % 2]
    for n in spanish:
        await TestChat(setup, f"console:p{n}").say("/lang es")

    # nothing cached: all first times
    core = Core(store, settings, Hasher(SECRET), command_table(), clock=clock)
    chats = [TestChat(core, f"console:p{n}") for n in range(CHATS)]
    with transactions(store) as begun:
        texts = await asyncio.gather(
            *(c.say(f"/case {'254/17' if n % 4 < 2 else '253/17'}") for n, c in enumerate(chats))
        )
    assert begun[0] <= CHATS // 4, f"{begun[0]} transactions for {CHATS} first /case"
    for n, text in enumerate(texts):
        person = "Kim Jae-won" if n % 4 < 2 else "Lee Su-jung"
        heading = "Personas en peligro, en inglés:\n>" if n in spanish else "People at risk:"
        assert f"{heading} {person}" in text, (n, text)

    # Another process finds each chat's current case: the batched writes were committed.
    later = Core(store, settings, Hasher(SECRET), command_table(), clock=clock)
    with transactions(store) as begun:
        texts = await asyncio.gather(
            *(TestChat(later, c.user).say("/took_action letter") for c in chats)
        )
    assert begun[0] <= CHATS // 4, f"{begun[0]} transactions for {CHATS} confirmations"
    for n, text in enumerate(texts):
        ua = other.ua_number if n % 4 < 2 else sample.ua_number
        thanks = "Thank you! A letter for UA"
        if n in spanish:
            thanks = "¡Gracias! Una carta para la Acción Urgente"
        assert f"{thanks} {ua}" in text, (n, text)
    async with store.unit() as tx:
        assert await tx.case_totals(other.id) == (CHATS // 2, CHATS // 2)
        assert await tx.case_totals(sample.id) == (CHATS // 2, CHATS // 2)


async def test_a_confirmation_brings_a_language_set_in_another_process(
    store, settings, clock, sample
):
    """The write a confirmation makes reads the supporter's language back: a /lang handled by
    another web process is followed from the next command on, without waiting for the cache."""
    one = Core(store, settings, Hasher(SECRET), command_table(), clock=clock)
    two = Core(store, settings, Hasher(SECRET), command_table(), clock=clock)
    in_one, in_two = TestChat(one, "console:eva"), TestChat(two, "console:eva")
    assert "People at risk" in await in_two.say("/case")  # English, cached in two
    assert "te escribo y redacto en español" in await in_one.say("/lang es")
    assert "Thank you!" in await in_two.say("/took_action letter")  # chosen before the write
    assert "Personas en peligro" in await in_two.say("/case")

"""The case card is rendered once and shown again from memory: what a reader sees must still
follow every change (an update, a closing, new actions) and one reader's note must not
reach another."""

from __future__ import annotations

from tests.chat import TestChat


async def test_a_remembered_card_follows_updates_closing_and_totals(core, sample, organiser):
    sam, kim = TestChat(core, "console:sam"), TestChat(core, "console:kim")
    assert "No one has recorded an action yet" in await sam.say("/case 253/17")
    assert "No one has recorded an action yet" in await sam.say("/case 253/17")

    await kim.say("/took_action 253/17 letter")
    assert "1 supporter took 1 action so far" in await sam.say("/case 253/17")

    await organiser.say("/update 253/17 The court will hear the case on 20 December.")
    text = await sam.say("/case 253/17")
    assert "The court will hear the case on 20 December." in text

    await organiser.say("/close 253/17 released")
    text = await sam.say("/case 253/17")
    assert "This case is closed" in text and "I took action" not in text


async def test_a_note_for_one_reader_stays_with_that_reply(core, sample):
    ana, bob = TestChat(core, "console:ana"), TestChat(core, "console:bob")
    await ana.say("/lang es")
    await bob.say("/lang es")
    assert "El texto de este caso está en inglés" in await ana.say("/case 253/17")
    # the same card, from memory: told once to ana, and once to bob
    assert "está en inglés" not in await ana.say("/case 253/17")
    assert "El texto de este caso está en inglés" in await bob.say("/case 253/17")
    assert "está en inglés" not in await bob.say("/case 253/17")

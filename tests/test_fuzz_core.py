"""Fuzzing the core: any command text or button payload gets a short answer, never a crash.

Every reply must come from a handler that understood the input or refused it plainly:
"something went wrong" (an unexpected exception) counts as a failure, and a refused
input must not change the stored counts.
"""

from __future__ import annotations

import string

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.chat import TestChat
from ua_bot.handlers import command_table
from ua_bot.messages import Incoming, Kind

NAMES = sorted({s.name for s in command_table()} | {"took", "done", "nope"})
WORDS = st.sampled_from(
    [
        "253/17",
        "UA",
        "253.17",
        "9/99",
        "letter",
        "email",
        "pigeon",
        "1",
        "2",
        "0",
        "-1",
        "Xi",
        "Cui",
        "pdf",
        "all",
        "999999999999",
        "",
        "*",
        "_",
        "[x](y)",
        "\\",
        "\x00",
    ]
)
TEXT = st.one_of(
    st.lists(WORDS, max_size=5).map(" ".join),
    st.text(alphabet=string.printable + "éü中\u202e\x00\x1b", max_size=80),
)

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


async def _totals(store, case_id):
    async with store.unit() as tx:
        return await tx.case_totals(case_id), await tx.action_totals(case_id)


@FUZZ
@given(name=st.sampled_from(NAMES), args=TEXT)
async def test_any_command_text(core, store, sample, name, args):
    chat = TestChat(core, user="console:fuzz")
    before = await _totals(store, sample.id)
    text = await chat.say(f"/{name} {args}")
    assert "something went wrong" not in text
    if not any(
        w in text for w in ("is recorded", "Removed", "Subscribed", "Unsubscribed", "deleted")
    ):
        assert await _totals(store, sample.id) == before, (name, args, text)


@FUZZ
@given(payload=TEXT)
async def test_forged_button_payloads(core, store, sample, payload):
    """A client can send any payload: it is just a command line, with the same checks."""
    inc = Incoming(Kind.BUTTON, "console:fz", "console:fz", payload=payload)
    replies = await core.handle(inc)
    assert all("something went wrong" not in r.markup for r in replies)


async def test_forged_payloads_cannot_act_for_others_or_on_closed_cases(core, store, sample):
    victim = TestChat(core, user="console:victim")
    await victim.say("/took_action letter")
    attacker = TestChat(core, user="console:attacker")
    payload = victim.button("Undo").payload
    inc = Incoming(Kind.BUTTON, "console:attacker", "console:attacker", payload=payload)
    assert "no recorded action to undo" in (await core.handle(inc))[0].markup
    assert (await _totals(store, sample.id))[0] == (1, 1), "the victim's action stays"
    async with store.unit() as tx:
        from ua_bot.model import CaseStatus

        await tx.set_status(sample.id, CaseStatus.CLOSED)
    core.cases.invalidate()
    assert "is closed" in await attacker.say("/took_action 253/17 email")
    assert (await _totals(store, sample.id))[0] == (1, 1)


@FUZZ
@given(name=st.sampled_from(NAMES), args=TEXT)
@example(name="import", args="~0")  # a home directory of no known user
async def test_any_organiser_command_text(core, store, sample, name, args):
    from tests.conftest import ORGANISER

    chat = TestChat(core, user=ORGANISER)
    text = await chat.say(f"/{name} {args}")
    assert "something went wrong" not in text

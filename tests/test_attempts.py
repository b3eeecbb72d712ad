"""After the action: how an attempt went, failures kept apart, contacts reported broken."""

from __future__ import annotations

from sqlalchemy import select

from case_store.outbox_tables import broadcasts, outbox
from case_store.tables import actions
from tests.chat import TestChat
from tests.conftest import ORGANISER


async def outbox_to(store, address: str) -> list:
    q = (
        select(broadcasts.c.kind, outbox.c.address)
        .join(broadcasts, broadcasts.c.id == outbox.c.broadcast_id)
        .where(outbox.c.address == address)
    )
    async with store.unit() as tx:
        return list((await tx.conn.execute(q)).all())


async def test_voicemail_is_not_counted_as_a_call_and_another_channel_is_offered(
    chat, sample, core
):
    text = await chat.say("/took_action call 2")
    assert "A call to Cui Tiankai for UA 253/17 is recorded" in text
    assert "How did it go?" in text
    labels = [b.label for b in chat.replies[0].buttons]
    assert labels[:4] == ["Got through", "Voicemail", "No answer", "Number does not work"]
    text = await chat.press("Voicemail")
    assert "Noted: voicemail, so it does not count as done. Try another way:" in text
    offered = [b.payload for b in chat.replies[0].buttons]
    assert offered == ["/letter 253/17 2", "/email 253/17 2", "/fax 253/17 2"]
    assert "No one has recorded an action yet" in await chat.say("/case")
    # the one tap is once: a second answer changes nothing
    assert "already told me" in await chat.press("Got through")
    assert "No one has recorded an action yet" in await chat.say("/case")


async def test_a_call_that_got_through_counts(chat, sample):
    await chat.say("/took_action call 2")
    assert "the call got through" in await chat.press("Got through")
    assert "1 action" in await chat.say("/case")


async def test_a_failed_channel_with_no_other_offers_the_next_official(chat, sample):
    await chat.say("/took_action email 1")  # Xi Jinping: letter, email, fax
    await chat.press("Bounced")
    assert [b.payload for b in chat.replies[0].buttons] == ["/letter 253/17 1", "/fax 253/17 1"]
    await chat.say("/took_action call 2")
    await chat.press("Number does not work")  # Cui Tiankai has other channels too
    assert "/email 253/17 2" in [b.payload for b in chat.replies[0].buttons]


async def test_undo_of_a_failed_attempt_keeps_the_totals_right(chat, sample, store):
    await chat.say("/took_action letter")
    await chat.say("/took_action email 1")
    await chat.press("Bounced")
    await chat.say("/undo")
    assert "1 action" in await chat.say("/case")
    async with store.unit() as tx:
        assert await tx.case_totals(sample.stored_id) == (1, 1)
        assert await tx.outcome_rows([sample.stored_id]) == []


async def test_outcome_keeps_no_new_identity(chat, sample, store):
    await chat.say("/took_action email 1")
    await chat.press("Bounced")
    async with store.unit() as tx:
        rows = (await tx.conn.execute(select(actions.c.outcome))).scalars().all()
        assert rows == ["bounced"]
    from case_store.attempts import contact_warnings, outcome_counts

    for table in (outcome_counts, contact_warnings):  # counts and marks, not people
        assert not [c.name for c in table.c if "supporter" in c.name or "address" in c.name]


async def test_bad_outcome_is_refused_plainly(chat, sample):
    text = await chat.say("/outcome 253/17 call 2 exploded")
    assert "for example /outcome 253/17 call 1 voicemail" in text
    text = await chat.say("/outcome 253/17 call 2 voicemail")
    assert "record it first" in text


async def test_three_bounces_mark_the_address_and_tell_organisers_once(core, sample, store):
    people = [TestChat(core, user=f"console:s{i}") for i in range(6)]
    for p in people[:2]:
        await p.say("/took_action email 1")
        await p.press("Bounced")
    assert "bounces" not in await people[0].say("/targets")
    assert await outbox_to(store, ORGANISER) == []
    await people[2].say("/took_action email 1")
    await people[2].press("Bounced")
    text = await people[3].say("/targets")
    assert (
        "Several supporters report that the email address of Xi Jinping (gov@govonline.cn) "
        "bounces; try a letter or the fax." in text
    )
    assert "bounces" in await people[3].say("/email 253/17 1")
    assert "bounces" not in await people[3].say("/email 253/17 2")
    for p in people[3:]:  # three more reports while it is marked: no second notice
        await p.say("/took_action email 1")
        await p.press("Bounced")
    assert await outbox_to(store, ORGANISER) == [("contact", ORGANISER)], "told once"


async def test_the_same_supporter_three_times_marks_nothing(chat, sample, store, clock):
    import datetime as dt

    for day in range(3):
        clock.when = dt.datetime(2017, 12, 1 + day, 12, tzinfo=dt.UTC)
        await chat.say("/took_action email 1")
        await chat.press("Bounced")
    assert "bounces" not in await chat.say("/targets")


async def test_the_mark_ends_when_the_organiser_corrects_or_confirms(
    core, sample, store, organiser
):
    people = [TestChat(core, user=f"console:s{i}") for i in range(3)]
    for p in people:
        await p.say("/took_action email 1")
        await p.press("Bounced")
    assert "bounces" in await people[0].say("/targets")
    text = await organiser.say("/contact_ok 253/17 1 email")
    assert "no longer marked" in text
    assert "bounces" not in await people[0].say("/targets")
    # new reports count from the confirmation; a corrected address has no mark at all
    later = [TestChat(core, user=f"console:t{i}") for i in range(3)]
    for p in later:
        await p.say("/took_action email 1")
        await p.press("Bounced")
    assert "bounces" in await people[0].say("/targets")
    case = sample
    case.targets[0].emails = ["president@gov.example"]
    async with store.unit() as tx:
        await tx.save_case(case)
    core.cases.invalidate()
    assert "bounces" not in await people[0].say("/targets")


async def test_the_worker_sends_organisers_the_notice(core, sample, store):
    from ua_bot.organiser_notice import contact_notice

    people = [TestChat(core, user=f"console:s{i}") for i in range(3)]
    for p in people:
        await p.say("/took_action fax 2")
        await p.press("Fax failed")
    case = await core.cases.get("253/17")
    reply = await contact_notice(store, case)
    assert reply is not None
    assert "fax number of Cui Tiankai" in reply.markup
    assert [b.payload for b in reply.buttons] == ["/contact_ok 253/17 2 fax"]


async def test_stats_and_csv_count_attempts_completions_and_failures(core, sample, organiser):
    import csv
    import io

    people = [TestChat(core, user=f"console:s{i}") for i in range(7)]
    for p in people[:5]:
        await p.say("/took_action call 2")
        await p.press("Got through")
    await people[5].say("/took_action call 2")
    await people[5].press("Voicemail")
    await people[6].say("/took_action call 2")
    await people[6].press("No answer")
    await people[6].say("/took_action letter")  # no outcome given: counted as done
    text = await organiser.say("/stats 253/17")
    assert "Actions: 6" in text
    assert "Call: 7 tried, 5 done, <5 failed (no answer <5, voicemail <5)" in text
    assert "Letter: <5 tried, <5 done, 0 failed" in text
    await organiser.say("/export 253/17")
    doc = organiser.replies[0].parts[0]
    rows = list(csv.DictReader(io.StringIO(doc.data.decode())))
    done = sum(int(r["count"]) for r in rows if not r["failed"])
    failed = {r["failed"]: int(r["count"]) for r in rows if r["failed"]}
    assert done == 6 and failed == {"voicemail": 1, "no_answer": 1}


async def test_mystats_tells_how_many_cases_acted_on_have_good_news(chat, organiser, store):
    from tests.conftest import add_case, make_case

    await add_case(store, make_case("253/17"))
    await add_case(store, make_case("254/17", title="ANOTHER CASE"))
    await chat.say("/took_action 253/17 letter")
    await chat.say("/took_action 254/17 letter")
    assert "None of the cases you acted on has good news yet." in await chat.say("/mystats")
    await organiser.say("/close 253/17 released: they were freed")
    text = await chat.say("/mystats")
    assert "Good news: 1 of the 2 cases you acted on ended well (UA 253/17)." in text


async def test_the_organisers_confirmation_is_in_the_case_change_log(
    core, sample, store, organiser
):
    for i in range(3):
        p = TestChat(core, user=f"console:s{i}")
        await p.say("/took_action email 1")
        await p.press("Bounced")
    await organiser.say("/contact_ok 253/17 1 email")
    await organiser.say("/contact_ok 253/17 1 email")  # nothing marked any more: no row
    async with store.unit() as tx:
        rows = await tx.case_changes_of(sample.id)
    assert [(r.field, r.before, r.after) for r in rows] == [
        ("target 1 email contact", "reported broken", "confirmed by an organiser")
    ]

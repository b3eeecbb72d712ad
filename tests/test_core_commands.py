"""The core's commands, driven as a supporter and an organiser would."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import func, select

from case_store.tables import action_counts, actions, case_supporters, subscriptions, supporters
from tests.conftest import add_case, make_case
from ua_bot.model import CaseStatus


async def count(store, table, *where) -> int:
    async with store.unit() as tx:
        q = select(func.count()).select_from(table)
        if where:
            q = q.where(*where)
        return (await tx.conn.execute(q)).scalar_one()


async def test_start_and_help(chat):
    text = await chat.say("/start")
    assert "Urgent Action" in text and "/case" in text
    text = await chat.say("/help")
    assert "/took_action" in text and "/case" in text
    assert "/publish" not in text, "supporters are not shown organiser commands"


async def test_help_lists_organiser_commands_to_organisers(organiser):
    text = await organiser.say("/help")
    assert "/publish UA" in text and "/stats" in text


async def test_case_shows_summary_people_deadline_and_buttons(chat, sample):
    text = await chat.say("/case")
    assert "UA 253/17: MOTHER AND CHILD AT RISK OF FORCIBLE RETURN" in text
    assert "People at risk: Lee Su-jung, her son" in text
    assert "27 December 2017 (26 days left)" in text
    assert [b.label for b in chat.replies[0].buttons] == [
        "Demands",
        "Who to contact",
        "I took action",
    ]


async def test_case_accepts_every_ua_spelling(chat, sample):
    for spelling in ("253/17", "253.17", "253-17", "UA 253/17", "ua253/17"):
        assert "MOTHER AND CHILD" in await chat.say(f"/case {spelling}"), spelling


async def test_past_deadline_is_said_plainly_and_actions_still_count(chat, sample, clock):
    clock.when = dt.datetime(2018, 1, 10, tzinfo=dt.UTC)
    text = await chat.say("/case")
    assert "the deadline has passed. Messages sent after it can still help" in text
    assert "section" not in text, "no jargon"
    text = await chat.say("/took_action letter")
    assert "is recorded" in text and "section" not in text
    assert "The deadline was 27 December 2017; messages sent after it can still help." in text


async def test_unknown_case_and_bad_arguments(chat, sample):
    assert "I don't know UA 999/99" in await chat.say("/case 999/99")
    assert "I did not understand" in await chat.say("/case banana")
    assert "I don't know the command /frobnicate" in await chat.say("/frobnicate")


async def test_no_open_case(chat):
    assert "no open case" in await chat.say("/case")


async def test_several_open_cases_ask_which_then_remember_the_chats_case(chat, store, sample):
    await add_case(store, make_case("12/18", title="SECOND CASE", deadline=dt.date(2017, 12, 5)))
    text = await chat.say("/case")
    assert "Which case?" in text
    assert {b.label for b in chat.replies[0].buttons} == {"UA 253/17", "UA 12/18"}
    await chat.press("UA 12/18")
    assert "SECOND CASE" in await chat.say("/case"), "after /case X, X is the chat's case"
    assert "UA 12/18" in await chat.say("/demands")


async def test_cases_lists_nearest_deadline_first(chat, store, sample):
    await add_case(store, make_case("12/18", title="SOONER", deadline=dt.date(2017, 12, 5)))
    await add_case(store, make_case("13/18", title="NO DEADLINE", deadline=None))
    await add_case(store, make_case("14/18", title="DRAFT", deadline=None), CaseStatus.DRAFT)
    text = await chat.say("/cases")
    assert text.index("SOONER") < text.index("MOTHER AND CHILD") < text.index("NO DEADLINE")
    assert "DRAFT" not in text


async def test_demands_in_order(chat, sample):
    text = await chat.say("/demands")
    lines = [ln for ln in text.splitlines() if ln[:2] in ("1.", "2.", "3.")]
    assert [ln[3:] for ln in lines] == sample.demands


async def test_targets_show_every_channel_and_the_salutation(chat, sample):
    text = await chat.say("/targets 253/17")
    xi, cui = text.split("2. Cui Tiankai")
    assert "1. Xi Jinping, President" in xi and "Salutation: Dear President" in xi
    assert "gov@govonline.cn" in xi and "Fax: +86 10 6238 1025" in xi and "2 Fuyoujie" in xi
    assert "Salutation: Dear Ambassador" in cui and "Phone: +1 202-495-2266" in cui
    assert "chineseembassyspokesperson@gmail.com" in cui
    assert "please try calling instead" in cui


async def test_took_action_records_thanks_and_counts_supporters(core, chat, store, sample):
    assert "You are the first" in await chat.say("/took_action letter")
    other = type(chat)(core, user="console:ann")
    text = await other.say("/took_action 253.17 email Cui")
    assert "An email to Cui Tiankai for UA 253/17 is recorded" in text
    assert "not alone: 1 other supporter" in text
    assert await count(store, actions) == 2
    async with store.unit() as tx:
        assert await tx.action_totals(sample.id) == {"letter": 1, "email": 1}
        assert await tx.case_totals(sample.id) == (2, 2)


async def test_took_action_buttons_flow(chat, store, sample):
    await chat.say("/case")
    text = await chat.press("I took action")
    assert "What did you do" in text
    assert [b.label for b in chat.replies[0].buttons] == ["Letter", "Email", "Call", "Fax", "Tweet"]
    assert "A call for UA 253/17 is recorded" in await chat.press("Call")
    assert await count(store, actions, actions.c.action_type == "call") == 1


async def test_double_tap_counts_once(chat, store, sample):
    await chat.say("/took_action 253/17")
    await chat.press("Letter")
    text = await chat.press("Letter")
    assert "already recorded a letter" in text and "counts once" in text
    assert await count(store, actions) == 1
    assert (await count(store, action_counts)) == 1


async def test_replayed_delivery_is_handled_once(chat, store, sample):
    await chat.say("/took_action letter", delivery_id="42")
    again = await chat.say("/took_action letter", delivery_id="42")
    assert again == ""
    assert await count(store, actions) == 1


async def test_wrong_action_type_and_wrong_target(chat, store, sample):
    text = await chat.say("/took_action pigeon")
    assert "pigeon is not an action I count" in text
    text = await chat.say("/took_action letter Bob")
    assert text == (
        "No target of UA 253/17 matches Bob. Its targets are 1: Xi Jinping; 2: Cui Tiankai."
    )
    assert await count(store, actions) == 0


async def test_undo_takes_back_the_last_action(chat, store, sample):
    await chat.say("/took_action letter")
    await chat.say("/took_action tweet")
    assert "Removed: a tweet for UA 253/17" in await chat.say("/undo")
    assert await count(store, actions) == 1
    async with store.unit() as tx:
        assert await tx.action_totals(sample.id) == {"letter": 1}
    await chat.say("/undo")
    async with store.unit() as tx:
        assert await tx.case_totals(sample.id) == (0, 0)
    assert "no recorded action" in await chat.say("/undo")


async def test_subscribe_unsubscribe(chat, store, sample):
    assert "Subscribed" in await chat.say("/subscribe")
    assert "already subscribed" in await chat.say("/subscribe")
    assert await count(store, subscriptions) == 1
    assert "Unsubscribed" in await chat.say("/unsubscribe")
    assert "were not subscribed" in await chat.say("/unsubscribe")
    assert await count(store, subscriptions) == 0


async def test_forget_me_leaves_no_row_about_the_supporter(chat, store, sample):
    await chat.say("/case")
    await chat.say("/took_action letter")
    await chat.say("/subscribe")
    key = chat.core.hasher.supporter(chat.user)
    assert "Delete it all?" in await chat.say("/forget_me")
    assert await count(store, supporters) == 1, "nothing is deleted before the answer"
    assert "Nothing was deleted" in await chat.press("Keep my data")
    assert await count(store, supporters) == 1
    await chat.say("/forget_me")
    assert "everything stored about you is deleted" in await chat.press("Delete everything")
    assert await count(store, supporters) == 0
    assert await count(store, subscriptions) == 0
    assert await count(store, case_supporters) == 0
    assert await count(store, actions, actions.c.supporter_id.is_not(None)) == 0
    async with store.unit() as tx:
        assert await tx.supporter(key) is None
        assert await tx.chat_case(chat.core.hasher.chat(chat.address)) is None
        assert await tx.case_totals(sample.id) == (1, 1), "counts stay, anonymously"
    assert "nothing stored" in await chat.say("/forget_me")
    assert "nothing stored" in await chat.press("Delete everything"), "an old button, plainly"
    assert "no recorded action to undo" in await chat.press("Undo"), "an old button, plainly"
    async with store.unit() as tx:
        assert await tx.case_totals(sample.id) == (1, 1), "the old Undo took nothing away"


async def test_organiser_commands_refused_to_supporters(chat, sample):
    for line in ("/stats", "/publish 253/17", "/close 253/17", "/import x.txt", "/drafts"):
        assert "for organisers only" in await chat.say(line), line


async def test_stats_for_organisers(chat, organiser, sample):
    await chat.say("/took_action letter")
    await chat.say("/took_action email")
    text = await organiser.say("/stats")
    assert "UA 253/17" in text and "2 actions by 1 supporter" in text
    text = await organiser.say("/stats 253/17")
    assert "Actions: 2" in text and "Supporters who acted: 1" in text
    # Breakdowns hide counts below 5; whole-case totals above are exact.
    assert "Letter: <5" in text and "Email: <5" in text and "Call: 0" in text


async def test_publish_close_reopen(chat, organiser, store):
    await add_case(store, make_case(), CaseStatus.DRAFT)
    assert "no open case" in await chat.say("/case")
    assert "UA 253/17" in await organiser.say("/drafts")
    assert "Which case? Usage: /publish UA" in await organiser.say("/publish")
    assert "is published" in await organiser.say("/publish 253/17")
    assert "MOTHER AND CHILD" in await chat.say("/case")
    assert "is closed. Outcome: released" in await organiser.say("/close 253/17 released")
    text = await chat.say("/case 253/17")
    assert "This case is closed: released" in text
    assert "is closed (released), so no more actions" in await chat.say("/took_action 253/17 fax")
    assert "open again" in await organiser.say("/reopen 253/17")
    assert "is recorded" in await chat.say("/took_action 253/17 fax")


async def test_drafts_are_hidden_from_supporters(chat, store):
    await add_case(store, make_case(), CaseStatus.DRAFT)
    assert "I don't know UA 253/17" in await chat.say("/case 253/17")


async def test_plain_message_gets_a_hint(core):
    from ua_bot.messages import Incoming, Kind

    replies = await core.handle(Incoming(Kind.MESSAGE, "console:x", "console:x", text="hello"))
    assert "/help" in replies[0].markup


async def test_a_command_typed_as_a_private_message_is_the_command(core, sample):
    from ua_bot.messages import Incoming, Kind

    async def say(text: str, private: bool = True) -> str:
        inc = Incoming(Kind.MESSAGE, "console:y", "console:y", text=text, private=private)
        return "\n".join(r.markup for r in await core.handle(inc))

    assert "MOTHER AND CHILD" in await say("/case 253/17")
    assert "MOTHER AND CHILD" in await say("case")
    assert "is recorded" in await say("/took_action 253/17 call")
    assert "I answer commands" in await say("undo that please"), "words in a sentence are not"
    assert await say("/case", private=False) == "", "in a group, plain text is not the bot's"


async def test_document_text_is_escaped(chat, store):
    await add_case(store, make_case(title="A *bold* [link](http://evil) _x_"))
    text = await chat.say("/case")
    assert "A *bold* [link](http://evil) _x_" in text


async def test_no_raw_user_id_in_the_database_file(core, chat, store, sample, db_url):
    await chat.say("/case")
    await chat.say("/took_action letter")
    await chat.say("/subscribe")
    await chat.say("/unsubscribe")
    if not db_url.startswith("sqlite"):
        return
    await store.close()
    path = db_url.split("///", 1)[1]
    blob = b""
    for suffix in ("", "-wal"):
        p = Path(path + suffix)
        if p.exists():
            blob += p.read_bytes()
    assert b"console:sam" not in blob and b"sam" not in blob


async def test_organiser_commands_are_audited_with_a_key_not_an_id(organiser, chat, store, sample):
    await organiser.say("/close 253/17 released")
    await organiser.say("/reopen 253/17")
    await chat.say("/audit")  # refused: not audited
    text = await organiser.say("/audit")
    assert "/close 253/17 released" in text and "/reopen 253/17" in text
    assert "olga" not in text
    async with store.unit() as tx:
        rows = await tx.audit_entries()
    assert [r.command for r in rows] == ["audit", "reopen", "close"]
    assert all(r.actor == organiser.core.hasher.supporter(organiser.user) for r in rows)


async def test_my_data_shows_everything_stored(chat, sample):
    assert "nothing stored" in await chat.say("/my_data")
    await chat.say("/took_action letter 1")
    await chat.say("/subscribe")
    text = await chat.say("/my_data")
    assert "Action: letter to Xi Jinping for UA 253/17 on 1 December 2017" in text
    assert "Subscription: this chat (new cases, updates and deadline reminders)" in text
    await chat.say("/forget_me yes")
    assert "nothing stored" in await chat.say("/my_data")


async def test_retention_unlinks_old_actions_but_keeps_counts(chat, store, sample):
    await chat.say("/took_action letter")
    async with store.unit() as tx:
        assert await tx.unlink_old_actions(days=30) == 0
        assert await tx.unlink_old_actions(days=-1) == 1
    assert await count(store, actions, actions.c.supporter_id.is_not(None)) == 0
    assert await count(store, case_supporters) == 0
    async with store.unit() as tx:
        assert await tx.case_totals(sample.id) == (1, 1)


async def test_a_redelivery_arriving_while_the_first_copy_is_handled_is_answered_once(
    core, sample
):
    import asyncio

    from ua_bot.messages import Incoming

    def copy() -> Incoming:
        return Incoming.command_line(
            "/took_action 253/17", address="console:z", user="console:z", delivery_id="d-77"
        )

    answers = await asyncio.gather(*(core.handle(copy()) for _ in range(3)))
    assert sorted(len(a) for a in answers) == [0, 0, 1], "one answer for one delivery"
    assert await core.handle(copy()) == [], "and none later"

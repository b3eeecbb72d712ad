"""Hostile and repeated input at the Telegram webhook: forged requests change nothing,
redeliveries count once, and no raw identity is stored or logged."""

from __future__ import annotations

import json
import logging
import random

import pytest

from tests.fakes.telegram_api import TOKEN, group_chat, private_chat, user
from tests.hostile import as_text, captured_logs, changed, dump_tables
from tests.telegram_kit import stored_actions
from tests.test_telegram_webhook import HEADER, HOOK_SECRET, webhook_app


async def test_forged_and_malformed_requests_change_nothing(core, settings, store, sample):
    rng = random.Random(7)
    async with webhook_app(core, settings, store) as (api, url, http):
        before = await dump_tables(store)
        good = {"update_id": 1, **api.message(private_chat(5), user(5), "/took_action letter")}
        body = json.dumps(good).encode()
        kinds = {
            "no secret": (body, {"content-type": "application/json"}, 401),
            "wrong secret": (
                body,
                {HEADER: "x" + HOOK_SECRET, "content-type": "application/json"},
                401,
            ),
            "empty secret": (body, {HEADER: "", "content-type": "application/json"}, 401),
            "invalid json": (
                b'{"update_id": 1,',
                {HEADER: HOOK_SECRET, "content-type": "application/json"},
                400,
            ),
            "not an update": (
                b"[1, 2]",
                {HEADER: HOOK_SECRET, "content-type": "application/json"},
                400,
            ),
            "wrong content type": (body, {HEADER: HOOK_SECRET, "content-type": "text/plain"}, 415),
            "oversized": (
                b"{" + b" " * (1024 * 1024 + 10) + b"}",
                {HEADER: HOOK_SECRET, "content-type": "application/json"},
                413,
            ),
        }
        tried = rejected = 0
        statuses: dict[str, int] = {}
        for i in range(1000):
            name = list(kinds)[i % len(kinds)]
            data, headers, want = kinds[name]
            if name == "wrong secret":
                headers = {**headers, HEADER: "".join(rng.choices("abcdef0123456789", k=24))}
            r = await http.post(url, content=data, headers=headers)
            tried += 1
            rejected += r.status_code == want
            statuses[name] = r.status_code
        # An unknown command with the right secret is answered, and stores nothing.
        unknown = {"update_id": 99, **api.message(private_chat(6), user(6), "/pwn 253/17")}
        r = await http.post(url, json=unknown, headers={HEADER: HOOK_SECRET})
        assert r.status_code == 200 and "I don't know the command" in api.sent()[-1].params["text"]
        after = await dump_tables(store)
        # the answered command counts toward its sender's flood limit (kept in the store)
        diff = changed(before, after, ignore=("deliveries", "limit_hits"))
        print(f"\nforged requests: tried {tried}, rejected {rejected}, rows changed {diff}")
        assert rejected == tried, statuses
        assert diff == {}
        assert [c for c in api.sent() if "recorded" in c.params.get("text", "")] == []


async def replay_twice(core, settings, store, n: int) -> None:
    async with webhook_app(core, settings, store) as (api, url, http):
        headers = {HEADER: HOOK_SECRET}
        for i in range(n):
            upd = {
                "update_id": 10_000 + i,
                **api.message(
                    private_chat(20_000 + i),
                    user(20_000 + i),
                    f"/took_action 253/17 {('letter', 'email', 'call')[i % 3]}",
                ),
            }
            for _ in range(2):
                assert (await http.post(url, json=upd, headers=headers)).status_code == 200
        stored = await stored_actions(store)
        dupes = len(stored) - len(set(stored))
        print(
            f"\nduplicates: {n} updates x2, stored {len(stored)}, duplicates {dupes},"
            f" lost {n - len(stored)}"
        )
        assert len(stored) == n and dupes == 0
        assert len(api.sent()) == n


async def test_every_update_delivered_twice_counts_once(core, settings, store, sample):
    await replay_twice(core, settings, store, 1000)


@pytest.mark.slow
async def test_ten_thousand_updates_delivered_twice(core, settings, store, sample):
    await replay_twice(core, settings, store, 10_000)


async def test_a_full_session_leaves_no_raw_identity(core, settings, store, sample):
    people = [user(730_001), {**user(730_002), "username": "kim_supporter", "last_name": "Okafor"}]
    group = {**group_chat(-100_777_888), "title": "Refugee Action Circle Leeds"}
    with captured_logs(logging.INFO) as logs:
        async with webhook_app(core, settings, store) as (api, url, http):
            headers = {HEADER: HOOK_SECRET}
            api.admins.add(730_002)  # the group's admin subscribes it
            uid = iter(range(1, 10_000))
            for who in people:
                for chat in (private_chat(who["id"]), group):
                    for line in (
                        "/start",
                        "/case",
                        "/targets",
                        "/took_action letter",
                        "/subscribe",
                        "/my_data",
                    ):
                        upd = {"update_id": next(uid), **api.message(chat, who, line)}
                        assert (await http.post(url, json=upd, headers=headers)).status_code == 200
            # The first supporter leaves the group's subscription and forgets everything.
            upd = {
                "update_id": next(uid),
                **api.message(private_chat(730_001), people[0], "/forget_me yes"),
            }
            await http.post(url, json=upd, headers=headers)
    tables = as_text(await dump_tables(store))
    # Every line our process logged, but the fake Bot API server's own access log.
    text_logs = "\n".join(
        ln for ln in logs.getvalue().splitlines() if '"logger": "aiohttp.access"' not in ln
    )
    secrets = [
        "730001",
        "730002",
        "Supporter 730001",
        "kim_supporter",
        "Okafor",
        "Refugee Action Circle",
        TOKEN,
        HOOK_SECRET,
    ]
    in_tables = [s for s in secrets if s in tables]
    in_logs = [s for s in secrets if s in text_logs]
    print(
        f"\nprivacy: scanned {len(tables)} chars of tables, {len(text_logs)} chars of logs;"
        f" found {in_tables + in_logs}"
    )
    # The one allowed exception: the address of a chat with an active subscription.
    assert in_tables == ["730002"] and "telegram:730002" in tables
    assert "telegram:-100777888" in tables  # the group is subscribed
    assert in_logs == [], [ln for ln in text_logs.splitlines() if any(s in ln for s in secrets)][:3]

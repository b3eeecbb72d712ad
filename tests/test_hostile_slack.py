"""Hostile and repeated input at /slack/events: forged requests change nothing, Slack's
retries count once, and no raw identity or name is stored or logged."""

from __future__ import annotations

import logging
import random
import time

import pytest

from tests.fakes.slack_api import TOKEN
from tests.hostile import as_text, captured_logs, changed, dump_tables
from tests.slack_kit import SIGNING_SECRET, command_body, signed_headers
from tests.telegram_kit import stored_actions
from tests.test_slack_e2e import slack_app
from tests.test_slack_oauth import install, oauth_app

FORM = "application/x-www-form-urlencoded"
RETRY = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}


def signed_bytes(body: bytes) -> dict[str, str]:
    """Headers signing raw bytes (slack-sdk signs text)."""
    import hashlib
    import hmac

    ts = str(int(time.time()))
    base = b"v0:" + ts.encode() + b":" + body
    sig = "v0=" + hmac.new(SIGNING_SECRET.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig}


async def test_forged_and_malformed_requests_change_nothing(core, settings, store, sample):
    rng = random.Random(11)
    async with slack_app(core, settings, store) as (api, slack):
        url = slack.url
        body = command_body(
            "/took_action 253/17 letter",
            user="U9",
            trigger="t-forged",
            response_url=api.response_url(),
        )
        now = int(time.time())
        good = signed_headers(body)
        kinds = {
            "no signature": (body, {}, 401),
            "wrong secret": (body, signed_headers(body, secret="not-" + SIGNING_SECRET), 401),
            "random signature": (body, {**good, "X-Slack-Signature": "v0=" + "0" * 64}, 401),
            "stale, signed for then": (body, signed_headers(body, timestamp=now - 600), 401),
            "from the future": (body, signed_headers(body, timestamp=now + 600), 401),
            "body changed after signing": (body.replace("letter", "email"), good, 401),
            "signature of another body": (body, signed_headers(body + "&x=1"), 401),
            "bad timestamp": (body, {**good, "X-Slack-Request-Timestamp": "yesterday"}, 401),
            "oversized": ("payload=" + "x" * (1024 * 1024 + 10), {}, 413),
            "unsigned payload that is not JSON": ("payload=%7Bnot-json", {}, 401),
            "unsigned JSON list": ("[1, 2]", {"Content-Type": "application/json"}, 401),
            "non-ASCII signature": (body, {**good, "X-Slack-Signature": "v0=é".encode()}, 401),
        }
        before = await dump_tables(store)
        tried = rejected = 0
        statuses: dict[str, int] = {}
        for i in range(1000):
            name = list(kinds)[i % len(kinds)]
            data, headers, want = kinds[name]
            if name == "random signature":
                sig = "v0=" + "".join(rng.choices("0123456789abcdef", k=64))
                headers = {**headers, "X-Slack-Signature": sig}
            r = await slack.http.post(
                url, content=data.encode(), headers={"Content-Type": FORM, **headers}
            )
            if i % 50 == 0:  # bytes that are not UTF-8, unsigned and signed
                for junk, h in ((b"\xff\xfe\x00", {}), (b"\xff\xfe", signed_bytes(b"\xff\xfe"))):
                    r2 = await slack.http.post(
                        url, content=junk, headers={"Content-Type": FORM, **h}
                    )
                    tried += 1
                    rejected += r2.status_code in (400, 401)
                    statuses[f"bytes {junk!r}"] = r2.status_code
            tried += 1
            rejected += r.status_code == want
            statuses[name] = r.status_code
        # An unknown command, properly signed, is answered and stores nothing.
        r = await slack.command("/pwn 253/17", user="U9")
        assert r.status_code == 200
        (unknown,) = await api.wait_sent(1)
        assert "I don't know the command /pwn" in unknown.text
        after = await dump_tables(store)
        diff = changed(before, after, ignore=("deliveries", "limit_hits", "send_budget"))
        print(f"\nforged Slack requests: tried {tried}, rejected {rejected}, rows changed {diff}")
        assert rejected == tried, [
            (k, v) for k, v in statuses.items() if v != kinds.get(k, ("", {}, 400))[2]
        ]
        assert diff == {}
        assert len(api.sent()) == 1, "nothing was said but the unknown command's answer"
        # The genuine request is answered.
        r = await slack.http.post(
            url, content=body.encode(), headers={"Content-Type": FORM, **good}
        )
        assert r.status_code == 200
        thanks = (await api.wait_sent(2))[-1]
        assert "recorded" in thanks.text


async def test_a_workspace_that_did_not_install_the_app_changes_nothing(
    core, settings, store, sample
):
    async with oauth_app(core, settings, store) as (api, slack, base):
        await install(slack.http, base, api, "T1")
        before = await dump_tables(store)
        tried = 0
        for i in range(50):
            r = await slack.command("/took_action 253/17 letter", team="T_EVIL", user=f"U{i}")
            tried += 1
            assert r.status_code in (200, 401), r.status_code
        after = await dump_tables(store)
        diff = changed(before, after, ignore=("deliveries", "limit_hits", "send_budget"))
        used = {c.token for c in api.calls if c.token}
        print(f"\nwrong team id: tried {tried}, rows changed {diff}, tokens used {sorted(used)}")
        assert diff == {} and await stored_actions(store) == []
        assert used <= {"xoxb-T1-installed"}, "T1's token never answers another workspace"
        assert all("recorded" not in c.params.get("text", "") for c in api.calls)


async def redeliver(core, settings, store, n: int) -> None:
    """``n`` actions, a third each by command, button press and direct message; each is
    delivered again as Slack retries it."""
    async with slack_app(core, settings, store) as (api, slack):
        await slack.command("/took_action 253/17", user="U0", channel="D0")
        (choice,) = await api.wait_sent(1)
        letter = choice.button("Letter")
        for i in range(n):
            user = f"U{100_000 + i}"
            how = i % 3
            if how == 0:
                body = command_body(
                    "/took_action 253/17 email",
                    user=user,
                    trigger=f"trigger-c{i}",
                    response_url=api.response_url(),
                )
                send = lambda h, body=body: slack.post(body, FORM, **h)  # noqa: E731
            elif how == 1:
                payload = slack.action_payload(letter, user=user, channel=f"D{i}")
                send = lambda h, p=payload: slack.send_action(p, **h)  # noqa: E731
            else:
                event = {
                    "type": "message",
                    "channel_type": "im",
                    "user": user,
                    "channel": f"D{i}",
                    "text": "/took_action 253/17 call",
                    "ts": f"{i}.0001",
                }
                ev = slack.event_body(event, event_id=f"Ev-dm-{i}")
                send = lambda h, ev=ev: slack.event(ev, **h)  # noqa: E731
            assert (await send({})).status_code == 200
            assert (await send(RETRY)).status_code == 200
        await api.wait_sent(n + 1)
    stored = [a for a in await stored_actions(store)]
    dupes = len(stored) - len(set(stored))
    print(
        f"\nSlack retries: {n} actions x2, stored {len(stored)}, duplicates {dupes},"
        f" lost {n - len(stored)}, replies {len(api.sent()) - 1}"
    )
    assert len(stored) == n and dupes == 0
    assert sorted({a[0] for a in stored}) == ["call", "email", "letter"]
    assert len(api.sent()) == n + 1, "one reply per action"


async def test_every_slack_delivery_retried_counts_once(core, settings, store, sample):
    await redeliver(core, settings, store, 999)


@pytest.mark.slow
async def test_ten_thousand_slack_deliveries_retried(core, settings, store, sample):
    await redeliver(core, settings, store, 10_002)


async def test_a_full_slack_session_leaves_no_raw_identity(core, settings, store, sample):
    alice, bobby = "U7ALICE01", "U7BOBBY02"
    lines = ("/case", "/targets", "/took_action 253/17 letter", "/subscribe", "/my_data")
    with captured_logs(logging.INFO) as logs:
        async with slack_app(core, settings, store) as (api, slack):
            sent = 0
            for who, dm in ((alice, "D100"), (bobby, "D200")):
                for channel in (dm, "C7CIRCLE"):
                    for line in lines:
                        r = await slack.command(line, user=who, channel=channel, team="T7TEAM")
                        assert r.status_code == 200
                        sent += 1
                        await api.wait_sent(sent)
            # Alice signs her drafts with her name, then asks to be forgotten.
            await slack.command(
                "/sign Alice Okafor, Leeds", user=alice, channel="D100", team="T7TEAM"
            )
            await slack.command("/forget_me yes", user=alice, channel="D100", team="T7TEAM")
            await api.wait_sent(sent + 2)
    tables = as_text(await dump_tables(store))
    text_logs = "\n".join(
        ln for ln in logs.getvalue().splitlines() if '"logger": "aiohttp.access"' not in ln
    )
    secrets = [alice, bobby, "Alice Okafor", "Okafor", TOKEN, SIGNING_SECRET]
    in_tables = sorted({s for s in secrets if s in tables})
    in_logs = sorted({s for s in secrets if s in text_logs})
    print(
        f"\nSlack privacy: scanned {len(tables)} chars of tables, {len(text_logs)} chars of logs;"
        f" found {in_tables + in_logs}"
    )
    assert in_tables == [] and in_logs == [], [
        ln for ln in text_logs.splitlines() if any(s in ln for s in secrets)
    ][:3]
    # What is kept: the chats with an active subscription, which the bot needs to send to.
    assert "slack:T7TEAM:D200" in tables and "slack:T7TEAM:C7CIRCLE" in tables
    assert "slack:T7TEAM:D100" not in tables, "Alice's subscription went with /forget_me"
    (kept,) = await stored_actions(store)  # one per supporter and case; hers is not hers now
    assert kept[3] == core.hasher.supporter(f"slack:T7TEAM:{bobby}")

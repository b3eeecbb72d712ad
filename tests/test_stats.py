"""Organiser reports against a seeded history: every figure is checked against the raw rows.

The history is recorded through the real store API (``Store.record``), on two platforms and
several workspaces, over many days, with double taps and undos; the expected figures are
computed here from the ``actions`` table with plain SQL, never from the running totals.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import os
import random
import re
import struct
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import text

from case_store.actions import ActionRequest
from tests.chat import TestChat
from tests.cli import ROOT, run_cli
from tests.conftest import ORGANISER, SECRET, add_case, make_case
from ua_bot.charts import SIZE, actions_chart
from ua_bot.messages import Document, Image, Incoming
from ua_bot.model import ACTION_TYPES, CaseStatus
from ua_bot.stats import case_stats

FIRST_DAY = dt.date(2017, 11, 20)
DAYS = 12
# (platform, workspace): one platform without workspaces, one with two.
PLACES = [("telegram", ""), ("slack", "T1"), ("slack", "T2")]


async def seed(store, cases, *, supporters: int = 700, per: int = 5, seed_: int = 7) -> None:
    """Thousands of confirmations through Store.record, concurrently (so they batch)."""
    rnd = random.Random(seed_)
    reqs = []
    for s in range(supporters):
        platform, workspace = PLACES[s % len(PLACES)]
        for _ in range(per):
            case = cases[rnd.randrange(len(cases))] if s % 9 else cases[0]
            reqs.append(
                ActionRequest(
                    supporter_key=f"key-{s:05d}",
                    case_id=case.id,
                    action_type=rnd.choice(ACTION_TYPES),
                    target_no=rnd.randrange(len(case.targets) + 1),
                    platform=platform,
                    workspace=workspace,
                    day=FIRST_DAY + dt.timedelta(days=rnd.randrange(DAYS)),
                )
            )
    reqs += reqs[:150]  # double taps: counted once
    for i in range(0, len(reqs), 500):
        await asyncio.gather(*(store.record(r) for r in reqs[i : i + 500]))
    async with store.unit() as tx:
        for s in range(0, 60, 3):  # some take their last action back
            await tx.undo_last_action(f"key-{s:05d}")
        for s in range(0, supporters, 4):  # a quarter subscribe, some in two chats
            await tx.subscribe(f"key-{s:05d}", f"telegram:{s}")
            if s % 8 == 0:
                await tx.subscribe(f"key-{s:05d}", f"slack:T1:C{s}")
        for s in range(5000, 5100):  # subscribers who never acted
            await tx.subscribe(f"key-{s:05d}", f"telegram:{s}")


@pytest.fixture
async def history(store):
    cases = [
        await add_case(store, make_case()),
        await add_case(store, make_case("12/18", title="SECOND CASE", deadline=None)),
        await add_case(store, make_case("13/18", title="THIRD CASE", targets=[])),
    ]
    await seed(store, cases)
    return cases


async def raw(store, sql: str, **params) -> list[tuple]:
    async with store.unit() as tx:
        return [tuple(r) for r in (await tx.conn.execute(text(sql), params)).all()]


async def raw_counter(store, column: str, case_id: int, where: str = "", **params) -> Counter:
    rows = await raw(
        store,
        f"SELECT {column}, count(*) FROM actions WHERE case_id = :c {where} GROUP BY {column}",
        c=case_id,
        **params,
    )
    return Counter({(str(k) if column == "day" else k): n for k, n in rows})


def shown(n: int, k: int = 5) -> str:
    return f"<{k}" if 0 < n < k else f"{n:,}"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "a PNG file"
    w, h = struct.unpack(">II", data[16:24])
    return w, h


# -- every breakdown matches the raw rows -----------------------------------------------------


async def test_every_breakdown_matches_the_raw_rows(store, core, history):
    for case in history:
        st = await case_stats(store, case)
        (n_actions,) = (
            await raw(store, "SELECT count(*) FROM actions WHERE case_id=:c", c=case.id)
        )[0]
        (n_supp,) = (
            await raw(
                store,
                "SELECT count(DISTINCT supporter_id) FROM actions WHERE case_id=:c",
                c=case.id,
            )
        )[0]
        assert n_actions > 300, "the seed gives every case a real history"
        assert (st.actions, st.supporters) == (n_actions, n_supp)
        want_type = await raw_counter(store, "action_type", case.id)
        assert {t: st.by_type[t] for t in ACTION_TYPES} == {t: want_type[t] for t in ACTION_TYPES}
        assert +st.by_target == await raw_counter(store, "target_no", case.id)
        assert +st.by_platform == await raw_counter(store, "platform", case.id)
        assert {str(d): n for d, n in st.by_day.items() if n} == await raw_counter(
            store, "day", case.id
        )
        assert len(st.by_day) == DAYS and set(st.by_platform) == {"telegram", "slack"}

        # Share of subscribers who acted: computed from the raw tables in Python.
        subscribed = {r[0] for r in await raw(store, "SELECT supporter_id FROM subscriptions")}
        acted = {
            r[0]
            for r in await raw(
                store, "SELECT supporter_id FROM actions WHERE case_id=:c", c=case.id
            )
        }
        assert (st.subscribers_acted, st.subscribers) == (len(subscribed & acted), len(subscribed))
        assert len(subscribed) > len(subscribed & acted) > 0

        # Time from publication to the first action.
        ((first, published),) = await raw(
            store,
            "SELECT min(a.created_at), c.published_at FROM actions a JOIN cases c "
            "ON c.id = a.case_id WHERE a.case_id = :c GROUP BY c.published_at",
            c=case.id,
        )
        assert st.first_action is not None and st.reference is not None
        assert str(st.first_action)[:19] == str(first)[:19]
        assert str(st.reference.at.replace(tzinfo=None))[:19] == str(published)[:19]
        assert st.first_action_after >= dt.timedelta(0)


async def test_stats_reply_shows_the_breakdowns(organiser, store, history):
    case = history[0]
    text_ = await organiser.say("/stats 253/17")
    st = await case_stats(store, case)
    assert f"Actions: {st.actions:,}" in text_
    assert f"Supporters who acted: {st.supporters:,}" in text_
    for t in ACTION_TYPES:
        assert f"{t.capitalize()}: {shown(st.by_type[t])}\n" in text_
    targets = await raw_counter(store, "target_no", case.id)
    assert f"1. Xi Jinping: {shown(targets[1])}" in text_
    assert f"2. Cui Tiankai: {shown(targets[2])}" in text_
    assert f"No specific target: {shown(targets[0])}" in text_
    platforms = await raw_counter(store, "platform", case.id)
    assert f"Telegram: {shown(platforms['telegram'])}" in text_
    assert f"Slack: {shown(platforms['slack'])}" in text_
    days = await raw_counter(store, "day", case.id)
    assert f"1 Dec 2017: {shown(days['2017-12-01'])}" in text_
    assert "Time to first action:" in text_ and "since publication" in text_
    share = re.search(r"Subscribers who acted on it: ([\d,]+) of ([\d,]+) subscribers", text_)
    assert share and (int(share[1]), int(share[2])) == (st.subscribers_acted, st.subscribers)
    assert [b.label for b in organiser.replies[0].buttons] == ["Export CSV"]
    assert "key-" not in text_, "no supporter identity in a report"


async def test_overview_lists_open_cases_with_days_left(organiser, store, history):
    text_ = await organiser.say("/stats")
    for case in history:
        ((s, a),) = await raw(
            store,
            "SELECT count(DISTINCT supporter_id), count(*) FROM actions WHERE case_id=:c",
            c=case.id,
        )
        assert f"{a:,} actions by {s:,} supporters" in text_
    assert "UA 253/17: MOTHER AND CHILD AT RISK OF FORCIBLE RETURN: 26 days left" in text_
    assert "UA 12/18: SECOND CASE: no deadline" in text_
    await organiser.say("/close 13/18 released")
    assert "13/18" not in await organiser.say("/stats"), "only open cases"


# -- small numbers ----------------------------------------------------------------------------


async def test_small_counts_are_hidden_in_breakdowns_but_totals_are_exact(organiser, store, core):
    case = await add_case(store, make_case())
    kinds = ["letter"] * 7 + ["call"] * 3 + ["email"]
    await asyncio.gather(
        *(
            store.record(
                ActionRequest(
                    f"k{i}",
                    case.id,
                    kind,
                    target_no=1 if kind == "call" else 0,
                    platform="slack" if i == 0 else "telegram",
                    day=dt.date(2017, 12, 1) if i else dt.date(2017, 11, 30),
                )
            )
            for i, kind in enumerate(kinds)
        )
    )
    text_ = await organiser.say("/stats 253/17")
    assert "Actions: 11" in text_ and "Supporters who acted: 11" in text_, "totals are exact"
    assert "Letter: 7" in text_ and "Call: <5" in text_ and "Email: <5" in text_
    assert "Fax: 0" in text_
    assert "1. Xi Jinping: <5" in text_ and "No specific target: 8" in text_
    assert "Slack: <5" in text_ and "Telegram: 10" in text_
    assert "30 Nov 2017: <5" in text_ and "1 Dec 2017: 10" in text_
    body = text_.split("By type", 1)[1]
    assert not re.search(r": [1-4]\b", body), "no count from 1 to 4 in a breakdown"
    assert "Counts from 1 to 4 in a breakdown are shown as <5" in text_


async def test_threshold_is_a_setting(store, settings, clock):
    from ua_bot.core import Core
    from ua_bot.handlers import command_table
    from ua_bot.identity import Hasher

    case = await add_case(store, make_case())
    for i in range(7):
        await store.record(ActionRequest(f"k{i}", case.id, "letter", platform="telegram"))
    core = Core(
        store,
        settings.model_copy(update={"ua_bot_small_count": 10}),
        Hasher(SECRET),
        command_table(),
        clock=clock,
    )
    text_ = await TestChat(core, ORGANISER).say("/stats 253/17")
    assert "Letter: <10" in text_ and "Actions: 7" in text_


# -- workspaces -------------------------------------------------------------------------------


async def test_stats_in_a_workspace_show_its_share_next_to_the_total(core, store, history):
    case = history[0]

    async def ask(line: str) -> str:
        inc = Incoming.command_line(line, address="slack:T1:C9", user=ORGANISER, workspace="T1")
        replies = await core.handle(inc)
        return "\n".join(r.markup for r in replies)

    text_ = await ask("/stats 253/17")
    ws = await raw_counter(store, "action_type", case.id, "AND platform='slack' AND workspace='T1'")
    ((total,),) = await raw(store, "SELECT count(*) FROM actions WHERE case_id=:c", c=case.id)
    assert f"Actions: {total:,} (this workspace: {shown(sum(ws.values()))})" in text_
    st = await case_stats(store, case)
    for t in ACTION_TYPES:
        assert f"{t.capitalize()}: {shown(st.by_type[t])} (this workspace: {shown(ws[t])})" in text_
    overview = await ask("/stats")
    assert f"(this workspace: {shown(sum(ws.values()))})" in overview
    # Outside a workspace, no workspace figure.
    assert "this workspace" not in (await TestChat(core, ORGANISER).say("/stats 253/17"))


# -- chart ------------------------------------------------------------------------------------


async def test_stats_sends_a_chart_of_the_expected_size(organiser, history):
    await organiser.say("/stats 253/17")
    images = [p for r in organiser.replies for p in r.parts if isinstance(p, Image)]
    assert len(images) == 1
    img = images[0]
    assert png_size(img.png) == SIZE == (800, 450)
    assert img.filename == "ua-253-17-actions.png" and "actions per day" in img.caption
    import matplotlib.image as mpimg

    pixels = mpimg.imread(io.BytesIO(img.png), format="png")
    assert pixels.shape[:2] == (450, 800)
    assert pixels.std() > 0.05, "something is drawn"


def test_chart_draws_the_deadline_and_empty_days():
    import matplotlib.image as mpimg

    cells = {(dt.date(2017, 12, 1), "letter"): 40, (dt.date(2017, 12, 3), "call"): 2}
    with_deadline = actions_chart(cells, title="t", deadline=dt.date(2017, 12, 27))
    without = actions_chart(cells, title="t")
    empty = actions_chart({}, title="t", deadline=dt.date(2017, 12, 27))
    for png in (with_deadline, without, empty):
        assert png_size(png) == (800, 450)
    a = mpimg.imread(io.BytesIO(with_deadline), format="png")
    b = mpimg.imread(io.BytesIO(without), format="png")
    red = (a[..., 0] > 0.75) & (a[..., 1] < 0.3) & (a[..., 2] < 0.3)
    assert (
        red.sum() > 200 and not ((b[..., 0] > 0.75) & (b[..., 1] < 0.3) & (b[..., 2] < 0.3)).any()
    ), "the deadline is a red line"


async def test_no_chart_for_a_case_without_actions(organiser, sample):
    text_ = await organiser.say("/stats 253/17")
    assert "Actions: 0" in text_ and "no action since publication yet" in text_
    assert not any(isinstance(p, Image) for r in organiser.replies for p in r.parts)


async def test_console_saves_the_chart_and_the_csv(core, history, tmp_path):
    from adapters.console import ConsoleChat

    out = io.StringIO()
    chat = ConsoleChat(core, user=ORGANISER.split(":", 1)[1], out=out, out_dir=tmp_path)
    await chat.send("/stats 253/17")
    await chat.send("1")  # the Export CSV button
    png = tmp_path / "ua-253-17-actions.png"
    assert png.exists() and png_size(png.read_bytes()) == (800, 450)
    assert (tmp_path / "ua-253-17-actions.csv").exists()
    assert f"saved to {png}" in out.getvalue()


# -- export -----------------------------------------------------------------------------------


def parse_csv(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


async def expected_export(store, case_id: int) -> Counter:
    rows = await raw(
        store,
        "SELECT day, action_type, target_no, platform, count(*) FROM actions WHERE case_id=:c "
        "GROUP BY day, action_type, target_no, platform",
        c=case_id,
    )
    return Counter({(str(d), t, int(n), p): c for d, t, n, p, c in rows})


def as_counter(rows: list[dict], ua: str) -> Counter:
    return Counter(
        {
            (r["day"], r["action_type"], int(r["target_no"]), r["platform"]): int(r["count"])
            for r in rows
            if r["ua_number"] == ua
        }
    )


async def test_export_csv_matches_the_raw_rows_and_sums_to_the_totals(organiser, store, history):
    await organiser.say("/export 253/17")
    (doc,) = [p for r in organiser.replies for p in r.parts if isinstance(p, Document)]
    assert doc.filename == "ua-253-17-actions.csv" and doc.mime == "text/csv"
    rows = parse_csv(doc.data)
    assert list(rows[0]) == [
        "ua_number",
        "day",
        "action_type",
        "target_no",
        "target",
        "platform",
        "failed",
        "count",
    ]
    case = history[0]
    ((total,),) = await raw(store, "SELECT count(*) FROM actions WHERE case_id=:c", c=case.id)
    assert sum(int(r["count"]) for r in rows) == total
    assert as_counter(rows, "253/17") == await expected_export(store, case.id)
    assert {r["target"] for r in rows} == {"no specific target", "Xi Jinping", "Cui Tiankai"}
    assert f"{total:,} actions in {len(rows):,} rows" in doc.caption
    assert b"key-" not in doc.data, "no supporter identity"

    await organiser.say("/export all")
    (doc,) = [p for r in organiser.replies for p in r.parts if isinstance(p, Document)]
    rows = parse_csv(doc.data)
    for c in history:
        assert as_counter(rows, c.ua_number) == await expected_export(store, c.id)


def _cli(args: list[str], db_url: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": db_url, "UA_BOT_SECRET": SECRET.decode()}
    return run_cli(args, {**env, "PYTHONPATH": str(ROOT)}, cwd=cwd)


async def test_cli_export(store, history, db_url, tmp_path):
    one = await asyncio.to_thread(_cli, ["export", "253/17"], db_url, tmp_path)
    assert one.returncode == 0, one.stderr
    rows = parse_csv(one.stdout.encode())
    assert as_counter(rows, "253/17") == await expected_export(store, history[0].id)
    assert {r["ua_number"] for r in rows} == {"253/17"}

    out = tmp_path / "all.csv"
    every = await asyncio.to_thread(
        _cli, ["export", "--all", "--out", str(out)], db_url, tmp_path
    )
    assert every.returncode == 0, every.stderr
    rows = parse_csv(out.read_bytes())
    ((total,),) = await raw(store, "SELECT count(*) FROM actions")
    assert sum(int(r["count"]) for r in rows) == total
    for c in history:
        assert as_counter(rows, c.ua_number) == await expected_export(store, c.id)

    bad = await asyncio.to_thread(_cli, ["export", "999/99"], db_url, tmp_path)
    assert bad.returncode == 2 and "no case UA 999/99" in bad.stderr
    neither = await asyncio.to_thread(_cli, ["export"], db_url, tmp_path)
    assert neither.returncode == 2 and "UA" in neither.stderr


# -- who may ----------------------------------------------------------------------------------


async def test_reports_refuse_supporters(chat, sample):
    for line in ("/stats", "/stats 253/17", "/export 253/17", "/export all", "/goal 253/17 500"):
        assert "for organisers only" in await chat.say(line), line
        assert not any(isinstance(p, Image | Document) for r in chat.replies for p in r.parts)


# -- goal and lifecycle -----------------------------------------------------------------------


async def test_goal_progress(organiser, chat, sample):
    for kind in ("letter", "email", "call"):
        await chat.say(f"/took_action {kind}")
    assert "has no goal" in await organiser.say("/goal 253/17")
    assert "Goal for UA 253/17: 500 actions. 3 so far (1%)" in await organiser.say(
        "/goal 253/17 500"
    )
    assert "Goal: 3 of 500 actions (1%)" in await organiser.say("/stats 253/17")
    assert "3 of 500 actions so far" in await organiser.say("/goal 253/17")
    for bad in ("/goal 253/17 lots", "/goal 253/17 -5", "/goal 253/17 99999999999"):
        assert "A goal is a whole number" in await organiser.say(bad), bad
    assert "Which case?" in await organiser.say("/goal 500")
    assert "has no goal now" in await organiser.say("/goal 253/17 off")
    assert "Goal:" not in await organiser.say("/stats 253/17")


async def test_case_lifecycle(organiser, chat, store):
    await add_case(store, make_case(), CaseStatus.DRAFT)
    assert "UA 253/17" in await organiser.say("/drafts")
    assert "is a draft: /publish 253/17 first" in await organiser.say("/close 253/17")
    assert "is a draft" in await organiser.say("/reopen 253/17")
    assert "I don't know UA 253/17" in await chat.say("/case 253/17"), "drafts stay hidden"
    assert "is published" in await organiser.say("/publish 253/17")
    assert "There are no drafts" in await organiser.say("/drafts")
    assert "already open" in await organiser.say("/publish 253/17")
    assert "already open" in await organiser.say("/reopen 253/17")
    async with store.unit() as tx:
        published = (await tx.get_case(ua="253/17")).published_at
    await chat.say("/took_action letter")

    text_ = await organiser.say("/close 253/17 Lee Su-jung was released")
    assert "is closed. Outcome: Lee Su-jung was released." in text_
    assert "This case is closed: Lee Su-jung was released" in await chat.say("/case 253/17")
    assert "no more actions are recorded" in await chat.say("/took_action 253/17 email")
    case = await store_case(store)
    res = await store.record(ActionRequest("someone", case.id, "fax", platform="telegram"))
    assert res.closed and not res.recorded, "the store refuses actions on a closed case too"
    stats = await organiser.say("/stats 253/17")
    assert "Status: closed (Lee Su-jung was released)" in stats and "Actions: 1" in stats
    await organiser.say("/export 253/17")
    assert "UA 253/17: 1 action in 1 row" in organiser.replies[0].parts[0].caption

    assert "open again" in await organiser.say("/reopen 253/17")
    case = await store_case(store)
    assert case.published_at == published, "reopening keeps the first publication time"
    assert "is recorded" in await chat.say("/took_action 253/17 email")


async def store_case(store):
    async with store.unit() as tx:
        return await tx.get_case(ua="253/17")


# -- a supporter's own figures ----------------------------------------------------------------


async def test_mystats_shows_only_your_own_actions(core, store, sample):
    await add_case(store, make_case("12/18", title="SECOND CASE"))
    sam = TestChat(core, "console:sam")
    ann = TestChat(core, "console:ann")
    assert "not recorded an action yet" in await sam.say("/mystats")
    await sam.say("/took_action 253/17 letter 1")
    await sam.say("/took_action 253/17 email")
    await sam.say("/took_action 12/18 call Cui")
    await ann.say("/took_action 253/17 fax")
    text_ = await sam.say("/mystats")
    assert "Your actions: 3 actions on 2 cases" in text_
    assert "UA 253/17: MOTHER AND CHILD" in text_ and "1 letter, 1 email" in text_
    assert "1 December 2017: letter to Xi Jinping" in text_
    assert "UA 12/18: SECOND CASE" in text_ and "call to Cui Tiankai" in text_
    assert "fax" not in text_, "another supporter's action is not shown"
    assert sam.replies[0].private
    assert "1 fax" in await ann.say("/mystats")


def test_small_counts_are_one_fixed_hatched_bar_never_a_stack():
    from ua_bot.charts import bars

    day, later = dt.date(2017, 12, 1), dt.date(2017, 12, 2)
    # 4 actions of three types on one day: once three stacked hatched bars that read as 15.
    few = bars({(day, "letter"): 2, (day, "email"): 1, (day, "call"): 1})
    assert len(few) == 1 and few[0].hatched and few[0].bottom == 0
    assert few[0].height < 5, "its top reads as no count of 5 or more"
    mixed = bars({(later, "letter"): 12, (later, "email"): 7, (later, "call"): 2})
    real = [b for b in mixed if not b.hatched]
    assert [(b.kind, b.bottom, b.height) for b in real] == [
        ("letter", 0, 12),
        ("email", 12, 7),
    ], "real counts are stacked to scale"
    (small,) = [b for b in mixed if b.hatched]
    assert small.bottom == 0 and small.height == few[0].height, "fixed height, beside the stack"
    assert small.left >= real[0].left + real[0].width, "beside, not on top"


def test_a_chart_of_small_counts_only_has_no_scale_and_renders():
    import matplotlib.image as mpimg

    png = actions_chart(
        {(dt.date(2017, 12, 1), "letter"): 2, (dt.date(2017, 12, 1), "call"): 2}, title="t"
    )
    assert png_size(png) == (800, 450)
    assert mpimg.imread(io.BytesIO(png), format="png").std() > 0.05

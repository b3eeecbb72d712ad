"""Guards no test held (issue 26): each test here fails when its guard alone is broken
(the mutation tried is named in each docstring)."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
import sys
import time
from html import unescape
from pathlib import Path

from sqlalchemy import select

from case_store.actions import ActionRequest
from case_store.cases import now
from case_store.outbox_claims import Outcome
from case_store.outbox_tables import broadcasts, outbox
from tests.conftest import add_case, make_case
from tests.organiser_kit import csrf, edit_form, served, sign_in
from tests.slack_kit import SIGNING_SECRET
from tests.test_security_guards import _queued
from tests.test_security_startup import ua_bot
from tests.test_slack_e2e import slack_app
from ua_bot.app import App

ROOT = Path(__file__).resolve().parent.parent


# -- the small-number rule ---------------------------------------------------------------


async def _subscribers_who_acted(store, case, acted: int, subscribed: int = 10) -> None:
    async with store.unit() as tx:
        for s in range(subscribed):
            await tx.subscribe(f"key-{s:03d}", f"telegram:{s}")
    for s in range(acted):
        await store.record(
            ActionRequest(f"key-{s:03d}", case.id, "letter", day=dt.date(2017, 12, 1))
        )


async def test_the_subscriber_share_is_no_percentage_when_1_to_4_acted(organiser, store):
    """Mutation: show the percentage whatever the count (drop ``acted >= k``)."""
    case = await add_case(store, make_case())
    await _subscribers_who_acted(store, case, acted=3)
    line = _line(await organiser.say("/stats 253/17"), "Subscribers who acted on it")
    assert line == "Subscribers who acted on it: <5 of 10 subscribers", line
    await _subscribers_who_acted(store, case, acted=5)
    line = _line(await organiser.say("/stats 253/17"), "Subscribers who acted on it")
    assert line == "Subscribers who acted on it: 5 of 10 subscribers (50.0%)", line


def _line(text: str, start: str) -> str:
    return next(x for x in text.splitlines() if x.startswith(start))


def test_the_chart_draws_5_to_scale_and_4_hatched():
    """Mutations: ``>= threshold`` made ``>`` (a 5 hatched), or ``< threshold`` made
    ``<= threshold`` / a 4 counted real (a 4 drawn to scale)."""
    from ua_bot.charts import bars

    day = dt.date(2017, 12, 1)
    (five,) = bars({(day, "letter"): 5})
    assert not five.hatched and (five.bottom, five.height) == (0, 5)
    (four,) = bars({(day, "letter"): 4})
    assert four.hatched and four.height != 4 and four.height < 5
    both = bars({(day, "letter"): 5, (day, "email"): 4})
    assert [(b.kind, b.height) for b in both if not b.hatched] == [("letter", 5)]
    assert sum(b.hatched for b in both) == 1


async def test_the_organiser_stats_page_shows_1_to_4_as_under_5(settings, store, core):
    """Mutation: the page showing the raw count (no ``small()`` on the page's figures)."""
    case = await add_case(store, make_case())
    for i, kind in enumerate(["letter"] * 6 + ["call"] * 3 + ["fax"]):
        await store.record(ActionRequest(f"k{i}", case.id, kind, day=dt.date(2017, 12, 1)))
    app = App(settings, store, core)
    async with served(app) as http:
        await sign_in(app, http)
        page = unescape((await http.get(f"/organiser/cases/{case.id}/stats")).text)
    assert "Letter: 6" in page and "Call: &lt;5" not in page
    assert "Call: <5" in page and "Fax: <5" in page
    body = page.split("By type", 1)[1]
    assert not re.search(r": [1-4]\b", body), "no count from 1 to 4 on the page"


# -- the outbox: at most once ----------------------------------------------------------


async def test_a_row_settled_by_a_reclaiming_worker_is_not_settled_again(
    db_url, tmp_path, store, sample, clock
):
    """Worker 1's lease ran out, worker 2 took the rows again and settled them; worker 1's
    late settle must change nothing. Mutation: drop ``IS_PENDING`` from the sent, failed or
    gone update in ``apply_outcomes``."""
    await _queued(db_url, tmp_path, store, clock, 4)
    t = now() + dt.timedelta(seconds=1)
    lease = dt.timedelta(seconds=60)
    async with store.unit() as tx:
        first = await tx.claim("webhook", "w1", 10, t, t + lease)
    later = t + lease + dt.timedelta(seconds=1)
    async with store.unit() as tx:
        again = await tx.claim("webhook", "w2", 10, later, later + lease)
    assert [c.id for c in again] == [c.id for c in first] and len(first) == 4
    a, b, c, d = again
    async with store.unit() as tx:
        await tx.apply_outcomes(
            [
                Outcome(a, "sent", message_id="m-a"),
                Outcome(b, "failed", error="no"),
                Outcome(c, "gone"),
                Outcome(d, "sent", message_id="m-d"),
            ],
            later,
        )
    before = await _outbox_state(store)
    w1 = {o.id: o for o in first}
    async with store.unit() as tx:
        await tx.apply_outcomes(
            [
                Outcome(w1[a.id], "sent", message_id="late"),
                Outcome(w1[b.id], "sent", message_id="late"),
                Outcome(w1[c.id], "failed", error="late"),
                Outcome(w1[d.id], "gone"),
            ],
            later + dt.timedelta(seconds=5),
        )
    assert await _outbox_state(store) == before
    assert before[1] == [(1, 1, 2)]  # failed, gone, sent: each message once


async def _outbox_state(store) -> tuple[list, list]:
    async with store.unit() as tx:
        rows = (
            await tx.conn.execute(
                select(
                    outbox.c.id, outbox.c.state, outbox.c.message_id, outbox.c.attempts
                ).order_by(outbox.c.id)
            )
        ).all()
        counts = (
            await tx.conn.execute(select(broadcasts.c.failed, broadcasts.c.gone, broadcasts.c.sent))
        ).all()
    return [tuple(r) for r in rows], [tuple(r) for r in counts]


# -- the secret with Slack settings alone ---------------------------------------------


async def test_slack_settings_alone_need_the_secret(db_url, tmp_path):
    """Mutation: leave ``slack_bot_token`` or ``slack_client_id`` / ``slack_signing_secret``
    out of ``DeploymentSettings.faces_the_public``."""
    for env in (
        {"SLACK_BOT_TOKEN": "xoxb-1-2-3"},
        {"SLACK_CLIENT_ID": "1.2", "SLACK_SIGNING_SECRET": "s" * 32},
        {"SLACK_SIGNING_SECRET": "s" * 32},
    ):
        code, err = await ua_bot(
            "retention", "--days", "9", cwd=tmp_path, DATABASE_URL=db_url, **env
        )
        assert code == 2 and len(err) == 1 and "UA_BOT_SECRET is not set" in err[0], (env, err)
        assert not (tmp_path / ".ua_bot_secret").exists()


# -- the change log on the pages ------------------------------------------------------


def _changes(audit_html: str) -> list[tuple[str, str, str]]:
    table = audit_html.split('id="changes"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(
        r"<td>253/17</td><td>([^<]*)</td>"
        r'<td class="diff">([^<]*)</td><td class="diff">([^<]*)</td>',
        table,
    )
    return [tuple(unescape(x) for x in r) for r in rows]


async def test_an_upload_an_edit_and_an_outcome_are_in_the_change_log(settings, store, core):
    """Mutation: drop the change-log rows of the upload, of the edit, or of the outcome."""
    from ua_bot.app import sample_path

    app = App(settings, store, core)
    async with served(app) as http:
        await sign_in(app, http)
        token = csrf((await http.get("/organiser/")).text)
        files = {"document": ("ua_253_17.txt", sample_path().read_bytes(), "text/plain")}
        r = await http.post("/organiser/upload", data={"csrf": token}, files=files)
        assert r.status_code == 303
        case_id = int(re.search(r"/cases/(\d+)/", r.headers["location"]).group(1))
        form = await edit_form(http, case_id)
        r = await http.post(f"/organiser/cases/{case_id}/edit", data={**form, "country": "Chile"})
        assert r.status_code == 303
        page = f"/organiser/cases/{case_id}"
        for do in ({"do": "publish"}, {"do": "close", "outcome": "released"}):
            token = csrf((await http.get(page)).text)
            assert (await http.post(page, data={"csrf": token, **do})).status_code == 200
        changes = _changes((await http.get("/organiser/audit")).text)
    fields = {f: (a, b) for f, a, b in changes}
    assert fields.get("import", ("", ""))[1] == "ua_253_17.txt", changes
    assert fields.get("country", ("", ""))[1] == "Chile", changes
    assert fields.get("outcome") == ("", "released"), changes


# -- a Telegram button at exactly 64 bytes ---------------------------------------------


async def test_a_button_payload_of_64_bytes_with_its_prefix_is_sent_as_is(store):
    """Mutations: ``<= CALLBACK_LIMIT`` made ``<`` (64 bytes stored), or the prefix not
    counted (65 bytes sent, which Telegram refuses)."""
    from adapters.telegram.callbacks import CallbackCodec

    codec = CallbackCodec(store)
    exact = "/took_action 253/17 letter " + "x" * (64 - 27)
    assert len(exact.encode()) == 64
    pending: dict[str, str] = {}
    assert codec.encode(exact, pending) == exact and not pending  # 64 bytes: as is
    short = exact[:-1]
    assert codec.encode(short, pending, once=True) == "!" + short and not pending  # 1 + 63
    once = codec.encode(exact, pending, once=True)  # 1 + 64: stored
    assert once.startswith("!#") and len(once.encode()) <= 64 and list(pending.values()) == [exact]
    await codec.save(pending)
    assert await CallbackCodec(store).decode(once) == (exact, True)


# -- retention from the setting --------------------------------------------------------


async def test_retention_takes_the_days_from_the_setting(db_url, tmp_path, store, sample):
    """Mutation: ``ua-bot retention`` ignoring UA_BOT_RETENTION_DAYS without --days."""
    from sqlalchemy import update

    from case_store.tables import actions

    await store.record(ActionRequest("k-old", sample.id, "letter", day=dt.date.today()))
    await store.record(ActionRequest("k-new", sample.id, "email", day=dt.date.today()))
    async with store.unit() as tx:  # the letter was recorded 20 days ago
        await tx.conn.execute(
            update(actions)
            .where(actions.c.action_type == "letter")
            .values(created_at=now() - dt.timedelta(days=20))
        )
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("UA_BOT_", "SLACK_", "TELEGRAM_"))
    }
    env |= {
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": db_url,
        "UA_BOT_SECRET": "test-secret-0123456789abcdef",
        "UA_BOT_RETENTION_DAYS": "9",
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "adapters", "retention", env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    assert proc.returncode == 0, err.decode()
    assert "Unlinked 1 actions older than 9 days" in out.decode(), out.decode()
    async with store.unit() as tx:
        rows = (await tx.conn.execute(select(actions.c.action_type, actions.c.supporter_id))).all()
    linked = {kind: sid is not None for kind, sid in rows}
    assert linked == {"letter": False, "email": True}


# -- Slack timestamps ------------------------------------------------------------------


async def test_a_slack_timestamp_with_a_sign_or_space_is_refused(core, settings, store, sample):
    """Signed over the very timestamp sent, so only its form refuses it (Bolt's ``int()``
    takes "+123" and " 123"). Mutation: the pre-check's ``isdigit``."""
    from slack_sdk.signature import SignatureVerifier

    body = "command=/case&team_id=T1&channel_id=C1&user_id=U1&trigger_id=t1"
    async with slack_app(core, settings, store) as (api, slack):
        for ts in (f"+{int(time.time())}", f"+0{int(time.time())}"):
            sig = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=ts, body=body)
            headers = {
                "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": sig,
                "Content-Type": "application/x-www-form-urlencoded",
            }
            r = await slack.http.post(slack.url, content=body.encode(), headers=headers)
            assert r.status_code == 401, ts
    assert api.sent() == []
    # A leading space cannot cross HTTP (h11 refuses to send it, and a server strips it),
    # so the pre-check is given one directly, as a raw-socket client could.
    from starlette.requests import Request

    from adapters.slack.plugin import _signed

    for ts in (f" {int(time.time())}", f"{int(time.time())} ", f"\t{int(time.time())}"):
        sig = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=ts, body=body)
        scope = {
            "type": "http",
            "headers": [
                (b"x-slack-request-timestamp", ts.encode()),
                (b"x-slack-signature", sig.encode()),
            ],
        }
        assert not _signed(SignatureVerifier(SIGNING_SECRET), body.encode(), Request(scope)), ts


# -- bare addresses in a case's text ------------------------------------------------------


async def test_a_bare_address_in_a_case_reaches_supporters_as_a_link_named_by_its_domain(
    core, store
):
    """Mutation: the summary escaped with ``esc`` instead of ``doc_text``."""
    from adapters.slack.render import render as slack_render
    from adapters.telegram.render import render as telegram_render
    from tests.chat import TestChat

    url = "https://amnesty.org.evil.example/login?next=/ua/253-17"
    await add_case(
        store, make_case(summary=f"Read more at {url}. Also www.amnesty.org/en/x and ok.")
    )
    sam = TestChat(core, user="console:sam")
    await sam.say("/case 253/17")
    card = sam.replies[0]
    html = "".join(o.html for o in telegram_render(card) if hasattr(o, "html"))
    assert f'<a href="{url.replace("&", "&amp;")}">amnesty.org.evil.example/...</a>' in html
    assert '<a href="https://www.amnesty.org/en/x">www.amnesty.org/...</a>' in html
    assert html.count(url) == 1, "the address is only the link's target, never its text"
    slack = str(slack_render(card).messages[0].blocks)
    assert f"<{url}|amnesty.org.evil.example/...>" in slack

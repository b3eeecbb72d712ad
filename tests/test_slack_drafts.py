"""Drafts on Slack, end to end: signed requests to the running app, replies through real
slack-sdk code to the fake Web API: the targets card's draft buttons, each draft for the
person who asked, I did it, and the PDF letter as an uploaded file."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import pypdf

from adapters.slack.render import mrkdwn_esc
from tests.conftest import add_case, make_case
from tests.telegram_kit import stored_actions
from tests.test_slack_e2e import slack_app
from ua_bot.drafting import make_draft
from ua_bot.drafting.weight import weighted_length

DEMANDS = make_case().demands


async def test_draft_buttons_give_each_draft_privately_and_i_did_it_records_it(
    core, settings, store, sample
):
    async with slack_app(core, settings, store) as (api, slack):
        await slack.command("/targets 253/17", user="U5", channel="C1")
        (targets,) = await api.wait_sent(1)
        assert "Email 2" in targets.labels and "Call 1" not in targets.labels

        await slack.press(targets.button("Email 2"), user="U5")
        email = (await api.wait_sent(2))[-1]
        assert email.method == "chat.postEphemeral" and email.params["user"] == "U5"
        assert "Cui Tiankai" in email.text and "Dear Ambassador," in email.text
        assert all(d in email.text for d in DEMANDS)
        assert "<mailto:chinaembpress_us@mfa.gov.cn?" in email.text, "a link Slack opens"
        assert all(len(b["text"]["text"]) <= 3000 for b in email.blocks if "text" in b)

        await slack.press(targets.button("Letter 1"), user="U5")
        letter = (await api.wait_sent(3))[-1]
        assert "Dear President," in letter.text and "Beijing Shi 100017" in letter.text

        await slack.press(email.button("I did it"), user="U5")
        thanks = (await api.wait_sent(4))[-1]
        assert "An email to Cui Tiankai for UA 253/17 is recorded" in thanks.text

        await slack.command("/letter 253/17 1 pdf", user="U5", channel="D5")
        await api.wait_for(lambda: len(api.uploads) == 1)
        (pdf_bytes,) = api.uploads.values()
        page = pypdf.PdfReader(io.BytesIO(pdf_bytes)).pages
        assert len(page) == 1 and "Dear President," in page[0].extract_text()

        await slack.command("/call 253/17 1", user="U5", channel="D5")
        no_phone = (await api.wait_sent(6))[-1]
        assert "Xi Jinping has no phone number in this case" in no_phone.text
    key = core.hasher.supporter("slack:T1:U5")
    assert await stored_actions(store) == [("email", "slack", 2, key)]


# -- every draft, both targets, as Slack shows it ---------------------------------------------

OTHERS = "letter, email or fax"
SALUTATION = {1: "Dear President,", 2: "Dear Ambassador,"}
LINK = re.compile(r"<([^<>|]+)\|([^<>]*)>")


def assert_fits_block_kit(call) -> None:
    assert 0 < len(call.blocks) <= 50
    for b in call.blocks:
        if b["type"] == "section":
            assert len(b["text"]["text"]) <= 3000


def links(text: str) -> dict[str, str]:
    """Label -> URL of the mrkdwn links in ``text``."""
    return {label: url for url, label in LINK.findall(text)}


async def test_each_draft_for_each_sample_target_is_the_draft_escaped_for_mrkdwn(
    core, settings, store, sample
):
    case = await core.cases.get("253/17")
    sent = 0
    async with slack_app(core, settings, store) as (api, slack):
        for kind in ("letter", "email", "call", "tweet", "fax"):
            for n in (1, 2):
                await slack.command(f"/{kind} 253/17 {n}", user="U5", channel="C1")
                sent += 1
                reply = (await api.wait_sent(sent))[-1]
                assert reply.method == "chat.postEphemeral" and reply.params["user"] == "U5"
                assert_fits_block_kit(reply)
                text = reply.text
                if kind == "call" and n == 1:
                    assert text == f"Xi Jinping has no phone number in this case; try {OTHERS}."
                    assert reply.labels == []
                    continue
                name = case.targets[n - 1].name
                assert text.startswith(f"*{kind.capitalize()} to {name} for UA 253/17*")
                draft = make_draft(case, n, kind, now=core.now())
                assert mrkdwn_esc(draft.text) in text, "the whole draft, escaped once"
                assert reply.button("I did it")["value"] == f"/took_action 253/17 {kind} {n}"
                if kind in ("letter", "email", "fax"):
                    assert SALUTATION[n] in text and SALUTATION[3 - n] not in text
                if kind != "tweet":
                    assert all(mrkdwn_esc(d) in text for d in DEMANDS)
                if kind == "email":
                    to = urlsplit(links(text)["Open it in your email app"])
                    query = parse_qs(to.query)
                    assert to.scheme == "mailto" and to.path == case.targets[n - 1].emails[0]
                    assert query["subject"] == [draft.subject] and query["body"] == [draft.text]
                    assert query.get("cc", [""])[0] == ",".join(case.targets[n - 1].emails[1:])
                if kind == "call":
                    assert links(text)["+1 202-495-2266"] == "tel:+12024952266"
                    assert "Local time in Washington" in text
                if kind == "tweet":
                    intent = urlsplit(links(text)["Post it on X"])
                    assert parse_qs(intent.query)["text"] == [draft.text]
                    assert f"{weighted_length(draft.text)}/280 characters" in text


HOSTILE = "<!channel> & <https://evil.example|click> *now*"


async def test_case_text_cannot_ping_the_channel_or_forge_a_link(core, settings, store):
    target = make_case().targets[1]
    case = await add_case(
        store,
        make_case(
            "254/17",
            demands=[f"Release them {HOSTILE}"],
            targets=[replace(target, name="Minister <@U0BOSS>", salutation="Dear <!here>")],
        ),
    )
    async with slack_app(core, settings, store) as (api, slack):
        for sent, kind in enumerate(("email", "letter", "call"), 1):
            await slack.command(f"/{kind} 254/17 1", user="U5", channel="C1")
            reply = (await api.wait_sent(sent))[-1]
            text = reply.text
            for raw in ("<!channel>", "<@U0BOSS>", "<!here>", "<https://evil"):
                assert raw not in text and raw not in reply.params["text"]
            assert "&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;" in text
            assert "Minister &lt;@U0BOSS&gt;" in text
            if kind != "call":
                assert "Dear &lt;!here&gt;," in text
            opened = re.findall(r"<([^<>|]+)[|>]", text)
            assert all(u.startswith(("mailto:", "tel:")) for u in opened), opened
            if kind == "email":
                draft = make_draft(case, 1, "email", now=core.now())
                body = parse_qs(urlsplit(links(text)["Open it in your email app"]).query)["body"]
                assert body == [draft.text] and HOSTILE in draft.text, "the email says it as is"


async def test_a_target_without_email_has_no_email_button_and_email_says_why(core, settings, store):
    first, second = make_case().targets
    await add_case(store, make_case("255/17", targets=[replace(first, emails=[]), second]))
    async with slack_app(core, settings, store) as (api, slack):
        await slack.command("/targets 255/17", user="U5", channel="C1")
        (card,) = await api.wait_sent(1)
        assert "Email 2" in card.labels and "Email 1" not in card.labels
        assert "Letter 1" in card.labels

        await slack.command("/email 255/17 1", user="U5", channel="C1")
        answer = (await api.wait_sent(2))[-1]
        assert answer.method == "chat.postEphemeral" and answer.params["user"] == "U5"
        assert answer.text == "Xi Jinping has no email address in this case; try letter or fax."

        await slack.command("/email 255/17", user="U5", channel="C1")
        only = (await api.wait_sent(3))[-1]
        assert only.text.startswith("*Email to Cui Tiankai for UA 255/17*"), "the one who can"


# -- the PDF letter ----------------------------------------------------------------------------


def completed(api) -> list[dict]:
    return api.sent("files.completeUploadExternal")


async def test_a_pdf_letter_asked_for_in_a_channel_reaches_only_the_asker(
    core, settings, store, sample
):
    async with slack_app(core, settings, store) as (api, slack):
        await slack.command("/sign Sam Doe, Leeds", user="U5", channel="D5")
        await api.wait_sent(1)
        await slack.command("/letter 253/17 2 pdf", user="U5", channel="C1")
        await api.wait_for(lambda: len(completed(api)) == 1)
        (note,) = api.sent("chat.postEphemeral")
        assert note.params["channel"] == "C1" and note.params["user"] == "U5"
        assert "Letter to Cui Tiankai for UA 253/17" in note.text
        assert "direct message" in json.dumps(note.blocks)

    (done,) = completed(api)
    (opened,) = api.sent("conversations.open")
    assert opened.params["users"] == "U5"
    assert done.params["channel_id"] == "D-U5", "uploaded to the asker's DM, not to C1"
    assert all(c.params.get("channel") != "C1" for c in api.sent("chat.postMessage"))
    (pdf_bytes,) = api.uploads.values()
    page = pypdf.PdfReader(io.BytesIO(pdf_bytes)).pages[0].extract_text()
    assert "Dear Ambassador," in page and "Sam Doe, Leeds" in page
    assert "3505 International Place NW" in page


async def test_a_pdf_letter_reaches_the_asker_where_the_bot_is_not_in_the_channel(
    core, settings, store, sample
):
    async with slack_app(core, settings, store) as (api, slack):
        api.not_in_channel.add("C9")
        await slack.command("/letter 253/17 1 pdf", user="U5", channel="C9")
        await api.wait_for(lambda: len(completed(api)) == 1)
        await api.wait_sent(1)
    (note,) = api.sent()
    assert note.method == "response_url" and note.params["response_type"] == "ephemeral"
    assert completed(api)[0].params["channel_id"] == "D-U5"


async def test_without_a_dm_the_pdf_is_not_posted_in_the_channel_and_the_asker_is_told(
    core, settings, store, sample
):
    async with slack_app(core, settings, store) as (api, slack):
        api.dm_errors["U5"] = "missing_scope"
        await slack.command("/letter 253/17 1 pdf", user="U5", channel="C1")
        (note,) = await api.wait_sent(1)
        await slack.settled()
    assert note.method == "chat.postEphemeral"
    assert "ask me for it in a direct message" in json.dumps(note.blocks)
    assert completed(api) == [] and api.uploads == {}

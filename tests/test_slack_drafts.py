"""Drafts on Slack, end to end: signed requests to the running app, replies through real
slack-sdk code to the fake Web API: the targets card's draft buttons, each draft for the
person who asked, I did it, and the PDF letter as an uploaded file."""

from __future__ import annotations

import io

import pypdf

from tests.conftest import make_case
from tests.telegram_kit import stored_actions
from tests.test_slack_e2e import slack_app

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

"""Drafts on Telegram, end to end: the targets card's draft buttons through real PTB and the
fake Bot API, down to the recorded action and the PDF letter."""

from __future__ import annotations

import html
import io
import re

import pypdf

from tests.conftest import make_case
from tests.fakes.telegram_api import private_chat, user
from tests.telegram_kit import polling, stored_actions


def shown(call) -> str:
    """What the user reads: the HTML message without its tags."""
    return html.unescape(re.sub(r"<[^>]+>", "", call.params["text"]))


async def test_draft_buttons_give_each_draft_then_i_did_it_records_it(core, settings, sample):
    me, chat = user(41), private_chat(41)
    async with polling(core, settings) as (api, _):
        await api.push(api.message(chat, me, "/targets 253/17"))
        (targets,) = await api.wait_sent(1, chat_id=41)

        await api.push(api.press(targets, "Email 2", me))
        email = (await api.wait_sent(2, chat_id=41))[-1]
        text = shown(email)
        assert text.startswith("Email to Cui Tiankai")
        assert "Dear Ambassador," in text and "Dear President" not in text
        assert all(d in text for d in make_case().demands)
        assert len(email.params["text"]) <= 4096
        assert email.labels[-1] == "I did it"

        await api.push(api.press(targets, "Letter 1", me))
        letter = shown((await api.wait_sent(3, chat_id=41))[-1])
        assert "Dear President," in letter and "Beijing Shi 100017" in letter

        await api.push(api.press(targets, "Call 2", me))
        call = shown((await api.wait_sent(4, chat_id=41))[-1])
        assert "Number: +1 202-495-2266\n" in call and "Washington" in call

        await api.push(api.press(email, "I did it", me))

        def thanked() -> bool:
            said = api.sent("editMessageText") + api.sent(chat_id=41)
            thanks = "An email to Cui Tiankai for UA 253/17 is recorded"
            return any(thanks in c.params["text"] for c in said)

        await api.wait_for(thanked)

        await api.push(api.message(chat, me, "/letter 253/17 1 pdf"))
        (doc,) = await api.wait_sent(1, "sendDocument")
    assert doc.params["chat_id"] == "41"
    pdf = pypdf.PdfReader(io.BytesIO(doc.files["document"]))
    assert len(pdf.pages) == 1
    page = pdf.pages[0].extract_text()
    assert "Xi Jinping" in page and "Dear President," in page

    key = core.hasher.supporter("telegram:41")
    assert await stored_actions(core.store) == [("email", "telegram", 2, key)]

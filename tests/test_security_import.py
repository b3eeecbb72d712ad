"""Import cost (issue 17, finding 5): a small file that unpacks to a huge document is refused
in one line, the reading runs off the event loop with a time limit, and an organiser's file
is the only kind downloaded."""

from __future__ import annotations

import io
import re
import zipfile

import docx

from tests.fakes.telegram_api import private_chat, user
from tests.test_telegram_webhook import post, webhook_app
from ua_bot.importer import import_bytes, limits

ORG = "telegram:77"


def paragraph_bomb(paragraphs: int) -> bytes:
    """A real .docx whose body is ``paragraphs`` one-letter paragraphs (it compresses to KBs)."""
    out = io.BytesIO()
    docx.Document().save(out)
    src = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    dest = io.BytesIO()
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                body = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>" * paragraphs
                data = re.sub(rb"<w:body>", b"<w:body>" + body, data, count=1)
            z.writestr(info.filename, data)
    return dest.getvalue()


def test_the_bomb_is_small_but_over_the_paragraph_limit():
    bomb = paragraph_bomb(200_000)
    assert len(bomb) < 100_000
    result = import_bytes(bomb, "ua.docx")
    assert result.case is None
    assert result.report.errors == ["The document has over 5,000 paragraphs; a UA has far fewer."]


def test_a_huge_text_file_is_refused_in_one_line():
    result = import_bytes(b"a line of text\n" * 100_000, "ua.txt")
    assert result.report.errors == [
        "The document has 1,500,000 characters; a UA has far fewer (the limit is 300,000)."
    ]


async def organiser_sends(core, settings, store, data: bytes) -> tuple[str, int]:
    """An organiser sends ``data`` as ua.docx to the webhook: (the answer, files downloaded)."""
    settings.ua_bot_organisers = ORG
    settings.__dict__.pop("organisers", None)
    async with webhook_app(core, settings, store) as (api, url, http):
        upd = api.document(private_chat(77), user(77), "ua.docx", data)
        assert (await post(http, url, {"update_id": 1, **upd})).status_code == 200
        (answer,) = api.sent(chat_id=77)
        return answer.params["text"], len(api.sent("getFile"))


async def test_an_organisers_bomb_through_the_webhook_is_refused(core, settings, store, sample):
    text, downloads = await organiser_sends(core, settings, store, paragraph_bomb(200_000))
    assert text.startswith("<b>Not imported.</b>") and "over 5,000 paragraphs" in text
    assert downloads == 1
    async with store.unit() as tx:
        assert await tx.count_cases() == 1  # the sample only


async def test_an_import_over_its_time_is_refused(core, settings, store, sample, monkeypatch):
    monkeypatch.setattr(limits, "IMPORT_SECONDS", 0)
    text, _ = await organiser_sends(core, settings, store, paragraph_bomb(10))
    assert "took over 0 seconds to read" in text

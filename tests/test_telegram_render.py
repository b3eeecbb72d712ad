"""Replies as Telegram messages: HTML escaping, the 4096/1024 limits, keyboards, links."""

from __future__ import annotations

import html
import re

from adapters.telegram.render import (
    CAPTION_LIMIT,
    TEXT_LIMIT,
    OutDocument,
    OutPhoto,
    OutText,
    render,
    text_html,
    tg_len,
)
from ua_bot.markup import esc, link, plain
from ua_bot.messages import Button, Buttons, Document, Image, Reply, Text

TAG = re.compile(r"</?(b|i|a)( href=\"[^\"]*\")?>")


def visible(h: str) -> str:
    """What the user sees: tags removed, entities decoded (as Telegram parses HTML)."""
    return html.unescape(TAG.sub("", h))


def test_document_and_user_text_cannot_inject_html_or_markup():
    evil = '<b>x</b> & <a href="javascript:alert(1)">y</a> *bold?* _it?_ [l](https://e.vil)'
    (h,) = text_html(f"*Title:* {esc(evil)}")
    assert h.startswith("<b>Title:</b> ")
    assert "<a " not in h and "<b>x" not in h
    assert "&lt;b&gt;x&lt;/b&gt; &amp; &lt;a href=" in h
    assert visible(h) == f"Title: {evil}"


def test_core_markup_becomes_bold_italic_and_links_with_escaped_urls():
    (h,) = text_html('*A & B* _c<d_ [e "f"](https://x.org/?a=1&b="2")')
    assert h == (
        '<b>A &amp; B</b> <i>c&lt;d</i> <a href="https://x.org/?a=1&amp;b=&quot;2&quot;">e "f"</a>'
    )


def test_mailto_and_tel_links_are_written_out_for_telegram_to_link():
    src = f"Email: {link('gov@x.cn', 'mailto:gov@x.cn')} Phone: {link('+1 202', 'tel:+1202')}"
    (h,) = text_html(src)
    assert h == "Email: gov@x.cn Phone: +1 202"
    (h,) = text_html(link("write to the embassy", "mailto:e@x.cn"))
    assert h == "write to the embassy (e@x.cn)"
    (h,) = text_html(link("Open it", "mailto:e@x.cn?cc=f@x.cn&subject=UA%20253&body=Dear"))
    assert h == "Open it (e@x.cn)"  # a draft's subject and body are in the message already
    (h,) = text_html(link("click", "javascript:alert(1)"))
    assert "<a" not in h and "javascript" in h  # shown as text, never a link


def test_long_text_is_split_on_paragraph_boundaries_within_4096():
    paragraphs = [f"*Paragraph {i}.* " + esc(f"word{i} <&> " * 45) for i in range(40)]
    chunks = text_html("\n\n".join(paragraphs))
    assert len(chunks) > 1
    seen = []
    for h in chunks:
        v = visible(h)
        assert tg_len(v) <= TEXT_LIMIT
        parts = v.split("\n\n")
        assert all(p.startswith("Paragraph ") for p in parts)  # no paragraph is cut
        seen += [p.strip() for p in parts]
        assert h.count("<b>") == h.count("</b>")  # tags never straddle a cut
    assert seen == [plain(p).strip() for p in paragraphs]


def test_a_single_huge_paragraph_splits_at_lines_then_words_then_anywhere():
    lines = "\n".join(f"line {i} {'w' * 50}" for i in range(200))
    chunks = text_html(lines)
    assert all(tg_len(visible(h)) <= TEXT_LIMIT for h in chunks)
    assert "\n".join(visible(h) for h in chunks) == lines

    words = " ".join(["word"] * 3000)
    chunks = text_html(words)
    assert all(tg_len(h) <= TEXT_LIMIT for h in chunks)
    assert " ".join(chunks) == words

    blob = "😀" * 5000  # 2 UTF-16 units each, as Telegram counts
    chunks = text_html(blob)
    assert all(tg_len(h) <= TEXT_LIMIT for h in chunks)
    assert "".join(chunks) == blob


def test_buttons_attach_to_the_text_before_them_and_url_schemes_are_respected():
    reply = Reply(
        [
            Text("Pick one"),
            Buttons.of(
                [Button("Letter", "/took_action 253/17 letter")],
                [Button("Site", url="https://amnesty.org"), Button("Mail", url="mailto:a@b.c")],
                [Button("Call", url="tel:+123")],
            ),
            Text("After"),
        ]
    )
    first, second = render(reply)
    assert first.html == "Pick one\nMail (a@b.c)\nCall (+123)"
    assert [[b.label for b in row] for row in first.keyboard] == [["Letter"], ["Site"]]
    assert second.html == "After" and second.keyboard == []


def test_images_and_documents_with_captions_within_1024():
    short = Reply([Image(b"png", caption="*Actions* by day"), Document("a.csv", b"x,y")])
    photo, doc = render(short)
    assert isinstance(photo, OutPhoto) and photo.caption == "<b>Actions</b> by day"
    assert isinstance(doc, OutDocument) and doc.filename == "a.csv" and doc.caption == ""

    long_caption = "x " * 600  # 1200 characters: too long for a caption
    photo, text = render(Reply([Image(b"png", caption=long_caption)]))
    assert photo.caption == "" and isinstance(text, OutText)
    assert text.html == long_caption.strip()
    assert len(long_caption) > CAPTION_LIMIT


def test_share_line_follows_the_first_text():
    reply = Reply([Text("*Case*"), Buttons.of([Button("Targets", "/targets 253/17")])])
    (out,) = render(reply, share="Share this case: [t.me](https://t.me/bot?start=ua-253-17)")
    assert out.html.endswith('Share this case: <a href="https://t.me/bot?start=ua-253-17">t.me</a>')
    assert out.keyboard

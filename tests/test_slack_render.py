"""Replies as Slack messages: mrkdwn escaping and Block Kit limits."""

from __future__ import annotations

from adapters.slack.render import mrkdwn, render
from ua_bot.markup import esc as md_esc
from ua_bot.messages import Button, Buttons, Document, Image, Reply, Text


def test_markup_becomes_mrkdwn_and_user_text_cannot_open_a_link():
    assert mrkdwn("*UA 1/2* is _urgent_") == "*UA 1/2* is _urgent_"
    assert mrkdwn("[Amnesty](https://amnesty.org)") == "<https://amnesty.org|Amnesty>"
    assert (
        mrkdwn("a & b <!channel> <https://x|y>") == "a &amp; b &lt;!channel&gt; &lt;https://x|y&gt;"
    )
    assert mrkdwn("[click](javascript:alert(1\\))") == "click (javascript:alert(1))"
    assert mrkdwn("[a|b](https://x.org)") == "<https://x.org|a¦b>"


def test_long_text_is_split_into_sections_and_messages_within_the_limits():
    text = "\n".join(f"line {i} " + "x" * 90 for i in range(3000))  # ~300 kB
    out = render(Reply.text(text))
    blocks = [b for m in out.messages for b in m.blocks]
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks)
    assert all(len(m.blocks) <= 50 for m in out.messages)
    assert len(out.messages) > 1
    joined = "\n".join(b["text"]["text"] for b in blocks)
    assert joined.count("line ") == 3000 and "line 2999 " in joined


def test_buttons_carry_payloads_with_unique_ids_and_links_go_in_text():
    row = [Button(f"b{i}", f"/case {i}") for i in range(30)]
    reply = Reply([Text("pick"), Buttons.of(row, [Button("Site", url="https://amnesty.org")])])
    (msg,) = render(reply).messages
    actions = [b for b in msg.blocks if b["type"] == "actions"]
    assert [len(a["elements"]) for a in actions] == [25, 5]
    elements = [e for a in actions for e in a["elements"]]
    assert [e["value"] for e in elements] == [f"/case {i}" for i in range(30)]
    assert len({e["action_id"] for e in elements}) == 30
    assert any(
        "<https://amnesty.org|Site>" in b["text"]["text"]
        for b in msg.blocks
        if b["type"] == "section"
    )


def test_images_and_documents_are_files_to_upload():
    reply = Reply(
        [Image(b"png", "*chart*", "a.png"), Document("x.csv", b"a,b", "text/csv", "data")]
    )
    out = render(reply)
    assert [(f.filename, f.data, f.caption) for f in out.files] == [
        ("a.png", b"png", "chart"),
        ("x.csv", b"a,b", "data"),
    ]


def test_the_fallback_text_and_file_captions_are_escaped_too():
    """Slack reads mentions and links from a message's ``text`` and a file's comment as well."""
    hostile = "UA 1/2 <!channel> & <https://evil.example|click>"
    reply = Reply([Text(md_esc(hostile)), Document("l.pdf", b"%PDF", "application/pdf", hostile)])
    out = render(reply)
    (msg,) = out.messages
    safe = "UA 1/2 &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;"
    assert msg.text == safe and msg.blocks[0]["text"]["text"] == safe
    assert out.files[0].caption == safe

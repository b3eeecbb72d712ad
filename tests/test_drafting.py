"""Action drafting: letters, emails, call scripts, tweets and faxes for each target of a case."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pypdf
import pytest

from adapters.console import ConsoleChat
from tests.chat import TestChat
from tests.conftest import ORGANISER, SECRET, add_case, make_case
from ua_bot.core import Core
from ua_bot.drafting import drafts as drafts_module
from ua_bot.drafting import make_draft
from ua_bot.drafting.weight import fit, weighted_length
from ua_bot.handlers import command_table
from ua_bot.identity import Hasher
from ua_bot.markup import parse
from ua_bot.messages import Document
from ua_bot.model import CaseStatus, Target

DEMANDS = make_case().demands
# What each sample target can receive, and its salutation.
SAMPLE_TARGETS = {
    1: ("Dear President,", ["letter", "email", "fax"]),
    2: ("Dear Ambassador,", ["letter", "email", "call", "fax"]),
}


def links(chat: TestChat) -> dict[str, str]:
    """The links in the last replies, by label."""
    return {s.text: s.url for r in chat.replies for s in parse(r.markup) if s.style == "link"}


def with_target(**changes) -> Target:
    base = make_case().targets[1]
    return Target(**{**base.to_json(), **changes})


@pytest.mark.parametrize("target_no", [1, 2])
async def test_every_draft_a_target_supports_has_its_salutation_and_every_demand(
    chat, sample, target_no
):
    salutation, kinds = SAMPLE_TARGETS[target_no]
    for kind in kinds:
        text = await chat.say(f"/{kind} 253/17 {target_no}")
        for demand in DEMANDS:
            assert demand in text, (kind, demand)
        if kind != "call":
            assert salutation in text, kind
        payload = f"/took_action 253/17 {kind} {target_no}"
        assert chat.button("I did it").payload == payload
        assert len(payload.encode()) < 64


async def test_a_letter_has_the_address_block_date_closing_and_signature(chat, sample):
    text = await chat.say("/letter 253/17 1")
    block = "Xi Jinping\nPresident\nThe State Council General Office\n2 Fuyoujie\n"
    assert block in text
    assert "1 December 2017" in text and "Yours sincerely," in text
    assert "[your name, your city]" in text and "/sign NAME, CITY" in text
    await chat.say("/sign Ana Pérez, Madrid")
    text = await chat.say("/letter 253/17 1")
    assert "Yours sincerely,\n\nAna Pérez, Madrid" in text
    assert "[your name, your city]" not in text
    assert "Signature: Ana Pérez, Madrid" in await chat.say("/my_data")
    await chat.say("/sign off")
    assert "[your name, your city]" in await chat.say("/letter 253/17 1")


async def test_no_salutation_in_the_case_falls_back_to_sir_or_madam(chat, store):
    case = make_case(targets=[with_target(salutation="")])
    await add_case(store, case)
    text = await chat.say("/letter 253/17")  # the only target
    assert "Dear Sir or Madam," in text


@pytest.mark.parametrize("target_no", [1, 2])
async def test_the_mailto_link_decodes_to_the_same_subject_and_body(chat, sample, core, target_no):
    await chat.say(f"/email 253/17 {target_no}")
    url = links(chat)["Open it in your email app"]
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    draft = make_draft(sample, target_no, "email", now=core.now())
    target = sample.targets[target_no - 1]
    assert parts.scheme == "mailto" and unquote(parts.path) == target.emails[0]
    assert query.get("cc", [""])[0].split(",") == (target.emails[1:] or [""])
    assert (
        query["subject"]
        == [draft.subject]
        == ["Urgent Action 253/17: " + sample.title.capitalize()]
    )
    assert query["body"] == [draft.text]
    assert len(url) <= 2000
    for demand in DEMANDS:
        assert demand in query["body"][0]


async def test_an_email_too_long_for_a_link_says_copy_this_text(chat, store):
    long = ["Release the prisoner and " + "ensure a fair trial " * 30] * 3
    await add_case(store, make_case(demands=long))
    text = await chat.say("/email 253/17 2")
    assert "copy this text" in text and "Open it in your email app" not in links(chat)
    assert long[0].strip() in text


async def test_a_target_without_email_gets_no_email_button_and_a_clear_answer(chat, store):
    xi = make_case().targets[0]
    no_email = Target(**{**xi.to_json(), "emails": []})
    await add_case(store, make_case(targets=[no_email, make_case().targets[1]]))
    await chat.say("/targets 253/17")
    labels = [b.label for r in chat.replies for b in r.buttons]
    assert "Email 1" not in labels and "Letter 1" in labels and "Email 2" in labels
    text = await chat.say("/email 253/17 1")
    assert text == "Xi Jinping has no email address in this case; try letter or fax."
    assert chat.replies[0].buttons == []
    text = await chat.say("/call 253/17 1")
    assert text == "Xi Jinping has no phone number in this case; try letter or fax."


async def test_the_targets_card_has_a_draft_button_per_channel(chat, sample):
    await chat.say("/targets 253/17")
    buttons = [b for r in chat.replies for b in r.buttons]
    got = {b.label: b.payload for b in buttons}
    assert got["Letter 1"] == "/letter 253/17 1" and got["Fax 1"] == "/fax 253/17 1"
    assert got["Email 2"] == "/email 253/17 2" and got["Call 2"] == "/call 253/17 2"
    assert "Call 1" not in got and "Tweet 1" not in got  # Xi has no phone, no one a handle
    assert "I took action" in got
    assert len({b.label for b in buttons}) == len(buttons)
    assert all(len(b.payload.encode()) < 64 for b in buttons)
    text = await chat.press("Call 2")
    assert "Number: +1 202-495-2266" in text


async def test_call_times_at_washington_and_beijing_with_the_frozen_clock(chat, store, clock):
    xi = make_case().targets[0]
    xi_phone = Target(**{**xi.to_json(), "phones": ["+86 10 6238 1025"]})
    await add_case(store, make_case(targets=[xi_phone, make_case().targets[1]]))
    # 2017-12-01 12:00 UTC is a Friday: 07:00 in Washington, 20:00 in Beijing.
    text = await chat.say("/call 253/17 2")
    assert "Local time in Washington D.C.: 07:00, Friday (America/New_York)" in text
    assert "outside office hours" in text and "Try email or fax instead." in text
    assert links(chat)["+1 202-495-2266"] == "tel:+12024952266"
    text = await chat.say("/call 253/17 1")
    assert "Number: +86 10 6238 1025" in text
    assert "Local time in Beijing: 20:00, Friday (Asia/Shanghai)" in text
    assert "outside office hours" in text
    clock.when = dt.datetime(2017, 12, 5, 15, 0, tzinfo=dt.UTC)  # a Tuesday
    text = await chat.say("/call 253/17 2")
    assert "Local time in Washington D.C.: 10:00, Tuesday (America/New_York)" in text
    assert "outside office hours" not in text
    for demand in DEMANDS:
        assert demand in text


async def test_a_tweet_fits_280_counted_characters_with_the_handle(chat, store):
    await add_case(store, make_case(targets=[with_target(handles=["@ChinaEmbassyUS"])]))
    await chat.say("/targets 253/17")
    assert chat.button("Tweet").payload == "/tweet 253/17 1"
    text = await chat.press("Tweet")
    url = links(chat)["Post it on X"]
    assert url.startswith("https://twitter.com/intent/tweet?text=")
    tweet = parse_qs(urlsplit(url).query)["text"][0]
    assert tweet.startswith("@ChinaEmbassyUS ") and tweet in text
    assert weighted_length(tweet) <= 280
    assert f"{weighted_length(tweet)}/280 characters" in text
    assert chat.button("I did it").payload == "/took_action 253/17 tweet 1"


async def test_a_long_cjk_tweet_is_cut_to_fit(chat, store):
    cjk = ["停止将任何人强行遣返朝鲜" * 15, "给予有权获得难民身份的朝鲜人难民身份" * 6]
    await add_case(store, make_case(demands=cjk, persons=["李秀贞"]))
    await chat.say("/tweet 253/17 2")
    tweet = parse_qs(urlsplit(links(chat)["Post it on X"]).query)["text"][0]
    assert len(tweet) < 200 and weighted_length(tweet) > 270, "CJK characters count twice"
    assert weighted_length(tweet) <= 280 and tweet.endswith("…")
    assert tweet.startswith("李秀贞")


def test_tweet_weights_follow_twitter_text():
    assert weighted_length("a" * 280) == 280
    assert weighted_length("中" * 140) == 280
    assert weighted_length("see https://example.org/a/very/long/path/indeed/yes ok") == 4 + 23 + 3
    assert weighted_length("\u2018quoted\u2019 \u2026") == 11  # 8208-8223 weigh 1, … (8230) 2
    assert weighted_length("é ü ñ") == 5
    assert weighted_length("👍") == 2
    cut = fit("中" * 300)
    assert weighted_length(cut) <= 280 and cut.endswith("…")
    assert fit("short") == "short"


async def test_a_fax_has_the_cover_line_and_the_letter(chat, sample):
    text = await chat.say("/fax 253/17 2")
    assert "To: Cui Tiankai, Ambassador\nFax: +1 202-495-2138\n" in text and "Pages: 1" in text
    assert "3505 International Place NW, Washington DC 20008" in text
    assert "Dear Ambassador," in text


async def test_the_pdf_letter_is_one_page_with_the_address_in_the_window(chat, sample):
    await chat.say("/letter 253/17 1 pdf")
    docs = [p for r in chat.replies for p in r.parts if isinstance(p, Document)]
    assert len(docs) == 1
    doc = docs[0]
    assert doc.filename == "letter-253-17-1.pdf" and doc.mime == "application/pdf"
    assert "international postage" in chat.replies[0].markup
    assert chat.button("I did it").payload == "/took_action 253/17 letter 1"
    reader = pypdf.PdfReader(io.BytesIO(doc.data))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for line in ("Xi Jinping", "2 Fuyoujie", "Xichengqu, Beijing Shi 100017", *DEMANDS):
        assert line in text
    where: dict[str, tuple[float, float]] = {}

    def visit(t, _cm, tm, _font, _size):
        if t.strip():
            where.setdefault(t.strip(), (tm[4], tm[5]))

    reader.pages[0].extract_text(visitor_text=visit)
    x, y = where["Xi Jinping"]
    mm = 72 / 25.4
    assert 19 * mm <= x <= 21 * mm, "address 20 mm from the left"
    assert (297 - 52) * mm <= y <= (297 - 45) * mm, "first address line just below 45 mm"


async def test_spanish_drafts_with_lang_es(chat, store):
    await add_case(store, make_case(languages=["Chinese", "English"]))
    await chat.say("/lang")
    labels = [b.label for b in chat.replies[0].buttons]
    assert labels == ["English", "Español", "Français", "العربية", "中文"], "by its own name"
    assert "te escribo y redacto en español" in await chat.press("Español")
    text = await chat.say("/letter 253/17 2")
    assert (
        "1 de diciembre de 2017" in text and "Señor Embajador:" in text and "Atentamente," in text
    )
    assert "Le pido que atienda estas peticiones, que cito en inglés:" in text
    assert all(f"> - {d}" in text for d in DEMANDS), "the untranslated demands, quoted"
    text = await chat.say("/email 253/17 2")
    assert "Asunto: Acción Urgente 253/17" in text
    text = await chat.say("/call 253/17 2")
    assert (
        "Llamo en relación con la Acción Urgente 253/17 de Amnistía Internacional." in text
        and "her son" not in text
    )
    assert "Para: Cui Tiankai" in await chat.say("/fax 253/17 2")
    await chat.say("/lang zh")
    assert "No zh template yet" in await chat.say("/letter 253/17 2")
    assert "I don't know the language xx" in await chat.say("/lang xx")


async def test_without_a_target_the_bot_asks_which(chat, sample):
    text = await chat.say("/email 253/17")
    assert "Who should the email go to?" in text
    assert [b.label for b in chat.replies[0].buttons] == ["Xi Jinping", "Cui Tiankai"]
    assert chat.button("Cui Tiankai").payload == "/email 253/17 2"
    text = await chat.say("/call 253/17")  # only Cui has a phone
    assert "Cui Tiankai" in text and "+1 202-495-2266" in text
    assert "There is no target 7 in UA 253/17. Its targets are 1: Xi Jinping; 2: Cui" in (
        await chat.say("/letter 253/17 7")
    )


async def test_i_did_it_counts_under_the_target_in_stats(chat, organiser, sample):
    await chat.say("/email 253/17 2")
    assert "An email to Cui Tiankai" in await chat.press("I did it")
    text = await organiser.say("/stats 253/17")
    by_target = text.split("By target", 1)[1].split("\n\n", 1)[0]
    assert "Cui Tiankai" in by_target and "Xi Jinping" not in by_target


async def test_drafting_through_the_console(core, sample, tmp_path):
    out = io.StringIO()
    console = ConsoleChat(core, user=ORGANISER.split(":", 1)[1], out=out, out_dir=tmp_path)
    await console.send("/targets 253/17")
    labels = [b.label for b in console.buttons]
    await console.send(str(labels.index("Email 2") + 1))
    text = out.getvalue()
    assert (
        "Subject: Urgent Action 253/17" in text and "mailto:chinaembpress_us@mfa.gov.cn?cc=" in text
    )
    await console.send("/letter 253/17 1 pdf")
    assert (tmp_path / "letter-253-17-1.pdf").exists()
    await console.send("1")  # I did it
    assert "A letter to Xi Jinping for UA 253/17 is recorded" in out.getvalue()


async def test_bad_input_gets_a_short_answer(chat, store):
    await add_case(store, make_case())
    assert "under 80 characters" in await chat.say("/sign " + "x" * 81)
    assert "There is nothing stored about you." in await chat.say("/my_data")
    await add_case(store, make_case("254/17"), status=CaseStatus.CLOSED)
    assert "is closed" in await chat.say("/letter 254/17 1")


async def test_an_organisers_template_folder_replaces_a_template_file_by_file(
    store, settings, clock, sample, tmp_path
):
    folder = tmp_path / "templates" / "en"
    folder.mkdir(parents=True)
    builtin = Path(drafts_module.TEMPLATES / "en" / "letter.txt.j2").read_text()
    (folder / "letter.txt.j2").write_text(
        builtin.replace("Yours sincerely,", "With respect, from the Leeds group,")
    )
    custom = settings.model_copy(update={"ua_bot_templates_dir": tmp_path / "templates"})
    chat = TestChat(
        Core(store, custom, Hasher(SECRET), command_table(), clock=clock), user="console:sam"
    )
    letter = await chat.say("/letter 253/17 2")
    assert "With respect, from the Leeds group," in letter and "Yours sincerely" not in letter
    assert "Dear Ambassador," in letter, "the case's values still fill the edited template"
    assert "Cui Tiankai" in await chat.say("/email 253/17 2"), "other drafts stay built in"
    plain = TestChat(
        Core(store, settings, Hasher(SECRET), command_table(), clock=clock), user="console:sam"
    )
    assert "Yours sincerely," in await plain.say("/letter 253/17 2")

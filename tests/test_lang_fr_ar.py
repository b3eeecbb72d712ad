"""French and Arabic, through the console, Telegram and Slack: whole replies in the reader's
language, Arabic with its left-to-right runs isolated, and the Arabic letter as a PDF."""

from __future__ import annotations

import io

from pdfminer.high_level import extract_text

from tests.chat import TestChat
from tests.fakes.telegram_api import private_chat, user
from tests.telegram_kit import polling
from tests.test_slack_e2e import slack_app
from tests.test_telegram_drafts import shown
from ua_bot.i18n import FSI, PDI, Translator, isolate


def iso(text: str) -> str:
    return f"{FSI}{text}{PDI}"


async def test_french_on_the_console_card_targets_and_letter(chat, sample):
    assert "je vous écris et rédige en français." in await chat.say("/lang fr")
    card = await chat.say("/case")
    assert "Pays : Chine" in card and "Date limite : 27 décembre 2017 (encore 26 jours)" in card
    assert "Le texte de ce cas est en anglais" in card
    assert [b.label for b in chat.replies[0].buttons] == [
        "Nos demandes",
        "À qui écrire",
        "J'ai agi",
    ]
    letter = await chat.say("/letter 1")
    assert "Lettre pour Xi Jinping, Action urgente 253/17" in letter
    assert "Je vous écris au sujet de l'Action urgente 253/17 d'Amnesty International." in letter
    assert "Je vous prie d'agréer l'expression de ma haute considération." in letter
    assert (
        "Monsieur le Président," in letter
        and "[votre nom, votre ville]" in letter
        and "> - Stop the forced return" in letter
    )
    call = await chat.say("/call 2")
    assert (
        "Bonjour, je m'appelle [votre nom]." in call and "Essayez plutôt : e-mail ou fax." in call
    )


async def test_arabic_on_the_console_isolates_names_numbers_and_ua_numbers(chat, sample):
    assert "تم: أكتب إليك وأصوغ المسودات بـالعربية." in await chat.say("/lang ar")
    card = await chat.say("/case")
    assert "البلد: الصين" in card and "الموعد النهائي: 27 ديسمبر 2017 (بقي 26 يومًا)" in card
    call = await chat.say("/call 253/17 2")
    # the heading: a Latin name and the UA number inside an Arabic sentence, each isolated
    assert f"مكالمة إلى {iso('Cui Tiankai')}، التحرك العاجل {iso('253/17')}" in call
    assert f"الرقم: {FSI}+1 202-495-2266 <tel:+12024952266>{PDI}" in call
    assert f"الوقت المحلي في {iso('Washington D.C.')}: " in call
    assert f"مرحبًا، اسمي [اسمك]. أتصل بشأن التحرك العاجل {iso('253/17')} الصادر" in call
    targets = await chat.say("/targets")
    assert f"البريد الإلكتروني: {FSI}gov@govonline.cn <mailto:gov@govonline.cn>{PDI}" in targets
    assert "ملاحظة، بالإنكليزية:\n> If you receive an error message" in targets


def test_isolation_leaves_arabic_alone_and_wraps_a_left_to_right_run_once():
    assert isolate("Lee Su-jung") == iso("Lee Su-jung")
    assert isolate(iso("Lee Su-jung")) == iso("Lee Su-jung")
    assert isolate("الصين") == "الصين"
    t = Translator("ar")
    assert t("draft.number", number="+1 202-495-2266") == f"الرقم: {iso('+1 202-495-2266')}"
    assert Translator("fr")("draft.number", number="+1 202") == "Numéro : +1 202"


async def test_french_and_arabic_through_telegram_with_the_arabic_letter_as_a_pdf(
    core, settings, sample
):
    me, chat = user(43), private_chat(43)
    async with polling(core, settings) as (api, _):
        await api.push(api.message(chat, me, "/lang fr"))
        (done,) = await api.wait_sent(1, chat_id=43)
        assert "je vous écris et rédige en français." in shown(done)
        await api.push(api.message(chat, me, "/case 253/17"))
        card = shown((await api.wait_sent(2, chat_id=43))[-1])
        assert "Personnes en danger, en anglais :\n> Lee Su-jung" in card and "Pays : Chine" in card

        await api.push(api.message(chat, me, "/lang ar"))
        assert "العربية" in shown((await api.wait_sent(3, chat_id=43))[-1])
        await api.push(api.message(chat, me, "/targets 253/17"))
        targets = shown((await api.wait_sent(4, chat_id=43))[-1])
        assert f"من نخاطب في التحرك العاجل {iso('253/17')}:" in targets
        assert f"الهاتف: {iso('+1 202-495-2266')}" in targets

        await api.push(api.message(chat, me, "/letter 253/17 1 pdf"))
        (doc,) = await api.wait_sent(1, "sendDocument")
    text = extract_text(io.BytesIO(doc.files["document"]))
    assert "Xi Jinping" in text, "the address block, left to right in the window"
    # PDF text comes out in visual order: Arabic words right to left, glyph by glyph
    for word in ("منظمة", "العفو", "الدولية", "بقبول"):
        assert word[::-1] in text, word
    assert "253/17" in text


async def test_french_and_arabic_through_slack(core, settings, store, sample):
    async with slack_app(core, settings, store) as (api, slack):
        await slack.command("/lang fr", user="U7", channel="D7")
        (done,) = await api.wait_sent(1)
        assert "je vous écris et rédige en français." in done.text
        await slack.command("/demands 253/17", user="U7", channel="D7")
        demands = (await api.wait_sent(2))[-1]
        assert "Nos demandes pour l'Action urgente 253/17" in demands.text
        await slack.command("/lang ar", user="U7", channel="D7")
        await api.wait_sent(3)
        await slack.command("/email 253/17 2", user="U7", channel="D7")
        email = (await api.wait_sent(4))[-1]
        assert f"بريد إلكتروني إلى {iso('Cui Tiankai')}" in email.text
        assert "سعادة السفير،\nتحية طيبة وبعد،" in email.text


async def test_a_supporter_switches_between_the_four_languages(core, sample):
    chat = TestChat(core, "console:lena")
    for code, persons in (
        ("fr", "Personnes en danger"),
        ("ar", "الأشخاص المعرَّضون للخطر"),
        ("es", "Personas en peligro"),
        ("en", "People at risk"),
    ):
        await chat.say(f"/lang {code}")
        assert persons in await chat.say("/case")


def test_each_official_is_greeted_by_office_in_the_readers_language():
    """The document's "Dear Ambassador" becomes "Señor Embajador", not a generic greeting."""
    from ua_bot.drafting.drafts import LANGUAGES, salutation
    from ua_bot.model import Target

    def greet(text: str, lang: str) -> str:
        return salutation(Target(name="x", salutation=text), LANGUAGES[lang])

    assert greet("Dear Ambassador", "es") == "Señor Embajador"
    assert greet("Dear Madam Minister", "fr") == "Madame la Ministre"
    assert greet("Dear Prime Minister", "ar") == "دولة رئيس الوزراء"
    assert greet("Dear Sir", "es") == "Señor/a", "an office it does not know: the generic one"
    assert greet("Dear President", "en") == "Dear President"

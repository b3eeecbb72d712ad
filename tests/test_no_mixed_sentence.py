"""No reply mixes two languages: every command's reply, the card in each state, every draft
and every broadcast, in every language, for the sample case with and without a translation
into the reader's language. Untranslated case texts come as a quoted block."""

from __future__ import annotations

import pytest

from tests.chat import TestChat
from tests.conftest import ORGANISER
from tests.mixed import mixed_sentences
from ua_bot.broadcast.messages import broadcast_reply
from ua_bot.case_texts import localise
from ua_bot.i18n import Translator
from ua_bot.markup import plain

TRANSLATIONS = {
    "es": dict(
        title="MADRE E HIJO EN PELIGRO DE DEVOLUCIÓN FORZADA",
        summary="Lee Su-jung y su hijo están detenidos en Shenyang (China).",
        persons=["Lee Su-jung", "su hijo"],
        demands=[
            "Que detengan la devolución forzada de cualquier persona a Corea del Norte",
            "Que concedan la condición de refugiado a quienes tienen derecho a ella",
            "Que garanticen que Lee Su-jung no sufre tortura ni otros malos tratos",
        ],
        salutations=["Señor Presidente", "Señor Embajador"],
    ),
    "fr": dict(
        title="UNE MÈRE ET SON FILS MENACÉS DE RENVOI FORCÉ",
        summary="Lee Su-jung et son fils sont détenus à Shenyang (Chine).",
        persons=["Lee Su-jung", "son fils"],
        demands=[
            "Mettre fin au renvoi forcé de toute personne vers la Corée du Nord",
            "Accorder le statut de réfugié aux Nord-Coréens qui y ont droit",
            "Veiller à ce que Lee Su-jung ne subisse ni torture ni autres mauvais traitements",
        ],
        salutations=["Monsieur le Président", "Monsieur l'Ambassadeur"],
    ),
    "ar": dict(
        title="أم وطفلها معرَّضان لخطر الإعادة القسرية",
        summary="لي سو-جونغ وابنها محتجزان في شنيانغ بالصين.",
        persons=["لي سو-جونغ", "ابنها"],
        demands=[
            "وقف الإعادة القسرية لأي شخص إلى كوريا الشمالية",
            "منح صفة اللاجئ للكوريين الشماليين الذين يحق لهم ذلك",
            "ضمان حماية لي سو-جونغ من التعذيب وغيره من ضروب سوء المعاملة",
        ],
        salutations=["سيادة الرئيس", "سعادة السفير"],
    ),
}
NEWS = {
    "es": ("detenida: La han vuelto a detener el 3 de marzo.", "liberada"),
    "fr": ("détenue : elle a de nouveau été arrêtée le 3 mars.", "libérée"),
    "ar": ("محتجزة: اعتُقلت مجددًا في 3 مارس.", "أُفرج عنها"),
}
COMMANDS = [
    "/start",
    "/help",
    "/cases",
    "/home",
    "/case",
    "/demands",
    "/targets",
    "/took_action",
    "/took_action letter 1",
    "/took_action letter 1",
    "/took_action call 1",
    "/mystats",
    "/my_data",
    "/undo",
    "/letter 1",
    "/letter 1 pdf",
    "/email 2",
    "/email",
    "/call 2",
    "/call 1",
    "/tweet 1",
    "/fax 1",
    "/fax 2",
    "/sign Ana, Lima",
    "/sign",
    "/letter 2",
    "/sign off",
    "/lang",
    "/lang xx",
    "/subscribe",
    "/subscribe country Peru",
    "/subscribe x",
    "/unsubscribe",
    "/case 999/99",
    "/case banana",
    "/frobnicate",
    "/stats",
    "/forget_me",
]
AFTER_UPDATE = ["/case", "/cases"]
AFTER_CLOSE = ["/case", "/took_action letter", "/letter 1", "/cases"]


@pytest.mark.parametrize("lang", ["en", "es", "fr", "ar"])
@pytest.mark.parametrize("translated", [False, True], ids=["untranslated", "translated"])
async def test_no_reply_mixes_two_languages(core, store, sample, clock, lang, translated):
    if translated:
        async with store.unit() as tx:
            for code, text in TRANSLATIONS.items():
                await tx.set_case_translation(sample.id, code, **text)
    chat, org = TestChat(core, "console:mia"), TestChat(core, ORGANISER)
    said: list[tuple[str, str]] = []

    async def run(lines: list[str]) -> None:
        for line in lines:
            said.append((line, await chat.say(line)))
            if line == "/forget_me":
                await chat.say(f"/lang {lang}")

    await chat.say(f"/lang {lang}")
    await run(COMMANDS)
    await org.say("/update 253/17 detained: She was detained again on 3 March.")
    if translated:  # the update translated too, tied to the words it translates
        async with store.unit() as tx:
            for code, text in TRANSLATIONS.items():
                await tx.set_case_translation(
                    sample.id, code, **text, update=NEWS[code][0], outcome=NEWS[code][1],
                    update_source="detained: She was detained again on 3 March.",
                    outcome_source="released",
                )  # fmt: skip
    await run(AFTER_UPDATE)
    case = await core.cases.get("253/17")
    t = Translator(lang)
    today = clock().date() if callable(clock) else core.today()
    for kind in ("new", "update", "reminder"):
        reply = broadcast_reply(kind, localise(case, lang), case.latest_update, today, (3, 4), t)
        said.append((f"broadcast {kind}", "\n".join(plain(p) for p in [reply.markup])))
    await org.say("/close 253/17 released")
    await run(AFTER_CLOSE)

    case = await core.cases.get("253/17")
    shown = localise(case, lang)
    bad = []
    for line, text in said:
        bad += [f"{line}: {s}" for s in mixed_sentences(text, lang, case, shown)]
    assert not bad, "\n".join(bad)

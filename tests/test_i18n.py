"""/lang sets the interface language as well as the drafts: Spanish for one, English for another."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.chat import TestChat
from tests.conftest import SECRET, add_case, make_case
from ua_bot import catalogue_check
from ua_bot.catalogue_check import check
from ua_bot.core import Core
from ua_bot.handlers import command_table
from ua_bot.i18n import LOCALE_DIR, SOURCE, Translator, catalogue
from ua_bot.identity import Hasher
from ua_bot.markup import parse

UA_BOT = Path(__file__).resolve().parent.parent / "ua_bot"


def labels(chat: TestChat) -> list[str]:
    return [b.label for r in chat.replies for b in r.buttons]


async def test_a_spanish_supporter_gets_spanish_while_another_gets_english(core, sample):
    ana, bob = TestChat(core, "console:ana"), TestChat(core, "console:bob")
    assert "te escribo y redacto en español" in await ana.say("/lang es")

    text = await ana.say("/case")
    assert "Personas en peligro, en inglés:\n> Lee Su-jung, her son" in text
    assert "Plazo: 27 de diciembre de 2017 (quedan 26 días)" in text
    assert "Nadie ha registrado una acción todavía" in text
    assert labels(ana) == ["Peticiones", "Destinatarios", "He actuado"]
    assert ana.button("Destinatarios").payload == "/targets 253/17"  # payloads stay commands

    text = await bob.say("/case")  # at the same time, in the same core
    assert "People at risk: Lee Su-jung, her son" in text and "26 days left" in text
    assert labels(bob) == ["Demands", "Who to contact", "I took action"]

    text = await ana.press("Destinatarios")
    assert "A quién dirigirse en la Acción Urgente 253/17:" in text
    assert "Correo: gov@govonline.cn" in text and "Saludo: Señor Presidente" in text, (
        "as the letter opens"
    )
    assert "Nota, en inglés:\n> If you receive an error message" in text
    assert "Carta 1" in labels(ana) and ana.button("Correo 2").payload == "/email 253/17 2"

    text = await ana.press("Correo 2")
    assert "Correo para Cui Tiankai, Acción Urgente 253/17" in text
    assert "Para: chinaembpress_us@mfa.gov.cn" in text and "Asunto: Acción Urgente" in text
    assert "Señor Embajador:" in text  # "Dear Ambassador", as Spanish greets him
    assert labels(ana) == ["Hecho"]
    assert ana.button("Hecho").payload == "/took_action 253/17 email 2"

    assert "Thank you!" in await bob.say("/took_action letter")
    text = await ana.press("Hecho")
    thanks = "¡Gracias! Un correo a Cui Tiankai para la Acción Urgente 253/17: acción registrada."
    assert thanks in text
    assert "No estás sola/o: 1 persona más ha actuado en este caso." in text
    assert labels(ana) == ["Enviado", "Rebotó", "Deshacer"]  # how it went, optional

    text = await ana.say("/took_action")
    assert "¿Qué has hecho por la Acción Urgente 253/17? Elige una opción:" in text
    assert labels(ana) == ["Carta", "Correo", "Llamada", "Fax", "Tuit"]
    assert ana.button("Tuit").payload == "/took_action 253/17 tweet"

    text = await bob.say("/targets")
    assert "Who to contact for UA 253/17:" in text and "Email 2" in labels(bob)
    text = await bob.say("/case")
    assert "2 supporters took 2 actions so far." in text

    assert "Done: I write to you and draft in English." in await ana.say("/lang en")
    assert "People at risk" in await ana.say("/case")


async def test_common_answers_and_help_follow_the_language(chat, sample):
    await chat.say("/lang es")
    assert "No conozco la Acción Urgente 999/99" in await chat.say("/case 999/99")
    assert "No he entendido banana" in await chat.say("/case banana")
    assert "No conozco el comando /frobnicate" in await chat.say("/frobnicate")
    text = await chat.say("/help")
    assert text.startswith("Comandos\n")
    assert "/took_action [UA] letter|email|call|fax|tweet [target]: Registra" in text
    assert "Bienvenida/o a ua-bot." in await chat.say("/start")
    assert labels(chat) == ["Ver el caso", "Todos los casos"]
    assert "Suscripción hecha: casos nuevos, novedades" in await chat.say("/subscribe")
    assert "Tus borradores irán firmados: Ana, Lima." in await chat.say("/sign Ana, Lima")
    assert "¿Lo borro todo?" in await chat.say("/forget_me")
    assert "Hecho: se ha borrado todo" in await chat.press("Borrarlo todo")
    assert "People at risk" in await chat.say("/case"), "/forget_me forgets the language too"


async def test_lang_alone_offers_the_languages_in_the_current_one(chat, sample):
    text = await chat.say("/lang")
    assert "I write to you and draft in English. Choose a language:" in text
    await chat.press("Español")
    text = await chat.say("/lang")
    assert "Te escribo y redacto en español. Elige un idioma:" in text
    assert labels(chat) == ["English", "Español", "Français", "العربية"], "names in their own"
    assert chat.button("English").payload == "/lang en"


async def test_an_unknown_language_gets_a_short_clear_answer(chat, sample):
    text = await chat.say("/lang xx")
    assert text == "I don't know the language xx. Choose one of: en, es, fr, ar."
    await chat.say("/lang es")
    text = await chat.say("/lang xx")
    assert text == "No conozco el idioma xx. Elige uno de estos: en, es, fr, ar."
    assert "Personas en peligro" in await chat.say("/case"), "the language stays"


async def test_a_language_without_texts_gets_english(chat, store):
    await add_case(store, make_case(languages=["Chinese"]))
    text = await chat.say("/lang zh")
    assert "Noted: zh. There is no zh template yet" in text
    assert "People at risk" in await chat.say("/case")


async def test_user_text_in_a_translation_stays_escaped(chat, store):
    await add_case(store, make_case(persons=["Ana *Star* [x](y)"]))
    await chat.say("/lang es")
    await chat.say("/case")
    assert "> Ana \\*Star\\* \\[x\\]\\(y\\)" in chat.replies[0].markup
    spans = parse(chat.replies[0].markup)
    assert not any(s.style == "link" for s in spans)


def test_a_missing_blank_or_broken_translation_falls_back_to_english():
    texts = {
        "en": {"a": "Hello {name}", "b": "Bye", "c": "UA {ua}", "d": "Only English"},
        "es": {"a": "Hola {name}", "b": "  ", "c": "UA {numero}"},
    }
    t = Translator("es", texts)
    assert t("a", name="Ana") == "Hola Ana"
    assert t("b") == "Bye"  # blank
    assert t("c", ua="1/2") == "UA 1/2"  # a placeholder the code does not fill
    assert t("d") == "Only English"  # missing
    assert Translator("fr", texts)("a", name="Zoé") == "Hello Zoé"  # no such language
    assert t.get("command.x", "the description") == "the description"


async def test_an_organisers_catalogue_replaces_texts_key_by_key(
    store, settings, clock, sample, tmp_path
):
    folder = tmp_path / "templates" / "es"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text(
        'msgctxt "button.demands"\nmsgid "Demands"\nmsgstr "Lo que pedimos"\n\n'
        'msgctxt "case.country"\nmsgid "*Country:* {country}"\nmsgstr "*Tierra:* {tierra}"\n',
        "utf-8",
    )
    custom = settings.model_copy(update={"ua_bot_templates_dir": tmp_path / "templates"})
    chat = TestChat(
        Core(store, custom, Hasher(SECRET), command_table(), clock=clock), "console:ana"
    )
    await chat.say("/lang es")
    text = await chat.say("/case")
    assert labels(chat)[:2] == ["Lo que pedimos", "Destinatarios"]
    assert "Country: China" in text, "a broken text falls back to English"


def test_every_language_has_every_message_with_its_placeholders():
    assert check() == []
    texts = catalogue()
    assert {"en", "es", "fr", "ar"} <= texts.keys()
    source = texts[SOURCE]
    for lang, own in texts.items():
        for key, text in own.items():
            stem = key.rpartition(".")[0]
            assert key in source or f"{stem}.other" in source, (lang, key)
            assert text.strip(), (lang, key)


def _copy_catalogues(tmp_path: Path) -> Path:
    folder = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, folder)
    return folder


def test_the_lint_check_fails_on_a_missing_message_or_placeholder(tmp_path, capsys):
    folder = _copy_catalogues(tmp_path)
    assert catalogue_check.main([str(folder)]) == 0
    po = folder / "fr" / "LC_MESSAGES" / "messages.po"
    text = po.read_text("utf-8")
    po.write_text(text.replace("{ua}", "{numero}", 1), "utf-8")
    assert catalogue_check.main([str(folder)]) == 1
    assert "fr: " in capsys.readouterr().out
    entry = text.index('msgctxt "case.persons"')
    po.write_text(text[:entry] + text[text.index("\n\n", entry) + 2 :], "utf-8")
    assert catalogue_check.main([str(folder)]) == 1
    assert "fr: case.persons: missing" in capsys.readouterr().out
    result = subprocess.run(
        [sys.executable, "-m", "ua_bot.catalogue_check", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1 and "case.persons: missing" in result.stdout


def test_plurals_follow_each_languages_cldr_rules():
    assert Translator("en").n("case.supporters", 1) == "1 supporter"
    assert Translator("en").n("case.supporters", 1200) == "1,200 supporters"
    fr = Translator("fr")
    assert fr.n("count.letter", 0) == "0 lettre" and fr.n("count.letter", 2) == "2 lettres"
    ar = Translator("ar")
    forms = {ar.n("count.letter", n) for n in (0, 1, 2, 3, 11, 100)}
    assert len(forms) == 6, forms


def test_every_plural_has_one_and_other_and_every_key_the_code_uses_is_in_english():
    source = catalogue()[SOURCE]
    code = "\n".join(p.read_text("utf-8") for p in UA_BOT.rglob("*.py"))
    for key in re.findall(r"\bt\(\s*\"([a-z_]+\.[a-z_.]+)\"", code):
        assert key in source, key
    for key in re.findall(r"\bt\.n\(\s*\"([a-z_.]+)\"", code):
        assert f"{key}.one" in source, key
    for prefix, _ in re.findall(r"\bt\(\s*f\"([a-z_]+)\.\{(\w+)\}\"", code):
        assert any(k.startswith(prefix + ".") for k in source), prefix


async def test_an_organiser_adds_a_language_with_one_file(store, settings, clock, sample, tmp_path):
    folder = tmp_path / "templates" / "de"
    folder.mkdir(parents=True)
    (folder / "messages.toml").write_text(
        '[case]\ncountry = "*Land:* {country}"\n'
        '[lang]\nno_template = "Notiert: {code}. Die Entwürfe bleiben auf Englisch."\n',
        "utf-8",
    )
    custom = settings.model_copy(update={"ua_bot_templates_dir": tmp_path / "templates"})
    chat = TestChat(
        Core(store, custom, Hasher(SECRET), command_table(), clock=clock), "console:zoe"
    )
    await chat.say("/lang")
    assert labels(chat) == ["English", "Español", "Français", "العربية", "Deutsch"]
    assert "Notiert: de." in await chat.press("Deutsch")
    text = await chat.say("/case")
    assert "Land: China" in text and "26 days left" in text


async def test_a_supporters_own_data_and_actions_in_spanish(chat, sample):
    await chat.say("/lang es")
    await chat.say("/took_action letter 1")
    await chat.say("/took_action email")
    text = await chat.say("/mystats")
    assert "Tus acciones: 2 acciones en 1 caso" in text and "1 carta, 1 correo" in text
    assert "1 de diciembre de 2017: carta a Xi Jinping" in text
    text = await chat.say("/my_data")
    assert "Qué se guarda sobre ti" in text and "Idioma: es" in text
    action = "Acción: carta a Xi Jinping para la Acción Urgente 253/17, el 1 de diciembre de 2017"
    assert action in text
    assert "Acción eliminada: un correo para la Acción Urgente 253/17." in await chat.say("/undo")


async def test_a_call_and_a_letter_in_spanish_say_the_time_and_postage_in_spanish(chat, sample):
    await chat.say("/lang es")
    text = await chat.say("/call 253/17 2")  # 07:00 on a Friday in Washington
    assert "Hora local en Washington D.C.: 07:00, viernes (America/New_York)" in text
    assert "Allí son las 07:00 del viernes, fuera del horario de oficina" in text
    assert "Prueba con correo o fax." in text
    text = await chat.say("/letter 253/17 1")
    assert "Si lo envías desde otro país, usa franqueo internacional." in text
    assert "Envía /letter 253/17 1 pdf para obtener una página imprimible." in text


async def test_a_language_set_through_one_process_reaches_another(store, settings, clock, sample):
    """Two web processes share the store: /lang in one is followed by the other once its
    cached entry is older than ``langs.ttl`` (30 s by default; 0 here, to see it at once)."""
    one = Core(store, settings, Hasher(SECRET), command_table(), clock=clock)
    two = Core(store, settings, Hasher(SECRET), command_table(), clock=clock)
    in_one, in_two = TestChat(one, "console:eva"), TestChat(two, "console:eva")
    assert "People at risk" in await in_two.say("/case")  # English, and now cached in two
    assert "te escribo y redacto en español" in await in_one.say("/lang es")
    assert "People at risk" in await in_two.say("/case")  # within the cache's time
    two.langs.ttl = 0.0
    assert "Personas en peligro" in await in_two.say("/case")

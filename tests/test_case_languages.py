"""Case texts in several languages: an organiser's translation, or English said once and
quoted, never mixed into a sentence of another language."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

from adapters.console import ConsoleChat
from tests.chat import TestChat
from tests.cli import cli_env, run_cli
from tests.conftest import ORGANISER
from ua_bot.translation_file import parse_translation

SAMPLE = Path(__file__).resolve().parent.parent / "ua_bot" / "samples" / "ua_253_17.txt"
SPANISH = """\
Title: MADRE E HIJO EN PELIGRO DE DEVOLUCIÓN FORZADA
People: Lee Su-jung, su hijo
Summary:
Lee Su-jung y su hijo están detenidos en Shenyang (China).
Demands:
- Que detengan la devolución forzada de cualquier persona a Corea del Norte
- Que concedan la condición de refugiado a quienes tienen derecho a ella
Salutations:
1: Señor Presidente
2: Señor Embajador
"""
ENGLISH_TEXT = ("her son", "Stop the forced return", "Grant refugee status", "are currently in")


def test_a_translation_file_is_read_part_by_part():
    text = parse_translation(SPANISH)
    assert text.title == "MADRE E HIJO EN PELIGRO DE DEVOLUCIÓN FORZADA"
    assert text.persons == ["Lee Su-jung", "su hijo"]
    assert text.demands[0].startswith("Que detengan") and len(text.demands) == 2
    assert text.salutations == ["Señor Presidente", "Señor Embajador"]
    assert parse_translation("Salutations:\n2: Señora\n").salutations == ["", "Señora"]


async def test_a_translation_beside_the_document_is_what_a_spanish_supporter_reads(
    core, chat, tmp_path
):
    doc = tmp_path / "UA.txt"
    shutil.copy(SAMPLE, doc)
    (tmp_path / "UA.es.txt").write_text(SPANISH, "utf-8")
    out = io.StringIO()
    org = ConsoleChat(core, user=ORGANISER.split(":", 1)[1], out=out, out_dir=tmp_path)
    await org.send(f"/import {doc}")
    await org.send("/publish 253/17")
    assert "Translations of the case text stored: es" in out.getvalue()
    await chat.say("/lang es")
    card = await chat.say("/case")
    assert "MADRE E HIJO EN PELIGRO" in card and "Lee Su-jung y su hijo están detenidos" in card
    assert "en inglés" not in card, "translated: nothing to warn about"
    assert "Saludo: Señor Presidente" in await chat.say("/targets")
    letter = await chat.say("/letter 1")
    assert "Señor Presidente:" in letter and "Que detengan la devolución forzada" in letter
    assert not any(s in letter for s in ENGLISH_TEXT)
    english = await TestChat(core, user="console:eve").say("/case")
    assert "MOTHER AND CHILD" in english, "English readers keep English"


def _mixed(line: str) -> bool:
    """A line with English case text that is not a quoted block or a quotation."""
    quoted = line.lstrip().startswith(">") or re.fullmatch(r'.*"[^"]*".*', line)
    return not quoted and any(s in line for s in ENGLISH_TEXT)


async def test_without_a_translation_a_spanish_supporter_is_told_once_and_drafts_quote(
    chat, sample
):
    await chat.say("/lang es")
    card = await chat.say("/case")
    assert "El texto de este caso está en inglés" in card
    assert "está en inglés" not in await chat.say("/case"), "told once"
    for kind in ("letter 1", "email 1", "call 2", "tweet 1", "fax 1"):
        draft = await chat.say(f"/{kind}")
        assert not [ln for ln in draft.splitlines() if _mixed(ln)], (kind, draft)
    letter = await chat.say("/letter 1")
    assert "Este es el caso, en inglés:" in letter and "> - Stop the forced return" in letter
    assert "Señor Presidente:" in letter, "Dear President, as Spanish greets him"
    targets = await chat.say("/targets")
    assert "Saludo: Señor Presidente" in targets, "the targets card greets as the letter does"


def test_ua_bot_import_also_keeps_the_translation_beside_the_document(tmp_path):
    """The command line reads `UA.es.txt` as the console's /import does."""
    doc = tmp_path / "UA.txt"
    shutil.copy(SAMPLE, doc)
    (tmp_path / "UA.es.txt").write_text(SPANISH, "utf-8")
    env = cli_env(tmp_path, f"sqlite:///{tmp_path / 'ua_bot.db'}")
    imported = run_cli(["import", str(doc), "--publish"], env, cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert "Translations of the case text stored: es" in imported.stdout
    chat = run_cli(["chat", "--user", "ana"], env, "/lang es\n/case 253/17\n", cwd=tmp_path)
    assert "MADRE E HIJO EN PELIGRO" in chat.stdout, chat.stdout + chat.stderr


async def test_the_in_english_note_is_remembered_in_the_store_for_every_process(
    store, settings, clock, sample
):
    """Told once per supporter, case and language: not again in a new session or on another
    web process; again after /forget_me, and again in another language."""
    from tests.conftest import SECRET
    from ua_bot.core import Core
    from ua_bot.handlers import command_table
    from ua_bot.identity import Hasher

    def process() -> Core:
        return Core(store, settings, Hasher(SECRET), command_table(), clock=clock)

    note = "El texto de este caso está en inglés"
    one = TestChat(process(), "console:noa")
    await one.say("/lang es")
    assert note in await one.say("/case")
    assert note not in await TestChat(process(), "console:noa").say("/case"), "another process"
    assert note not in await TestChat(process(), "console:noa").say("/letter 1")
    ivo = TestChat(process(), "console:ivo")
    await ivo.say("/lang es")
    assert note in await ivo.say("/case"), "another supporter is told"
    await one.say("/lang fr")
    assert "Le texte de ce cas est en anglais" in await one.say("/case"), "another language"
    await one.say("/forget_me")
    await one.press("Tout effacer")
    await one.say("/lang es")
    assert note in await TestChat(process(), "console:noa").say("/case"), "forgotten"

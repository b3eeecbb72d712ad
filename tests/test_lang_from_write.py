"""/took_action learns the supporter's language from its own write: a Spanish supporter
whose language this process has not cached is thanked in Spanish without a read of it
first, and every refusal before the write is in Spanish too."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from tests.chat import TestChat
from tests.conftest import SECRET
from ua_bot.core import Core
from ua_bot.handlers import command_table
from ua_bot.identity import Hasher

LANG_READ = re.compile(r"SELECT supporters\.\W?key\W?, supporters\.lang\b", re.I)


@pytest.fixture
def lang_reads(store):
    """Statements that read a supporter's language, as the database receives them."""
    seen: list[str] = []

    def note(conn, cursor, statement, *args) -> None:
        if LANG_READ.search(statement):
            seen.append(statement)

    engine = store.engine.sync_engine
    event.listen(engine, "before_cursor_execute", note)
    yield seen
    event.remove(engine, "before_cursor_execute", note)


@pytest.fixture
async def spanish(core, sample) -> TestChat:
    """Ana chose Spanish in one process; the chat returned is hers in another one."""
    assert "español" in await TestChat(core, "console:ana").say("/lang es")
    other = Core(core.store, core.settings, Hasher(SECRET), command_table(), clock=core._clock)
    return TestChat(other, "console:ana")


async def test_the_thanks_is_in_the_language_the_write_read_back(spanish, lang_reads):
    text = await spanish.say("/took_action 253/17 letter 1")
    thanks = "¡Gracias! Una carta a Xi Jinping para la Acción Urgente 253/17: acción registrada."
    assert thanks in text
    assert lang_reads == [], "the confirmation read the language before its write"
    # the write told this process the language: the next command needs no read either
    assert "Personas en peligro" in await spanish.say("/case 253/17")
    assert lang_reads == []


async def test_a_refusal_before_the_write_is_in_the_supporters_language(spanish):
    assert "banana no es una acción que cuente" in await spanish.say("/took_action 253/17 banana")
    text = await spanish.say("/took_action 253/17 call 1")
    assert "Xi Jinping no tiene" in text and "así que no puedo registrarlo" in text
    choose = await spanish.say("/took_action 253/17")
    assert "¿Qué has hecho por la Acción Urgente 253/17?" in choose
    assert "No conozco la Acción Urgente 999/99" in await spanish.say("/took_action 999/99 letter")


async def test_a_closed_case_refuses_in_the_supporters_language(spanish, organiser):
    await organiser.say("/close 253/17 released")
    text = await spanish.say("/took_action 253/17 letter")
    assert "La Acción Urgente 253/17 está cerrada" in text and "ya no se registran acciones" in text


async def test_the_daily_limit_answers_in_the_supporters_language(spanish):
    spanish.core.daily.limit = 1
    assert "¡Gracias!" in await spanish.say("/took_action 253/17 letter")
    spanish.core.langs._langs.clear()  # forgotten again: the refusal must read it
    text = await spanish.say("/took_action 253/17 email")
    assert "Hoy has registrado muchas acciones en este caso" in text

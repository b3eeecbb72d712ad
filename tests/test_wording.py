"""Replies that read well to a supporter who has never heard of a "section"."""

from __future__ import annotations

import io

from adapters.console import ConsoleChat
from tests.conftest import ORGANISER


async def test_a_signed_call_script_says_the_name_and_city(chat, sample):
    assert "Hello, my name is [your name]. I am calling" in await chat.say("/call 2")
    await chat.say("/sign Ana, Lima")
    text = await chat.say("/call 2")
    assert "Hello, my name is Ana, from Lima. I am calling about" in text
    assert "[your name" not in text


async def test_my_data_in_spanish_names_the_language_topics_and_dates(chat, sample):
    await chat.say("/lang es")
    await chat.say("/took_action letter 1")
    await chat.say("/subscribe")
    text = await chat.say("/my_data")
    assert "Idioma: español" in text
    action = "Acción: carta a Xi Jinping para la Acción Urgente 253/17, el 1 de diciembre de 2017"
    assert action in text
    assert "(casos nuevos, novedades y recordatorios" in text and "(all)" not in text


async def test_undo_names_the_target(chat, sample):
    await chat.say("/took_action email 2")
    assert "Removed: an email to Cui Tiankai for UA 253/17." in await chat.say("/undo")


async def test_help_lists_start(chat):
    assert "/start: what this bot does" in await chat.say("/help")


async def test_stats_with_few_subscribers_does_not_print_an_odd_fraction(
    chat, organiser, sample
):
    await chat.say("/subscribe")
    await chat.say("/took_action letter")
    text = await organiser.say("/stats 253/17")
    assert "of 1 subscriber" not in text
    assert "too few subscribers (under 5) to show how many" in text


async def test_console_import_without_a_path_asks_for_the_path(core, sample, tmp_path):
    out = io.StringIO()
    chat = ConsoleChat(core, user=ORGANISER.split(":", 1)[1], out=out, out_dir=tmp_path)
    await chat.send("/import")
    assert "Give its path: /import PATH" in out.getvalue()
    assert "as a file" not in out.getvalue()


async def test_one_button_and_a_wrong_number(core, store, tmp_path):
    from tests.conftest import add_case, make_case
    from ua_bot.model import CaseStatus

    await add_case(store, make_case("9/18", title="ONLY DRAFT"), CaseStatus.DRAFT)
    out = io.StringIO()
    chat = ConsoleChat(core, user=ORGANISER.split(":", 1)[1], out=out, out_dir=tmp_path)
    await chat.send("/drafts")
    await chat.send("3")
    assert "There is one button above: type 1 to press it" in out.getvalue()

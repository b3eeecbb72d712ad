"""Translations on the organiser pages over HTTP: added, edited, refused, removed and
audited on the review page, shown on the preview, and read by a supporter in chat."""

from __future__ import annotations

from tests.chat import TestChat
from tests.conftest import ORGANISER
from tests.organiser_kit import csrf, edit_form, signed_in_on_case
from ua_bot.model import CaseStatus

PUBLISHED = CaseStatus.PUBLISHED

SPANISH = {
    "tr1.lang": "es",
    "tr1.title": "MADRE E HIJO EN PELIGRO DE DEVOLUCIÓN FORZADA",
    "tr1.summary": "Lee Su-jung y su hijo están detenidos en Shenyang (China).",
    "tr1.demands": "Que detengan la devolución forzada\nQue concedan la condición de refugiado",
    "tr1.s1": "Señor Presidente",
}


async def _translations(store, case_id: int):
    async with store.unit() as tx:
        return await tx.case_translations(case_id)


async def _log(store) -> list[tuple[str, str, str]]:
    """The change log, oldest first."""
    async with store.unit() as tx:
        rows = await tx.recent_case_changes()
    return [(r.field, r.before, r.after) for r in reversed(rows)]


async def _changes(store) -> dict[str, tuple[str, str]]:
    """The newest change of each field."""
    return {field: (a, b) for field, a, b in await _log(store)}


async def test_a_translation_added_on_the_page_is_what_a_spanish_supporter_reads(
    settings, store, core
):
    async with signed_in_on_case(settings, store, core, PUBLISHED) as (http, case):
        form = await edit_form(http, case.id)
        assert form["translations"] == "1" and form["tr1.lang"] == ""  # the block to add one
        r = await http.post(f"/organiser/cases/{case.id}/edit", data={**form, **SPANISH})
        assert r.status_code == 303
        preview = await http.get(f"/organiser/cases/{case.id}/preview", params={"lang": "es"})
        assert "MADRE E HIJO EN PELIGRO" in preview.text and "Señor Presidente" in preview.text
        assert 'id="f-lang"' in preview.text and "Draft: letter" not in preview.text
        for params in ({}, {"lang": "fr"}):  # the case's own text; fr is not a translation
            english = (await http.get(f"/organiser/cases/{case.id}/preview", params=params)).text
            assert "MADRE E HIJO" not in english and "MOTHER AND CHILD" in english
            assert "Draft: letter" in english
        again = await edit_form(http, case.id)  # the translation is there to edit
    assert again["tr1.lang"] == "es" and again["tr1.s1"] == "Señor Presidente"
    assert again["tr2.lang"] == "" and again["translations"] == "2"
    [es] = (await _translations(store, case.id)).values()
    assert es.salutations == ["Señor Presidente"] and len(es.demands) == 2
    ana = TestChat(core, user="console:ana")
    await ana.say("/lang es")
    card = await ana.say("/case")
    assert "MADRE E HIJO EN PELIGRO" in card and "Lee Su-jung y su hijo están detenidos" in card
    letter = await ana.say("/letter 1")
    assert "Señor Presidente:" in letter and "Que detengan la devolución forzada" in letter
    assert "MOTHER AND CHILD" in await TestChat(core, user="console:eve").say("/case")
    added = (await _changes(store))["translation es"]
    assert added[0] == "" and "Señor Presidente" in added[1]


async def test_a_bad_language_code_is_refused_and_nothing_is_saved(settings, store, core):
    async with signed_in_on_case(settings, store, core, PUBLISHED) as (http, case):
        form = await edit_form(http, case.id)
        for code, words in (
            ("Spanish", "Not a language code"),
            ("ES", "Not a language code"),
            ("en", "The case itself is in en"),
        ):
            data = {**form, **SPANISH, "tr1.lang": code, "title": "Not to be saved"}
            r = await http.post(f"/organiser/cases/{case.id}/edit", data=data)
            assert r.status_code == 400 and "Nothing was saved" in r.text, code
            assert f'id="error-tr1.lang">{words}' in r.text, code
            assert "MADRE E HIJO" in r.text  # what was typed stays
    assert await _translations(store, case.id) == {}
    assert (await store_case(store)).title == case.title
    assert await _changes(store) == {}


async def test_a_second_translation_into_one_language_or_an_empty_one_is_refused(
    settings, store, core
):
    async with signed_in_on_case(settings, store, core, PUBLISHED) as (http, case):
        form = await edit_form(http, case.id)
        await http.post(f"/organiser/cases/{case.id}/edit", data={**form, **SPANISH})
        form = await edit_form(http, case.id)
        for extra, field, words in (
            ({"tr2.lang": "es", "tr2.title": "Otro título"}, "tr2.lang", "There is a translation"),
            ({"tr2.lang": "fr"}, "tr2.title", "Write the translated title"),
        ):
            r = await http.post(f"/organiser/cases/{case.id}/edit", data={**form, **extra})
            assert r.status_code == 400 and f'id="error-{field}">{words}' in r.text, extra
        # A form without the translation blocks (from before them) leaves them alone.
        old = {k: v for k, v in form.items() if not k.startswith("tr")}
        old["title"] = "A new title"
        assert (await http.post(f"/organiser/cases/{case.id}/edit", data=old)).status_code == 303
    assert list(await _translations(store, case.id)) == ["es"]
    assert (await _translations(store, case.id))["es"].title == SPANISH["tr1.title"]


async def store_case(store):
    async with store.unit() as tx:
        return await tx.get_case(ua="253/17")


async def test_a_translation_is_edited_then_removed_and_both_are_logged(settings, store, core):
    async with signed_in_on_case(settings, store, core, PUBLISHED) as (http, case):
        form = await edit_form(http, case.id)
        await http.post(f"/organiser/cases/{case.id}/edit", data={**form, **SPANISH})
        form = await edit_form(http, case.id)
        form["tr1.s1"] = "Excelentísimo Señor Presidente"
        assert (await http.post(f"/organiser/cases/{case.id}/edit", data=form)).status_code == 303
        assert (await _translations(store, case.id))["es"].salutations[0].startswith("Excel")
        form = await edit_form(http, case.id)
        form["tr1.remove"] = "on"
        assert (await http.post(f"/organiser/cases/{case.id}/edit", data=form)).status_code == 303
        audit = (await http.get("/organiser/audit")).text
    assert await _translations(store, case.id) == {}
    log = await _log(store)
    assert [f for f, _, _ in log] == [
        "translation es", "translation es salutations", "translation es"
    ]  # fmt: skip
    assert log[1][1:] == ("Señor Presidente", "Excelentísimo Señor Presidente")
    assert "Excelentísimo" in log[2][1] and log[2][2] == ""  # removed, with what it was
    assert "translation es salutations" in audit
    ana = TestChat(core, user="console:ana")
    await ana.say("/lang es")
    card = await ana.say("/case")
    assert "MADRE E HIJO" not in card and "El texto de este caso está en inglés" in card


async def test_a_translation_post_without_csrf_changes_nothing(settings, store, core):
    async with signed_in_on_case(settings, store, core, PUBLISHED) as (http, case):
        form = await edit_form(http, case.id)
        for token in (None, "0" * 64):
            data = {k: v for k, v in {**form, **SPANISH}.items() if k != "csrf"}
            if token:
                data["csrf"] = token
            r = await http.post(f"/organiser/cases/{case.id}/edit", data=data)
            assert r.status_code == 403
        assert csrf((await http.get(f"/organiser/cases/{case.id}/edit")).text)
    assert await _translations(store, case.id) == {}
    assert await _changes(store) == {}


async def test_people_the_update_and_the_outcome_translated_on_the_page(settings, store, core):
    """Every case text an organiser can translate has a field: people at risk, the latest
    update and the outcome too; a later update is not shown with the old translation."""
    org = TestChat(core, user=ORGANISER)
    async with signed_in_on_case(settings, store, core, PUBLISHED) as (http, case):
        await org.say("/update 253/17 detained: She was detained again.")
        form = await edit_form(http, case.id)
        news = {
            "tr1.persons": "Lee Su-jung\nsu hijo",
            "tr1.update": "detenida: La han vuelto a detener.",
            "tr1.outcome": "",
        }
        r = await http.post(f"/organiser/cases/{case.id}/edit", data={**form, **SPANISH, **news})
        assert r.status_code == 303
    ana = TestChat(core, user="console:ana")
    await ana.say("/lang es")
    card = await ana.say("/case 253/17")
    assert "Personas en peligro: Lee Su-jung, su hijo" in card
    assert ": detenida: La han vuelto a detener." in card and "en inglés" not in card
    await org.say("/update 253/17 charged: She was charged.")
    later = await ana.say("/case 253/17")
    assert "La han vuelto a detener" not in later, "a translation of an older update"
    assert "(en inglés):\n> charged: She was charged." in later
    assert "su hijo" in (await _changes(store))["translation es"][1]

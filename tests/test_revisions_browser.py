"""Re-imports and translations on the organiser pages in a real browser (headless Chromium):
a re-upload of a published case waits as a revision whose diff keeps the salutation the
organiser corrected; accepting it reaches /case, /targets and /letter in chat; a Spanish
salutation follows its official when the targets swap, and is shown out of date (and not
used) once the English it translates is edited."""

from __future__ import annotations

import asyncio
import io

import pytest

from adapters.console import ConsoleChat
from tests.browser import chromium, why_no_browser
from tests.chat import TestChat
from tests.organiser_kit import served
from tests.revision_kit import (
    CORRECTED,
    NEW_DEMAND,
    NEW_EMAIL,
    SPANISH_AMBASSADOR,
    changed_text,
    sample_text,
    swapped_text,
)
from tests.test_organiser_browser import HEADER, Organiser, wait_for
from tests.ua_builders import build_docx
from ua_bot.app import App

UA = "253/17"


class Reviewer(Organiser):
    def upload_to(self, path, ending: str) -> None:
        self.d.get(self.base + "/organiser/")
        self.by_id("document").send_keys(str(path))
        self.by_id("upload").click()
        wait_for(lambda: self.d.current_url.endswith(ending), f"the page {ending}")

    def fill(self, name: str, value: str) -> None:
        box = self.by_id(name)
        box.clear()
        box.send_keys(value)

    def correct_and_translate(self) -> None:
        self.fill("f-t1.salutation", CORRECTED)
        self.by_id("f-tr1.lang").send_keys("es")
        self.by_id("f-tr1.s2").send_keys(SPANISH_AMBASSADOR)  # target 2: the ambassador
        self.by_id("save").click()
        wait_for(lambda: "/preview" in self.d.current_url, "the preview")

    def diff(self) -> dict[str, tuple[str, str, bool, bool]]:
        """label -> (now, document, ticked, corrected by hand) of each row of the diff."""
        from selenium.webdriver.common.by import By

        rows = {}
        for row in self.by_id("diff").find_elements(By.CSS_SELECTOR, "tr[id^=change-]"):
            cells = row.find_elements(By.TAG_NAME, "td")
            label = cells[1].text.split("\n")[0]
            box = cells[0].find_element(By.TAG_NAME, "input")
            hand = "corrected by hand" in cells[1].text
            rows[label] = (cells[2].text, cells[3].text, box.is_selected(), hand)
        return rows

    def accept(self) -> str:
        self.by_id("accept").click()
        return wait_for(lambda: self.by_id("message").text, "the message")

    def edit(self, case_url: str) -> str:
        self.d.get(case_url + "/edit")
        return self.d.page_source


async def test_reupload_waits_keeps_the_correction_and_translations_follow_their_official(
    settings, store, core, tmp_path
):
    reason = why_no_browser()
    if reason:
        pytest.skip(reason)
    from selenium.common.exceptions import WebDriverException

    app = App(settings, store, core)
    docs = {}
    for name, text in (("first", sample_text()), ("changed", changed_text()),
                       ("swapped", swapped_text(changed_text()))):  # fmt: skip
        docs[name] = tmp_path / f"ua_253_17_{name}.docx"
        docs[name].write_bytes(build_docx(text, header=HEADER))
    out = io.StringIO()
    console = ConsoleChat(core, user="olga", out=out, out_dir=tmp_path / "exports")
    ana = TestChat(core, user="console:ana")
    es = TestChat(core, user="console:eva")

    async with served(app) as http:
        base = str(http.base_url).rstrip("/")
        await console.send("/web")
        link = next(w for w in out.getvalue().split() if "/organiser/login/" in w)
        try:
            driver = await asyncio.to_thread(chromium, tmp_path / "profile", tmp_path)
        except WebDriverException as e:
            pytest.skip(f"no browser: Chromium did not start ({(e.msg or '')[:200]})")
        try:
            b = Reviewer(driver, base)
            await asyncio.to_thread(b.sign_in, link)
            await asyncio.to_thread(b.upload_to, docs["first"], "/edit")
            await asyncio.to_thread(b.correct_and_translate)
            await asyncio.to_thread(b.publish)
            case_url = driver.current_url
            before = (await ana.say(f"/case {UA}"), await ana.say(f"/targets {UA}"))

            await asyncio.to_thread(b.upload_to, docs["changed"], "/revision")
            diff = await asyncio.to_thread(b.diff)
            assert diff["Target 1 (Xi Jinping): salutation"] == (
                CORRECTED, "Dear President", False, True,
            )  # fmt: skip
            assert diff["Target 2 (Cui Tiankai): email"][1].startswith(NEW_EMAIL)
            assert diff["Demand 4"] == ("", NEW_DEMAND, True, False)
            assert (await ana.say(f"/case {UA}"), await ana.say(f"/targets {UA}")) == before

            assert "field(s) taken" in await asyncio.to_thread(b.accept)
            assert "aged 5" in await ana.say(f"/case {UA}")
            targets = await ana.say(f"/targets {UA}")
            assert NEW_EMAIL in targets and CORRECTED in targets
            letter = await ana.say(f"/letter {UA} 1")
            assert f"{CORRECTED}," in letter and NEW_DEMAND in letter

            # The officials swap places in the next document: the Spanish salutation follows.
            await es.say("/lang es")
            await asyncio.to_thread(b.upload_to, docs["swapped"], "/revision")
            assert "Order of the targets" in await asyncio.to_thread(b.diff)
            await asyncio.to_thread(b.accept)
            assert f"{SPANISH_AMBASSADOR}:" in await es.say(f"/letter {UA} 1")
            assert "outdated-es" not in await asyncio.to_thread(b.edit, case_url)

            # Its English is edited: out of date on the review page, English for readers.
            await asyncio.to_thread(b.fill, "f-t1.salutation", "Dear Sir")
            await asyncio.to_thread(b.by_id("save").click)
            await asyncio.to_thread(
                wait_for, lambda: "/preview" in driver.current_url, "the preview"
            )
            page = await asyncio.to_thread(b.edit, case_url)
            assert 'id="outdated-es"' in page and "salutation of target 1 (Cui Tiankai)" in page
            letter = await es.say(f"/letter {UA} 1")
            assert SPANISH_AMBASSADOR not in letter and "está en inglés" in letter
        finally:
            await asyncio.to_thread(driver.quit)

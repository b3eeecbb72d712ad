"""The organiser pages in a real browser (headless Chromium, Selenium): from a sign-in link
in the console chat, through a .docx upload, a corrected salutation, an added demand and a
Spanish salutation, the preview and publishing, to what supporters then see in chat and the
case's figures."""

from __future__ import annotations

import asyncio
import io
import os
import sys
import time
from pathlib import Path

import pytest

from adapters.console import ConsoleChat
from tests.browser import chromium, why_no_browser
from tests.chat import TestChat
from tests.organiser_kit import served
from tests.ua_builders import build_docx
from ua_bot.app import App, sample_path

SCREENSHOT = Path(__file__).resolve().parent.parent / "docs" / "organiser-review.png"
NEW_DEMAND = "Release Lee Su-jung and her son immediately and unconditionally"
SALUTATION = "Dear President Xi"
SPANISH_SALUTATION = "Señor Presidente Xi"


HEADER = "Amnesty International - Urgent Action Network"


def sample_docx(path: Path) -> Path:
    """The sample UA as a Word document with a running header (an unused line)."""
    path.write_bytes(build_docx(sample_path().read_text(encoding="utf-8"), header=HEADER))
    return path


def wait_for(check, what: str, seconds: float = 20.0):
    """Poll until ``check()`` is true (a browser and a server take their time)."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            if value := check():
                return value
        except (NoSuchElementException, StaleElementReferenceException):
            pass  # the next page is still loading
        time.sleep(0.1)
    raise AssertionError(f"never happened: {what}")


class Organiser:
    """What the organiser does in the browser; each step runs in a thread (Selenium blocks,
    the server runs on the test's event loop)."""

    def __init__(self, driver, base: str) -> None:
        self.d = driver
        self.base = base

    def by_id(self, name: str):
        from selenium.webdriver.common.by import By

        return wait_for(lambda: self.d.find_element(By.ID, name), f"the element #{name}")

    def sign_in(self, link: str) -> None:
        self.d.get(link)
        self.by_id("sign-in").click()
        wait_for(lambda: self.d.current_url.endswith("/organiser/"), "the case list")

    def upload(self, docx: Path) -> None:
        self.by_id("document").send_keys(str(docx))
        self.by_id("upload").click()
        wait_for(lambda: self.d.current_url.endswith("/edit"), "the review page")

    def correct(self, shots: list[Path]) -> None:
        assert "Import report: ua_253_17.docx" in self.d.page_source
        assert self.by_id("unused").text == HEADER
        self.sources()
        for path in shots:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.d.save_screenshot(str(path))
        salutation = self.by_id("f-t1.salutation")
        assert salutation.get_attribute("value") == "Dear President"
        salutation.clear()
        salutation.send_keys(SALUTATION)
        demands = self.by_id("f-demands")
        text = demands.get_attribute("value")
        demands.clear()
        demands.send_keys(text + "\n" + NEW_DEMAND)
        self.by_id("f-tr1.lang").send_keys("es")  # the block that adds a translation
        self.by_id("f-tr1.s1").send_keys(SPANISH_SALUTATION)
        self.by_id("save").click()
        wait_for(lambda: "/preview" in self.d.current_url, "the preview")

    def sources(self) -> None:
        """The document as read beside the form: a field's link highlights its lines."""
        from selenium.webdriver.common.by import By

        def background(element) -> str:
            return self.d.execute_script(
                "return getComputedStyle(arguments[0]).backgroundColor", element
            )

        title = self.d.find_elements(By.CSS_SELECTOR, "#document li.f-title")
        target = self.d.find_elements(By.CSS_SELECTOR, "#document li.f-targets-2")
        assert [li.text for li in title] == ["MOTHER AND CHILD AT RISK OF FORCIBLE RETURN"]
        assert any("Cui Tiankai" in li.text for li in target)
        assert background(title[0]) == "rgba(0, 0, 0, 0)"  # nothing highlighted yet
        self.by_id("link-title").click()
        wait_for(lambda: background(title[0]) == "rgb(255, 243, 160)", "the title highlighted")
        assert all(background(li) == "rgba(0, 0, 0, 0)" for li in target)
        self.by_id("link-targets-2").click()
        wait_for(lambda: background(target[0]) == "rgb(255, 243, 160)", "target 2 highlighted")
        assert all(background(li) == "rgb(255, 243, 160)" for li in target)
        assert background(title[0]) == "rgba(0, 0, 0, 0)"
        checks = self.by_id("checks").text
        assert "Target 2 (Cui Tiankai): salutation 'Dear Ambassador'" in checks

    def check_preview(self) -> None:
        from selenium.webdriver.common.by import By

        for cls in ("console", "telegram", "slack"):
            shown = " ".join(e.text for e in self.d.find_elements(By.CLASS_NAME, cls))
            assert SALUTATION in shown, cls
            assert NEW_DEMAND in shown, cls

    def publish(self) -> None:
        self.by_id("case-page").click()
        self.by_id("publish").click()
        wait_for(lambda: "is published" in self.by_id("message").text, "published")
        assert self.by_id("status").text == "published"

    def phone_width(self) -> bool:
        """The review page fits a phone's width (no sideways scrolling)."""
        case_page = self.d.current_url
        self.d.set_window_size(390, 844)
        self.d.get(case_page + "/edit")  # the widest page
        fits = self.d.execute_script(
            "return document.documentElement.scrollWidth <= window.innerWidth + 1"
        )
        self.d.set_window_size(1280, 1700)
        self.d.get(case_page)
        return bool(fits)

    def stats_and_csv(self, downloads: Path) -> bytes:
        self.by_id("stats").click()
        chart = wait_for(lambda: self.d.find_elements("id", "chart"), "the chart")[0]
        wait_for(lambda: self.d.execute_script("return arguments[0].complete", chart), "loaded")
        assert self.d.execute_script("return arguments[0].naturalWidth", chart) > 100
        assert "Actions: 3" in self.d.page_source
        self.by_id("csv").click()
        done = wait_for(
            lambda: [p for p in downloads.glob("*.csv") if p.stat().st_size], "the CSV download"
        )
        return done[0].read_bytes()


async def export_cli(db_url: str, secret_file: Path) -> bytes:
    """``ua-bot export 253/17``, run as an operator would."""
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "UA_BOT_SECRET": "test-secret-0123456789abcdef",
        "UA_BOT_SECRET_FILE": str(secret_file),
    }
    p = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "adapters", "export", "253/17", env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await p.communicate()
    assert p.returncode == 0, err
    return out


async def test_organiser_takes_a_docx_to_a_corrected_published_case(
    settings, store, core, db_url, tmp_path
):
    reason = why_no_browser()
    if reason:
        pytest.skip(reason)
    from selenium.common.exceptions import WebDriverException

    app = App(settings, store, core)
    docx = sample_docx(tmp_path / "ua_253_17.docx")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    shots = [tmp_path / "organiser-review.png"]
    if os.environ.get("UA_BOT_UPDATE_SCREENSHOT"):
        shots.append(SCREENSHOT)
    out = io.StringIO()
    console = ConsoleChat(core, user="olga", out=out, out_dir=tmp_path / "exports")

    async def say(line: str) -> str:
        out.seek(0)
        out.truncate()
        await console.send(line)
        return out.getvalue()

    async with served(app) as http:
        base = str(http.base_url).rstrip("/")
        text = await say("/web")
        link = next(w for w in text.split() if "/organiser/login/" in w)
        try:
            driver = await asyncio.to_thread(chromium, tmp_path / "profile", downloads)
        except WebDriverException as e:
            pytest.skip(f"no browser: Chromium did not start ({(e.msg or '')[:200]})")
        try:
            browser = Organiser(driver, base)
            await asyncio.to_thread(browser.sign_in, link)
            await asyncio.to_thread(browser.upload, docx)
            await asyncio.to_thread(browser.correct, shots)
            await asyncio.to_thread(browser.check_preview)
            await asyncio.to_thread(browser.publish)
            assert await asyncio.to_thread(browser.phone_width)

            # What supporters see in chat now.
            case = await say("/case 253/17")
            assert "MOTHER AND CHILD AT RISK OF FORCIBLE RETURN" in case and "Draft" not in case
            demands = await say("/demands 253/17")
            assert NEW_DEMAND in demands
            letter = await say("/letter 253/17 1")
            assert f"{SALUTATION}," in letter and NEW_DEMAND in letter
            ana = TestChat(core, user="console:ana")
            await ana.say("/lang es")
            assert f"{SPANISH_SALUTATION}:" in await ana.say("/letter 253/17 1")

            for who, kind in (("console:a", "letter 1"), ("console:b", "email 1"),
                              ("console:c", "call 2")):  # fmt: skip
                assert "recorded" in await TestChat(core, user=who).say(
                    f"/took_action 253/17 {kind}"
                )
            csv = await asyncio.to_thread(browser.stats_and_csv, downloads)
        finally:
            await asyncio.to_thread(driver.quit)
    assert csv == await export_cli(db_url, tmp_path / "secret")
    assert csv.count(b"\n") == 4  # header and three rows
    assert shots[0].stat().st_size > 10_000

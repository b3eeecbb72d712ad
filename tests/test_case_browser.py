"""The lifecycle in a real browser: close with good news, then reopen, and supporters act
again (headless Chromium, Selenium; the same application layer as chat)."""

from __future__ import annotations

import asyncio

import pytest

from tests.browser import chromium, why_no_browser
from tests.chat import TestChat
from tests.conftest import ORGANISER, add_case, make_case
from tests.organiser_kit import link_from_chat, served
from tests.test_organiser_browser import Organiser, wait_for
from ua_bot.app import App


def close_then_reopen(browser: Organiser, case_url: str) -> None:
    browser.d.get(case_url)
    browser.d.find_element("name", "outcome").send_keys("released")
    browser.by_id("close").click()
    wait_for(lambda: "is closed" in browser.by_id("message").text, "closed")
    assert browser.by_id("status").text == "closed"
    browser.by_id("publish").click()  # on a closed case: Reopen
    wait_for(lambda: "open again" in browser.by_id("message").text, "reopened")
    assert "no longer stands" in browser.by_id("message").text
    assert "outcome" not in browser.d.find_element("class name", "status").text


async def test_reopen_in_the_browser_lets_supporters_act_again(settings, store, core, tmp_path):
    reason = why_no_browser()
    if reason:
        pytest.skip(reason)
    from selenium.common.exceptions import WebDriverException

    case = await add_case(store, make_case())
    app = App(settings, store, core)
    async with served(app) as http:
        base = str(http.base_url).rstrip("/")
        link = await link_from_chat(app, ORGANISER)
        try:
            driver = await asyncio.to_thread(chromium, tmp_path / "profile", tmp_path)
        except WebDriverException as e:
            pytest.skip(f"no browser: Chromium did not start ({(e.msg or '')[:200]})")
        try:
            browser = Organiser(driver, base)
            await asyncio.to_thread(browser.sign_in, link)
            await asyncio.to_thread(close_then_reopen, browser, f"{base}/organiser/cases/{case.id}")
        finally:
            await asyncio.to_thread(driver.quit)
    ann = TestChat(core, user="console:ann")
    card = await ann.say("/case 253/17")
    assert "No more action is needed" not in card and "closed" not in card
    assert "Thank you" in await ann.say("/took_action 253/17 letter")

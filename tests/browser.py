"""A headless Chromium driven by Selenium, for the organiser pages' browser test.

Debian's ``chromium`` and ``chromium-driver`` packages (``.ci/run`` installs them); the
test skips, saying so, only when no browser can be had.
"""

from __future__ import annotations

import shutil
from pathlib import Path

CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
DRIVER = ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,1700",
)


def _first(paths: tuple[str, ...], name: str) -> str | None:
    return next((p for p in paths if Path(p).exists()), None) or shutil.which(name)


def why_no_browser() -> str | None:
    """``None`` when a browser can be had, else why not (the skip message)."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "no browser: the selenium package is not installed (pip install -e '.[dev]')"
    if _first(CHROMIUM, "chromium") is None:
        return "no browser: Chromium is not installed (apt-get install chromium)"
    if _first(DRIVER, "chromedriver") is None:
        return "no browser: chromedriver is not installed (apt-get install chromium-driver)"
    return None


def chromium(profile: Path, downloads: Path):
    """A fresh headless Chromium with its own profile, saving downloads to ``downloads``."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = _first(CHROMIUM, "chromium") or ""
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    service = Service(executable_path=_first(DRIVER, "chromedriver"))
    return webdriver.Chrome(options=options, service=service)

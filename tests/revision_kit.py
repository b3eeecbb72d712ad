"""Documents for the re-import tests: the sample UA changed, or with its targets swapped."""

from __future__ import annotations

from pathlib import Path

from ua_bot.app import sample_path

NEW_DEMAND = "Release Lee Su-jung and her son immediately and unconditionally."
NEW_EMAIL = "press@china-embassy.example"
CORRECTED = "Dear President Xi"  # the organiser's hand correction of target 1's salutation
SPANISH_AMBASSADOR = "Señor Embajador"


def sample_text() -> str:
    return sample_path().read_text(encoding="utf-8")


def changed_text() -> str:
    """The sample with a new summary detail, a fourth demand and a new email for target 2."""
    return (
        sample_text()
        .replace("(aged 4)", "(aged 5)")
        .replace("medical treatment.\n", f"medical treatment.\n{NEW_DEMAND}\n", 1)
        .replace("chinaembpress_us@mfa.gov.cn", NEW_EMAIL)
    )


def swapped_text(text: str | None = None) -> str:
    """The sample with its two officials in the other order (the ambassador first)."""
    t = text or sample_text()
    a = t.index(" [bookmark: Text17]President")
    b = t.index("[bookmark: _GoBack]Ambassador")
    c = t.index("Salutation: Dear Ambassador")
    return t[:a] + t[b:c] + t[a:b] + t[c:]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path

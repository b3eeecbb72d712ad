"""docs/import_report_example.txt shows real reports: the three examples render as written."""

from __future__ import annotations

from pathlib import Path

from ua_bot.importer import import_text

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = (ROOT / "ua_bot" / "samples" / "ua_253_17.txt").read_text(encoding="utf-8")
EXAMPLE = ROOT / "docs" / "import_report_example.txt"


def example_inputs() -> dict[str, str]:
    """The documents behind each example report."""
    flawed = (
        "Amnesty International USA | Urgent Action Network\n"
        "Forwarded by the Southern Region office\n"
        + SAMPLE.replace(
            "Contact these two officials by 27 December, 2017:",
            "Contact these two officials as soon as possible:",
        )
        .replace("Fax: +86 10 6238 1025\n", "")
        .replace("Email: gov@govonline.cn \n", "")
    )
    return {
        "The sample UA 253/17": SAMPLE,
        "The sample with no deadline date, no contact lines for the first target and two "
        "forwarding lines on top": flawed,
        "Not a UA": "Minutes of the group meeting\nWe discussed the summer fair.\n",
    }


def render_examples() -> str:
    parts = [
        "Import validation reports (ua-bot import FILE, or /import with the file attached)",
        "",
    ]
    for title, text in example_inputs().items():
        parts += [f"# {title}", import_text(text).report.render(), ""]
    return "\n".join(parts)


def test_example_file_is_current() -> None:
    assert EXAMPLE.read_text(encoding="utf-8") == render_examples(), (
        "regenerate: python -c 'from tests.test_import_docs import render_examples as r; "
        "open(\"docs/import_report_example.txt\", \"w\").write(r())'"
    )


def test_format_citations_point_into_the_repository() -> None:
    """Importer comments cite docs/ua-format.md sections that exist, and nothing outside."""
    import re

    sections = set(re.findall(r"^## (\d+)\.", (ROOT / "docs" / "ua-format.md").read_text(), re.M))
    cited = set()
    for path in (ROOT / "ua_bot" / "importer").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "UA_FORMAT.md" not in text, path.name
        cited |= set(re.findall(r"docs/ua-format\.md §(\d+)", text))
    assert cited and cited <= sections

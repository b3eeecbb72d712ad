"""The shared sample UA 253/17 imports with every field right from .txt, .docx and .pdf."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.ua_builders import build_docx, build_pdf, form_feed_text
from ua_bot.importer import ImportResult, import_bytes, import_file, import_text

SAMPLE = Path(__file__).resolve().parent.parent / "ua_bot" / "samples" / "ua_253_17.txt"
TEXT = SAMPLE.read_text(encoding="utf-8")

XI = {
    "name": "Xi Jinping",
    "title": "President",
    "organisation": "The State Council General Office",
    "address": ["2 Fuyoujie", "Xichengqu, Beijing Shi 100017", "People's Republic of China"],
    "emails": ["gov@govonline.cn"],
    "phones": [],
    "faxes": ["+861062381025"],
    "handles": [],
    "salutation": "Dear President",
    "notes": [],
}
CUI = {
    "name": "Cui Tiankai",
    "title": "Ambassador",
    "organisation": "Embassy of the People's Republic of China",
    "address": ["3505 International Place NW, Washington DC 20008"],
    "emails": ["chinaembpress_us@mfa.gov.cn", "chineseembassyspokesperson@gmail.com"],
    "phones": ["+12024952266"],
    "faxes": ["+12024952138"],
    "handles": [],
    "salutation": "Dear Ambassador",
    "notes": ["If you receive an error message, please try calling instead!"],
}
EXPECTED = {
    "ua_number": "253/17",
    "title": "MOTHER AND CHILD AT RISK OF FORCIBLE RETURN",
    "persons": ["Lee Su-jung", "her son"],
    "country": "China",
    "demands": [
        "Stop the forced return of any person to North Korea, including Lee Su-jung and her son",
        "Grant refugee status to those North Koreans who are entitled to it, give them immediate "
        "access to UNHCR or allow them to travel to South Korea or other countries to seek asylum",
        "Ensure Lee Su-jung, her son and the other eight North Koreans in the group are protected "
        "from torture and other ill-treatment while in detention and have prompt access to legal "
        "counsel of their choosing and any necessary medical treatment.",
    ],
    "targets": [XI, CUI],
    "deadline": "2017-12-27",
    "update_of": None,
    "outcome": None,
    "issue_date": None,
    "languages": [],
    "copies_to": [],
}


def _import(fmt: str) -> ImportResult:
    if fmt == "txt":
        return import_file(SAMPLE)
    if fmt == "text":
        return import_text(TEXT)
    if fmt == "formfeed":
        return import_bytes(form_feed_text(TEXT).encode(), "ua_253_17.txt")
    if fmt == "cp1252":
        return import_bytes(TEXT.encode("cp1252"), "ua_253_17.txt")
    if fmt == "docx":
        return import_bytes(build_docx(TEXT), "ua_253_17.docx")
    if fmt == "pdf":
        built = build_pdf(TEXT)
        assert built.pages >= 2 and built.hyphenated
        return import_bytes(built.data, "ua_253_17.pdf")
    raise AssertionError(fmt)


FORMATS = ["txt", "text", "formfeed", "cp1252", "docx", "pdf"]
_cache: dict[str, ImportResult] = {}


def result(fmt: str) -> ImportResult:
    if fmt not in _cache:
        _cache[fmt] = _import(fmt)
    return _cache[fmt]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("field", list(EXPECTED))
def test_sample_field(fmt: str, field: str) -> None:
    assert result(fmt).to_json()[field] == EXPECTED[field]


@pytest.mark.parametrize("fmt", FORMATS)
def test_sample_summary_and_additional_information(fmt: str) -> None:
    got = result(fmt).to_json()
    assert got["summary"].startswith("Lee Su-jung (name being used in China, aged 24) and her son")
    assert got["summary"].endswith("and possibly execution.")
    info = got["additional_information"]
    assert info.startswith("In February 2014 the UN Commission of Inquiry")
    assert info.endswith("just for having left the country.")
    assert info.count("\n\n") == 3
    assert "Name:" not in info and "Gender" not in info
    assert "MOTHER AND CHILD" not in info


@pytest.mark.parametrize("fmt", FORMATS)
def test_sample_report_is_clean(fmt: str) -> None:
    r = result(fmt)
    assert r.report.ok and not r.report.errors and not r.report.missing
    assert not r.report.warnings
    # The PDF keeps its running header once: it goes into no field.
    expected_unused = ["Amnesty International - Urgent Action Network"] if fmt == "pdf" else []
    assert r.report.unused_lines == expected_unused


@pytest.mark.parametrize("fmt", FORMATS)
def test_sample_case(fmt: str) -> None:
    case = result(fmt).case
    assert case is not None
    assert case.status.value == "draft"
    assert case.ua_written == "Urgent Action 253.17"
    assert case.deadline == dt.date(2017, 12, 27)
    assert [t.is_copy for t in case.targets] == [False, False]
    assert [t.channels() for t in case.targets] == [
        ["letter", "email", "fax"],
        ["letter", "email", "call", "fax"],
    ]
    assert len(result(fmt).details) == 4


def test_bundled_sample_is_the_shared_one() -> None:
    shared = Path("/work/shared/ua_samples/ua_253_17.txt")
    if shared.exists():
        assert shared.read_text(encoding="utf-8") == TEXT


def test_to_json_has_exactly_the_contract_keys() -> None:
    keys = set(result("txt").to_json())
    assert keys == {
        "ua_number", "title", "persons", "country", "summary", "demands", "targets",
        "deadline", "additional_information", "update_of", "outcome", "issue_date",
        "languages", "copies_to", "report",
    }  # fmt: skip
    target_keys = set(result("txt").to_json()["targets"][0])
    assert target_keys == {
        "name", "title", "organisation", "address", "emails", "phones", "faxes",
        "salutation", "notes", "handles",
    }  # fmt: skip
    assert set(result("txt").to_json()["report"]) == {
        "found", "missing", "unused_lines", "warnings", "errors", "checks", "sources",
    }  # fmt: skip


def test_render_is_short_plain_text() -> None:
    text = result("txt").report.render()
    assert text.splitlines()[0] == "Validation report: importable"
    assert "found: ua_number, title" in text
    assert len(text.splitlines()) < 10

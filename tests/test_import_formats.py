"""Format details: files on disk, encodings, Word headers and footers, content sniffing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ua_builders import build_docx, build_pdf
from ua_bot.importer import import_bytes, import_file, import_text

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = (ROOT / "ua_bot" / "samples" / "ua_253_17.txt").read_text(encoding="utf-8")
FIXTURES = ROOT / "tests" / "fixtures" / "ua"


@pytest.mark.parametrize("fmt", ["txt", "docx", "pdf"])
def test_import_file_for_each_format(tmp_path: Path, fmt: str) -> None:
    data = {
        "txt": SAMPLE.encode(),
        "docx": build_docx(SAMPLE),
        "pdf": build_pdf(SAMPLE).data,
    }[fmt]
    path = tmp_path / f"ua.{fmt}"
    path.write_bytes(data)
    r = import_file(str(path))
    assert r.case is not None and r.case.ua_number == "253/17"
    assert len(r.case.targets) == 2


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_content_decides_not_the_name(fmt: str) -> None:
    data = build_docx(SAMPLE) if fmt == "docx" else build_pdf(SAMPLE).data
    r = import_bytes(data, "ua_253_17.txt")
    assert r.case is not None and r.case.title == "MOTHER AND CHILD AT RISK OF FORCIBLE RETURN"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1252"])
def test_text_encodings(encoding: str) -> None:
    r = import_bytes(SAMPLE.encode(encoding), "ua.txt")
    assert r.case is not None
    assert r.case.targets[1].organisation == "Embassy of the People's Republic of China"
    assert "Democratic People's Republic of Korea" in r.case.additional_information


def test_mojibake_is_repaired() -> None:
    garbled = SAMPLE.encode("utf-8").decode("cp1252", errors="replace")
    r = import_text(garbled)
    assert r.case is not None
    assert "Democratic People's Republic of Korea" in r.case.additional_information


def test_word_header_and_footer() -> None:
    text = (FIXTURES / "c_is_2013.txt").read_text(encoding="utf-8")
    lines = text.split("\n")
    header_line, footer_line = lines[0], lines[-2]
    body = "\n".join(lines[1:-2])
    r = import_bytes(build_docx(body, header=header_line, footer=footer_line), "c.docx")
    assert r.case is not None
    assert (r.case.ua_number, r.case.country, str(r.case.issue_date)) == (
        "123/13",
        "Mexico",
        "2013-05-03",
    )
    assert r.index_number == "AMR 41/029/2013"
    assert r.report.unused_lines == []


def test_x_label_and_handles_in_json() -> None:
    text = SAMPLE.replace("Email: gov@govonline.cn", "Email: gov@govonline.cn\nX: @XHNews")
    r = import_text(text)
    assert r.to_json()["targets"][0]["handles"] == ["@XHNews"]
    assert r.case is not None and "tweet" in r.case.targets[0].channels()


def test_copies_are_in_case_targets_and_copies_to() -> None:
    r = import_text((FIXTURES / "d_aiusa_2018.txt").read_text(encoding="utf-8"))
    assert r.case is not None
    assert [t.is_copy for t in r.case.targets] == [False, True]
    assert r.copies_to == [r.case.targets[1]]
    assert [t["name"] for t in r.to_json()["targets"]] == ["Tarek Hamdy"]
    assert [t["name"] for t in r.to_json()["copies_to"]] == ["Yasser Hassan"]


def test_form_feeds_and_page_numbers_in_text() -> None:
    paged = SAMPLE.replace("1) TAKE ACTION", "3\n\f1) TAKE ACTION").replace(
        "URGENT ACTION\nMOTHER AND CHILD AT RISK OF FORCIBLE RETURN \nADditional",
        "Page 1 of 2\n\fURGENT ACTION\nMOTHER AND CHILD AT RISK OF FORCIBLE RETURN \nADditional",
    )
    assert _without_line_numbers(import_text(paged).to_json()) == _without_line_numbers(
        import_text(SAMPLE).to_json()
    )


def _without_line_numbers(data: dict) -> dict:
    """The import JSON without the line numbers, which the page-number lines shift."""
    import re

    report = dict(data["report"], sources={})
    report["checks"] = [re.sub(r" \(lines? [^)]*\)", "", c) for c in report["checks"]]
    return dict(data, report=report)
